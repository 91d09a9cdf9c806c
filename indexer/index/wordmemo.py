"""The analysed words of an index's analyzers, kept in the index folder from one build or update to the next.

A warm rebuild or an update analyses (splits compounds, stems) the same words the previous build did: the words it
analysed are saved here after a successful build and handed to the analyzers of the next one
(MemoAnalyzer.remember). Each analyzer's words are keyed by a fingerprint of everything that decides what a word
becomes (the analysis version and source, its data files, the word list, Whoosh, the filter chain itself), so a
remembered analysis is never a stale one. A missing, damaged or outdated file is ignored: the words are analysed
again, and the index is the same either way. The file is never part of an index generation.
"""
from __future__ import annotations

import functools
import gc
import hashlib
import logging
import marshal
import re
import sys
import types
from importlib import metadata
from pathlib import Path

import whoosh

from .. import analysis
from ..analysis import ANALYSIS_VERSION, MemoAnalyzer, compounds
from ..analysis.analyzer import MEMO_WORDS
from ..files import atomic_write
from . import store

log = logging.getLogger("kennisbank.build")

FILE = store.WORD_MEMO
# The format's name and version, then the SHA-256 of the rest: a truncated or damaged file is never unmarshalled.
# Version 2 stores a word that becomes one term of boost 1 as that term alone (most words): a third of the objects
# to make when loading (the 38,000 words of the whole bench folder: 12 against 31 ms).
MAGIC = b"kennisbank-wordmemo 2\n"
LEXICON_FILE = store.LEXICON
LEXICON_MAGIC = b"kennisbank-lexicon 1\n"
NEW_SHARE = 0.02  # new words, as a share of those remembered, worth writing the file again for (WordMemo.save)
# Words a process analyses itself before a lazy memo reads its file: a word took 63 µs to analyse, reading the file
# of the 71 bench PDFs' 27,000 words 11-17 ms. And the words met by an update that never read the file below which
# it is left as it is (2% of those 27,000: see worth_saving).
LAZY_MISSES = 200
LAZY_SAVE_WORDS = 500


def analyzers(schema) -> list[MemoAnalyzer]:
    """Return the schema's memoising analyzers, each once, in field order (the same in every process)."""
    found: dict[int, MemoAnalyzer] = {}
    for name in schema.names():
        analyzer = getattr(schema[name], "analyzer", None)
        if isinstance(analyzer, MemoAnalyzer):
            found.setdefault(id(analyzer), analyzer)
    return list(found.values())


# The analysis package: its code and data files are part of every fingerprint.
ANALYSIS_DIR = Path(analysis.__file__).parent


@functools.lru_cache(maxsize=4)
def analysis_key(folder: Path) -> bytes:
    """Return the key of what every analyzer's words depend on besides its own chain: the analysis code and data
    (every file of the package, so an edit without a version bump cannot leave a stale memo), the word list,
    Whoosh (its snowball stemmers) and Python (the file is marshalled)."""
    h = hashlib.sha256(f"{ANALYSIS_VERSION}\n{whoosh.versionstring()}\n{metadata.version('wordfreq')}\n"
                       f"{sys.version_info[:2]}\n".encode())
    for path in sorted([*folder.glob("*.py"), *folder.glob("data/*")]):
        if path.is_file():
            h.update(f"\n{path.relative_to(folder)}\n".encode())
            h.update(path.read_bytes())
    return h.digest()


def describe(value, depth: int = 0) -> str:
    """Return a text that is the same for equal filter chains in any process (sets sorted, no addresses)."""
    if depth > 32:
        raise ValueError("analyzer nested too deeply to describe")
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        return repr(value)
    if isinstance(value, re.Pattern):
        return f"re({value.pattern!r}, {value.flags})"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(describe(v, depth + 1) for v in value)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(describe(v, depth + 1) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(sorted(f"{describe(k, depth + 1)}: {describe(v, depth + 1)}"
                                      for k, v in value.items())) + "}"
    if isinstance(value, (types.FunctionType, types.MethodType, types.BuiltinFunctionType)):
        return f"{getattr(value, '__module__', None)}.{value.__qualname__}"  # a stemmer function: its code's name
    kind = f"{type(value).__module__}.{type(value).__qualname__}"
    state = value.__getstate__() if hasattr(type(value), "__getstate__") else None
    if state is None:
        state = getattr(value, "__dict__", {})
    return f"{kind}({describe(state, depth + 1)})"


def fingerprint(analyzer: MemoAnalyzer) -> str:
    """Return the key of an analyzer's remembered words: equal keys, equal analysis of every word."""
    return hashlib.sha256(analysis_key(ANALYSIS_DIR) + describe(analyzer).encode()).hexdigest()[:32]


class Known(dict):
    """Remembered words as the file holds them, each given as MemoAnalyzer.analysed returns it ((text, boost), ...)."""

    def get(self, word, default=None):
        texts = dict.get(self, word, default)
        return ((texts, 1.0),) if type(texts) is str else texts

    def items(self):
        return ((word, self.get(word)) for word in self)


class LazyKnown:
    """An analyzer's remembered words in a lazy memo (WordMemo.load): its file is read once a process's analyzers
    have asked for more than LAZY_MISSES words."""

    def __init__(self, memo: WordMemo, key: str):
        self.memo, self.key = memo, key

    def get(self, word, default=None):
        memo = self.memo
        if not memo.read_yet:
            memo.misses += 1
            if memo.misses <= LAZY_MISSES:
                return default  # analysed by the caller: a few words cost less than reading the file
        known = memo.loaded.get(self.key)
        return known.get(word, default) if known is not None else default


def compact(texts: tuple) -> tuple | str:
    """Return what the file holds for a word's (text, boost) pairs: the text alone for one term of boost 1."""
    return texts[0][0] if len(texts) == 1 and texts[0][1] == 1.0 else texts


class WordMemo:
    """The words a build starts from (loaded) and the ones it met (used), per analyzer fingerprint."""

    def __init__(self, path: Path | None = None, loaded: dict[str, dict] | None = None, lazy: bool = False):
        self.path = path
        self._loaded = None if lazy and path is not None else (loaded or {})
        self.used: dict[str, dict] = {}
        self.misses = 0  # words asked of a lazy memo not yet read (LazyKnown)
        self.complete = True  # every document was analysed (a full build), not only those of changed segments

    @property
    def read_yet(self) -> bool:
        """Tell whether the remembered words are at hand (a lazy memo reads its file when they are first asked for)."""
        return self._loaded is not None

    @property
    def loaded(self) -> dict[str, dict]:
        """The remembered words per analyzer fingerprint (a lazy memo reads its file now)."""
        if self._loaded is None:
            self._loaded = WordMemo.read(self.path).loaded
        return self._loaded

    @classmethod
    def load(cls, index_dir: Path, lazy: bool = False) -> WordMemo:
        """Read the memo file of an index folder; anything unreadable gives an empty memo (logged at debug). The
        compound lexicon is read from the folder too, when analysis first needs it (keep_lexicon).

        Lazy, the file is read only when analysers meet more than LAZY_MISSES words they did not analyse in their
        process (LazyKnown): an update whose rewritten segments' analysis is kept but for a changed title need not
        read it (11 ms of an update of 0.21 s on the 71 bench PDFs). Each forked worker that needs it reads it.
        """
        keep_lexicon(Path(index_dir))
        return cls(Path(index_dir) / FILE, lazy=True) if lazy else cls.read(Path(index_dir) / FILE)

    @classmethod
    def unread(cls, index_dir: Path) -> WordMemo:
        """Return an empty memo that leaves the index folder's file as it is (saves nothing), for a build that
        analyses next to nothing; the compound lexicon is still read from the folder when analysis needs it."""
        keep_lexicon(Path(index_dir))
        return cls()

    @classmethod
    def read(cls, path: Path) -> WordMemo:
        """Read a memo file (see load)."""
        try:
            loaded = unseal(path.read_bytes(), MAGIC)
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError, EOFError, TypeError) as exc:
            log.debug("word memo %s not used (%s): words are analysed again", path, exc)
            return cls(path)
        if not (isinstance(loaded, dict) and all(isinstance(v, dict) for v in loaded.values())):
            log.debug("word memo %s holds no memo: words are analysed again", path)
            return cls(path)
        return cls(path, {key: Known(words) for key, words in loaded.items()})

    def attach(self, schema) -> None:
        """Give each of the schema's analyzers the words remembered for its fingerprint, and a fresh memo."""
        for analyzer in analyzers(schema):
            key = fingerprint(analyzer)
            analyzer.remember(self.loaded.get(key, Known()) if self.read_yet else LazyKnown(self, key))

    def gather(self, schema) -> None:
        """Add the words the schema's analyzers met (in this process) to the words used."""
        self.add(schema, [a.used() for a in analyzers(schema)])

    def add(self, schema, used: list[dict]) -> None:
        """Add words used per analyzer, in the order of analyzers(schema) (a worker's, in its own process)."""
        for analyzer, words in zip(analyzers(schema), used):
            self.used.setdefault(fingerprint(analyzer), {}).update(words)

    def worth_saving(self) -> bool:
        """Tell whether the words met differ enough from the file's to write it again: at least one new word in
        NEW_SHARE of those remembered, or (after a full build) a fifth of them no longer met. Writing the 27,000
        words of the 71 bench PDFs takes 15 ms, a twentieth of an update of one record, which typically meets a
        handful of new words: analysing those again next time costs microseconds."""
        known = sum(len(words) for words in self.loaded.values())
        new = sum(len(used.keys() - self.loaded.get(key, {}).keys()) for key, used in self.used.items())
        if new and new >= known * NEW_SHARE:
            return True
        return self.complete and sum(len(used) for used in self.used.values()) < known * 0.8

    def save(self) -> None:
        """Write the memo for the next build, atomically, when worth_saving; a failure costs only speed (logged at
        debug).

        After a full build the words it used are kept, so words of removed documents go; after an update, which
        met only the words of changed segments, those come first and the loaded ones of the same analyzers fill up.
        At most MEMO_WORDS per analyzer either way.
        """
        if self.path is None or not self.used:
            return  # nothing met here (Whoosh's own writer analysed): the file stays as it is
        if not self.read_yet and not self.complete and \
                sum(len(used) for used in self.used.values()) < LAZY_SAVE_WORDS:
            return  # never read: the few words met (a changed title's) are not worth reading and writing it for
        if not self.worth_saving():
            return
        out = {}
        for key, used in self.used.items():
            words = dict(used) if len(used) <= MEMO_WORDS else dict(list(used.items())[-MEMO_WORDS:])
            if not self.complete:
                for word, texts in self.loaded.get(key, {}).items():
                    if len(words) >= MEMO_WORDS:
                        break
                    words.setdefault(word, texts)
            out[key] = {word: compact(texts) for word, texts in words.items()}
        try:
            atomic_write(self.path, seal(out, MAGIC), mode=0o600)
        except OSError as exc:
            log.debug("word memo %s not saved (%s)", self.path, exc)


def keep_lexicon(index_dir: Path) -> None:
    """Let the compound lexicon (indexer.analysis.compounds) be read from the index folder, and written there once
    built: keyed like the memo (analysis code and data, wordfreq, Python), anything else there is ignored."""
    path = Path(index_dir) / LEXICON_FILE
    compounds.keep_lexicon(functools.partial(_read_lexicon, path), functools.partial(_write_lexicon, path))


def _read_lexicon(path: Path) -> dict | None:
    try:
        words = unseal(path.read_bytes(), LEXICON_MAGIC, analysis_key(ANALYSIS_DIR))
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return words if isinstance(words, dict) else None


def _write_lexicon(path: Path, words: dict) -> None:
    try:
        atomic_write(path, seal(words, LEXICON_MAGIC, analysis_key(ANALYSIS_DIR)))
    except OSError as exc:  # only speed is lost
        log.debug("compound lexicon %s not saved (%s)", path, exc)


def seal(value, magic: bytes, key: bytes = b"") -> bytes:
    """Return a file's bytes: its format's magic line, the key it is valid for, the SHA-256 of the rest, the rest
    (value marshalled): a truncated or damaged file is never unmarshalled."""
    body = marshal.dumps(value)
    return magic + key + hashlib.sha256(body).digest() + body


def unseal(data: bytes, magic: bytes, key: bytes = b""):
    """Return the value seal wrote with this magic and key; ValueError for another format, key or a damaged file."""
    head = len(magic) + len(key)
    if not data.startswith(magic + key) or data[head:head + 32] != hashlib.sha256(data[head + 32:]).digest():
        raise ValueError("damaged, or of another format or analysis")
    # Without the cycle collector, which the objects made here set off again and again, each time walking every
    # object of the build (its extracted text and plan): twice the time of the load itself.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return marshal.loads(data[head + 32:])
    finally:
        if enabled:
            gc.enable()
