"""Split Dutch compounds into known words ("ordeverstoringen" -> "orde", "verstoringen"), fewest parts first.

The lexicon (Dutch word frequencies from the `wordfreq` package) is loaded lazily into a module-level cache:
it must never live on an analyzer object, because Whoosh pickles analyzers into every index's table of contents.
Maintainers correct the splitter in `indexer/analysis/data/compounds.txt` (forced splits, words never to split, and
short words that may be parts).
"""
from __future__ import annotations

import math
import threading
from functools import lru_cache
from importlib import resources
from typing import Callable, NamedTuple

from .fold import fold

# A word becomes a possible part when it has at least this many letters and this frequency (per word of text).
MIN_PART = 4
FREQUENCY_FLOOR = 1e-7
# Four-letter parts must be common words: the list also holds abbreviation stubs ("betr", "vert") that would
# split "betrokkenen" and "vertrouwen".
SHORT_PART_FLOOR = 1e-5
LOG_FLOOR, LOG_SHORT_FLOOR = math.log10(FREQUENCY_FLOOR), math.log10(SHORT_PART_FLOOR)
# Shorter words are never split: two parts of four letters each.
MIN_COMPOUND = 2 * MIN_PART
# Three-letter words are parts only when compounds.txt names them (+wet, +wob): "wet" in "grondwet", not "ver".
MIN_SHORT = 3
# Linking sounds between parts: dreiging-s-beeld, zonn-e-bloem, pann-en-koek (kind-er-opvang is left out).
LINKS = ("", "s", "e", "en")
# Inflections a final part may carry that the lexicon may not list: "internetverboden" ends in "verboden".
FINAL_ENDINGS = ("s", "en", "e", "n")
# Bound suffixes, word fragments and verb particles that are in the frequency list but not parts of a compound
# ("maat-schappelijk", "organi-satie", "bijeen-komst", "onder-werpen" are single words).
NOT_PARTS = frozenset("""
    heid heden schap schappen lijk lijke lijkheid baar bare loos loze isme ismen isch ische achtig achtige
    tisch tische teit teiten ling lingen nis nissen erij erijen ster sters aars tjes atie aties ering eringen
    ings ingen ngen tion ties schappelijk schappelijke satie saties komst komsten
    onder over door voor tegen achter bijeen samen mede terug heen weder
    mini inter infra trans aange inder voorn matie natie
""".split())
# Endings of derived words, read as a last part after a letter of the stem: betrek-king, uitzond-ring, behan-deling.
NOT_FINAL = frozenset("""
    king kingen ring ringen ding dingen ling linge lingen ning ningen deling delingen tering sering halve bande
    views lands
""".split())
# A word at least this common (log10 of its frequency) has a meaning of its own: "volgorde" is no kind of "orde",
# "handtekening" no "tekening", "belangrijk" not "rijk". Compounds people split in their head are forced in
# compounds.txt (volksgezondheid = volk + gezondheid).
COMMON_WORD = -5.0
# Prefixes that make a verb or noun from a known word: ver-strekken, be-streden, aan-gezien, ver-slagen. A word that
# is such a prefix plus a known word is a derivation, not a compound of "vers" and "trekken".
PREFIXES = ("ver", "be", "ge", "ont", "her", "aan", "af", "op", "uit", "in", "mee", "toe")

class Corrections(NamedTuple):
    """The maintainers' corrections: forced splits, words never split, short words that may be parts."""

    forced: dict[str, tuple[str, ...]]
    never: frozenset[str]
    short: frozenset[str]


_lock = threading.Lock()
_lexicon: dict[str, float] | None = None
_corrections: Corrections | None = None
# Where lexicon() looks first and hands what it built (indexer.index.wordmemo keeps it in the index folder): a
# fresh process builds it from wordfreq in 0.2 s, reads it back in about 15 ms.
_stored: tuple[Callable[[], dict | None], Callable[[dict], None]] | None = None


def keep_lexicon(load: Callable[[], dict | None], save: Callable[[dict], None]) -> None:
    """Let lexicon() take its words from load() (None: build them) and hand the words it builds to save()."""
    global _stored
    _stored = (load, save)


def lexicon() -> dict[str, float]:
    """Return {word: log frequency} of Dutch words usable as parts, loading it on first use."""
    global _lexicon
    if _lexicon is None:
        with _lock:
            if _lexicon is None and _stored is not None:
                _lexicon = _stored[0]()
            if _lexicon is None:
                import wordfreq  # loaded on first use: when indexing, or when a snippet is highlighted

                words: dict[str, float] = {}
                # The list holds buckets of words, most frequent first; bucket i holds words of frequency
                # 10^(-i/100). Stop at the floor instead of building wordfreq's dict of 300,000 words.
                for index, bucket in enumerate(wordfreq.get_frequency_list("nl", wordlist="best")):
                    log_freq = -index / 100
                    if log_freq < LOG_FLOOR:
                        break
                    short_ok = log_freq >= LOG_SHORT_FLOOR
                    for word in bucket:
                        if len(word) < MIN_PART or (len(word) == MIN_PART and not short_ok) or not word.isalpha():
                            continue
                        if not word.isascii():
                            word = fold(word)
                        if word not in NOT_PARTS and word not in words:
                            words[word] = log_freq
                wordfreq.get_frequency_list.cache_clear()  # keep only our filtered copy in memory
                for word in corrections().short:
                    words.setdefault(word, LOG_SHORT_FLOOR)
                _lexicon = words
                if _stored is not None:
                    _stored[1](words)
    return _lexicon


def _parse_corrections(text: str) -> Corrections:
    forced: dict[str, tuple[str, ...]] = {}
    never: set[str] = set()
    short: set[str] = set()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("+"):
            word = fold(line[1:].strip())
            if len(word) != MIN_SHORT or not word.isalpha():
                raise ValueError(f"compounds.txt line {number}: '+woord' is for words of {MIN_SHORT} letters, "
                                 f"got {raw!r}")
            short.add(word)
        elif "=" in line:
            word, parts = (s.strip() for s in line.split("=", 1))
            pieces = tuple(fold(p.strip()) for p in parts.split("+") if p.strip())
            if not word or len(pieces) < 2:
                raise ValueError(f"compounds.txt line {number}: write 'woord = deel + deel', got {raw!r}")
            forced[fold(word)] = pieces
        elif " " in line:
            raise ValueError(f"compounds.txt line {number}: one word per line, or 'woord = deel + deel'")
        else:
            never.add(fold(line))
    return Corrections(forced, frozenset(never), frozenset(short))


def corrections() -> Corrections:
    """Return the forced splits, never-split words and short parts of the maintainers' data file."""
    global _corrections
    if _corrections is None:
        text = resources.files(__package__).joinpath("data/compounds.txt").read_text(encoding="utf-8")
        _corrections = _parse_corrections(text)
    return _corrections


def _derived(word: str, lex: dict[str, float]) -> bool:
    """Tell whether a word is a prefix and a known word (ver+strekken), not a compound."""
    return any(word.startswith(p) and len(word) - len(p) >= MIN_PART and _known(word[len(p):], True, lex) is not None
               for p in PREFIXES)


def _known(part: str, final: bool, lex: dict[str, float]) -> float | None:
    """Return the log frequency of a part (a final part may carry an inflection), or None."""
    if final and part in NOT_FINAL:
        return None
    score = lex.get(part)
    if score is not None or not final or part in NOT_PARTS:
        return score
    for ending in FINAL_ENDINGS:
        if part.endswith(ending) and len(part) - len(ending) >= MIN_PART:
            score = lex.get(part[:-len(ending)])
            if score is not None:
                return score
    return None


@lru_cache(maxsize=200_000)
def split(word: str) -> tuple[str, ...]:
    """Return the parts of a compound (without linking sounds), or () when the word is not a compound."""
    forced, never, _short = corrections()
    if word in forced:
        return forced[word]
    if word in never or len(word) < MIN_COMPOUND or not word.isalpha():
        return ()
    lex = lexicon()
    if lex.get(word, LOG_FLOOR - 1) >= COMMON_WORD or _derived(word, lex):
        return ()
    n = len(word)
    # best[i] = (number of parts, -sum of log frequencies, parts) for the split of word[i:]; fewer parts win,
    # then more frequent parts.
    best: list[tuple[int, float, tuple[str, ...]] | None] = [None] * (n + 1)
    best[n] = (0, 0.0, ())
    for i in range(n - MIN_SHORT, -1, -1):
        winner = None
        if i:  # the whole word is not a split of itself
            score = _known(word[i:], True, lex)
            if score is not None:
                winner = (1, -score, (word[i:],))
        for j in range(i + MIN_SHORT, n - MIN_SHORT + 1):
            score = lex.get(word[i:j])
            if score is None:
                continue
            for link in LINKS:
                k = j + len(link)
                rest = best[k] if k <= n - MIN_SHORT else None
                if rest is not None and word.startswith(link, j):
                    candidate = (rest[0] + 1, rest[1] - score, (word[i:j],) + rest[2])
                    if winner is None or candidate < winner:
                        winner = candidate
        best[i] = winner
    result = best[0]
    if result is None or result[0] < 2:
        return ()
    if result[0] > 2 and _known(word, True, lex) is not None:
        return ()  # a known word split into three or more parts is a word misread ("hand-reik-ingen")
    return result[2]
