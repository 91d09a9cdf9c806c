"""Abbreviations and synonyms: widen a query so "APV" also finds "Algemene Plaatselijke Verordening", and back.

The table is the maintainers' file `afkortingen.yaml` in the corpus folder, read when it changes (no rebuild).
"""
from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from ..analysis import fold_text, normalise_citations

FILE_NAME = "afkortingen.yaml"
log = logging.getLogger("kennisbank")


class SynonymsError(ValueError):
    """The abbreviations file cannot be used; str() names the file and what is wrong (in Dutch)."""


@dataclass(frozen=True)
class Form:
    """One way to write a concept: its text, its folded words, and whether only capitals count."""

    text: str
    words: tuple[str, ...]
    capitals_only: bool


@dataclass(frozen=True, eq=False)
class Table:
    """Groups of forms that mean the same thing."""

    groups: tuple[tuple[Form, ...], ...] = ()

    def forms_longest_first(self):
        """Return (form, group) pairs, forms of more words first so the longest match wins."""
        pairs = [(form, group) for group in self.groups for form in group]
        return sorted(pairs, key=lambda pair: -len(pair[0].words))

    @cached_property
    def by_first_word(self) -> dict[str, list]:
        """Return {first folded word: (form, group) pairs, longest first}, so a query is scanned once."""
        index: dict[str, list] = {}
        for form, group in self.forms_longest_first():
            index.setdefault(form.words[0], []).append((form, group))
        return index


EMPTY = Table()
_WORD = re.compile(r"\w+")
_UNSAFE = re.compile(r"[\"():*?^~]")


def _words(text: str) -> tuple[str, ...]:
    return tuple(fold_text(w.lower()) for w in _WORD.findall(text))


def _form(text: str, where: str) -> Form:
    text = str(text).strip()
    if not text or _UNSAFE.search(text) or not _words(text):
        raise SynonymsError(f"{where}: '{text}' is geen bruikbare vorm (geen leestekens als \" ( ) : * gebruiken).")
    # Two capitals (OM, ME, EU) are an abbreviation only when typed so: "om" and "me" are ordinary words.
    capitals_only = len(text) <= 2 and text.isupper()
    return Form(text=text, words=_words(text), capitals_only=capitals_only)


def parse_table(text: str, name: str = FILE_NAME) -> Table:
    """Parse the YAML text of an abbreviations file into a Table; raise SynonymsError naming what is wrong."""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", regel {mark.line + 1}" if mark else ""
        raise SynonymsError(f"{name}{line}: geen geldige YAML ({getattr(exc, 'problem', exc)}).") from None
    groups = data.get("groepen") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        raise SynonymsError(f"{name}: verwacht een lijst 'groepen:' met per regel [afkorting, voluit, ...].")
    parsed = []
    for n, group in enumerate(groups, 1):
        where = f"{name}, groep {n}"
        if not isinstance(group, list) or len(group) < 2:
            raise SynonymsError(f"{where}: een groep is een lijst van minstens twee vormen, zoals [APV, Algemene "
                                "Plaatselijke Verordening].")
        parsed.append(tuple(_form(item, where) for item in group))
    return Table(groups=tuple(parsed))


def load_table(path: str | Path) -> Table:
    """Read an abbreviations file; a missing file is an empty table."""
    path = Path(path)
    if not path.is_file():
        return EMPTY
    return parse_table(path.read_text(encoding="utf-8"), path.name)


_cache_lock = threading.Lock()
_cache: dict[Path, tuple[float, Table]] = {}


@lru_cache(maxsize=64)
def _table_path(corpus_dir: str) -> Path:
    return Path(corpus_dir) / FILE_NAME


def current_table(corpus_dir: str | Path) -> Table:
    """Return the table of a corpus folder, re-read when the file changes.

    A broken file is logged and ignored: a typo in the table must never break searching.
    """
    path = _table_path(str(corpus_dir))
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return EMPTY
    with _cache_lock:
        cached = _cache.get(path)
        if cached and cached[0] == mtime:
            return cached[1]
        try:
            table = load_table(path)
        except SynonymsError as exc:
            log.warning("afkortingen genegeerd: %s", exc)
            table = EMPTY
        _cache[path] = (mtime, table)
        return table


@dataclass
class Expansion:
    """A query with its abbreviations widened, and what was widened (for the notice on the results page)."""

    text: str
    widened: list[tuple[str, list[str]]]

    def notice(self) -> str | None:
        """Return a Dutch sentence saying how the query was widened, or None."""
        if not self.widened:
            return None
        parts = [f"{typed} ook als " + " of ".join(f"“{o}”" for o in others) for typed, others in self.widened]
        return "Zoekopdracht verbreed met afkortingen en synoniemen: " + "; ".join(parts) + "."


_QUOTED = re.compile(r'"[^"]*"')


def _quote(form: Form) -> str:
    return form.text if len(form.words) == 1 and _WORD.fullmatch(form.text) else f'"{form.text}"'


def _alternatives(form: Form, group) -> str:
    return "(" + " OR ".join(_quote(f) for f in (form, *[g for g in group if g is not form])) + ")"


def _matches(form: Form, tokens, i: int, segment: str) -> bool:
    k = len(form.words)
    if i + k > len(tokens):
        return False
    for n in range(k):
        m = tokens[i + n]
        if fold_text(m.group().lower()) != form.words[n]:
            return False
        if form.capitals_only and not m.group().isupper():
            return False
        if n and segment[tokens[i + n - 1].end():m.start()].strip(" -"):
            return False
    start, end = tokens[i].start(), tokens[i + k - 1].end()
    before = segment[start - 1] if start else " "
    after = segment[end] if end < len(segment) else " "
    # Not an excluded word (-APV), a prefix (APV*), a field name or part of a longer token. A field value is
    # widened within its field: auteur:NCTV becomes auteur:(NCTV OR "Nationaal Coördinator ...").
    return before not in "-+.\\" and after not in ":*?."


def _expand_segment(segment: str, table: Table, widened: list) -> str:
    tokens = list(_WORD.finditer(segment))
    index = table.by_first_word
    out, pos, i = [], 0, 0
    while i < len(tokens):
        for form, group in index.get(fold_text(tokens[i].group().lower()), ()):
            if _matches(form, tokens, i, segment):
                k = len(form.words)
                typed = segment[tokens[i].start():tokens[i + k - 1].end()]
                out.append(segment[pos:tokens[i].start()])
                out.append(_alternatives(form, group))
                widened.append((typed, [g.text for g in group if g is not form]))
                pos, i = tokens[i + k - 1].end(), i + k
                break
        else:
            i += 1
    out.append(segment[pos:])
    return "".join(out)


def expand(text: str, table: Table = EMPTY) -> Expansion:
    """Widen every abbreviation, full form or synonym in the query text with the other forms of its group.

    Legal citations are made one word first: the law of "artikel 10 lid 2 sub e Wob" is part of the citation.
    """
    text = normalise_citations(text)
    if not table.groups or not text:
        return Expansion(text, [])
    widened: list[tuple[str, list[str]]] = []
    out, pos = [], 0
    for quoted in _QUOTED.finditer(text):
        out.append(_expand_segment(text[pos:quoted.start()], table, widened))
        inner = quoted.group()[1:-1]
        exact = [(f, g) for f, g in table.forms_longest_first() if _words(inner) == f.words and len(f.words) > 1]
        if exact and text[quoted.start() - 1:quoted.start()] not in ("-", ":"):
            form, group = exact[0]
            out.append(_alternatives(form, group))
            widened.append((inner, [g.text for g in group if g is not form]))
        else:
            out.append(quoted.group())
        pos = quoted.end()
    out.append(_expand_segment(text[pos:], table, widened))
    return Expansion("".join(out), widened)


def table_words(table: Table) -> frozenset[str]:
    """Return every folded word of every form in the table (a spelling suggestion leaves these alone)."""
    return frozenset(w for group in table.groups for form in group for w in form.words)
