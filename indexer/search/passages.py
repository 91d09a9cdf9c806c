"""Snippet passages: a page's text cut into sentences and table cells, each judged running text or debris."""
from __future__ import annotations

import functools
import math
import re
from bisect import bisect_left
from typing import NamedTuple


from ..extract.pagekind import PROSE_LINE_DIGITS, PROSE_LINE_WORDS

_TOKEN = re.compile(r"\w+(?:[-'.,/:]\w+)*")
_LETTERS = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"\w+")
_BLOCK = re.compile(r"\n\s*\n")
# A sentence ends at . ! ? (perhaps followed by a quote or bracket) before a capital, quote or bullet.
_SENTENCE_END = re.compile(r"[.!?][\"'’”)]?\s+(?=[A-ZÀ-Ý‘“\"•–-])")
# No sentence ends after "d.d.", "o.a.", "t.a.v." (single letters with dots) or a common abbreviation.
_ABBREVIATION = re.compile(r"(?:\b[a-z]\.){1,4}$|\b(?:art|artt|nr|nrs|mr|dhr|mevr|drs|ing|ir|prof|jo|vgl|bijv|"
                           r"resp|ca|evt|blz|pag|zgn|incl|excl|m\.b\.t|t\.a\.v)\.$", re.IGNORECASE)
MIN_CLEAN_WORDS = 4      # a clean passage is a sentence of at least this many words
MIN_WORD_SHARE = 0.5     # a line is junk when fewer of its letter runs than this look like words:
LONG_WORD = 8            # a plain run this long is a word (compounds and names are missing from word lists),
KNOWN_WORD = 2.0         # a shorter one needs this Zipf frequency in Dutch or English (wordfreq),
COMMON_SHORT_WORD = 5.5  # and one of one to three letters must be as common as "de", "op", "we" ("tn", "Bk" are not)


class Passage(NamedTuple):
    """A stretch text[start:end]: a sentence of running text (clean) or a cell, row, heading or junk line."""

    start: int
    end: int
    clean: bool


# Lines judged, per test: a page's lines (letterheads, footers, table headings) recur from search to search.
LINE_MEMO = 4096


@functools.lru_cache(maxsize=LINE_MEMO)
def junk_line(line: str) -> bool:
    """Tell whether a line is OCR or redaction debris: fewer than half of its letter runs look like words.

    "we mame EE me tn en Bk COT O6" and "cL(Ge Clooc hcW-r)(9en hebberN" are junk; "Oude Koggestraat 19" is not
    (one unknown name among words), nor is "Deels openbaar 10.2.e". A line without letters is no junk: a date, a
    number or a code is a table cell.
    """
    runs = _LETTERS.findall(line)
    if not runs:
        return False
    # Most lines are words: when the first half of the runs all look like words, the line is no junk.
    enough = math.ceil(MIN_WORD_SHARE * len(runs))
    if all(map(_word_like, runs[:enough])):
        return False
    return sum(map(_word_like, runs)) < MIN_WORD_SHARE * len(runs)


@functools.lru_cache(maxsize=65536)
def _word_like(run: str) -> bool:
    """Tell whether a run of letters looks like a word rather than OCR debris (wordfreq, as the analysis uses)."""
    if len(run) > 1 and any(c.isupper() for c in run[1:]) and not run.isupper():
        return False  # "hebberN", "cL": capitals inside a word are misread letters
    lower = run.lower()
    if len(run) >= LONG_WORD and not run.isupper():
        return True  # a long plain word: a compound or a name the word lists do not hold
    return _zipf_at_least(lower, COMMON_SHORT_WORD if len(run) <= 3 else KNOWN_WORD)


def _zipf_at_least(word: str, level: float) -> bool:
    """Tell whether a lowercase word's Zipf frequency in Dutch or English is at least `level`.

    A plain a-z word is its own wordfreq token: its figure is read from wordfreq's table directly (zipf_frequency
    tokenises first, which costs more than the rest of a snippet's first sight of a word), and zipf_frequency
    decides only a figure within its rounding of the level.
    """
    # Imported here, once per word first seen (_word_like is cached): at the top it cost every CLI command 0.1 s.
    from wordfreq import get_frequency_dict, zipf_frequency
    if not (word.isascii() and word.isalpha()):
        return max(zipf_frequency(word, "nl"), zipf_frequency(word, "en")) >= level
    for lang in ("nl", "en"):
        frequency = get_frequency_dict(lang, "best").get(word)  # as zipf_frequency asks: one cached table
        if frequency is None:
            continue  # not in the list: Zipf 0
        zipf = math.log10(frequency) + 9
        if zipf >= level + 0.01 or (zipf > level - 0.01 and zipf_frequency(word, lang) >= level):
            return True
    return False


@functools.lru_cache(maxsize=LINE_MEMO)
def _prose_words(line: str) -> tuple[int, bool]:
    """Return a line's word count and whether it is a line of running text (as indexer.extract.pagekind counts)."""
    tokens = _TOKEN.findall(line)
    digits = sum(map(bool, map(_DIGIT.search, tokens))) if _DIGIT.search(line) else 0
    return len(tokens), len(tokens) >= PROSE_LINE_WORDS and digits <= PROSE_LINE_DIGITS * len(tokens)


def _lines(text: str, start: int, end: int):
    """Yield (start, end) of the non-empty lines of text[start:end], without surrounding spaces."""
    pos = start
    for line in text[start:end].split("\n"):
        stripped = line.strip()
        if stripped:
            s = pos + line.index(stripped[0])
            yield s, s + len(stripped)
        pos += len(line) + 1


def _sentences(text: str, start: int, end: int):
    """Yield (start, end) of the sentences of text[start:end] (lines of one paragraph, read as one)."""
    begin = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if _ABBREVIATION.search(text[max(begin, m.start() - 12):m.start() + 1]):
            continue
        yield begin, m.start() + len(m.group().rstrip())
        begin = m.end()
    if begin < end:
        yield begin, end


def passages(text: str, at: list[int] | None = None) -> list[Passage]:
    """Cut a page into passages: running paragraphs into sentences, other blocks (table cells, lists, headings)
    line by line, so cells are never glued into one snippet; junk lines stand alone.

    With `at` (sorted character offsets, the matched words), only the lines near one of them are cut, and only
    the passages that hold one are returned: a snippet needs no more, and a long page costs no more than the
    stretches around its matches.
    """
    out: list[Passage] = []
    gaps = list(_BLOCK.finditer(text))
    starts = [0] + [m.end() for m in gaps]
    ends = [m.start() for m in gaps] + [len(text)]
    for b_start, b_end in zip(starts, ends):
        if at is not None:
            i = bisect_left(at, b_start)
            if i == len(at) or at[i] >= b_end:
                continue
        lines = list(_lines(text, b_start, b_end))
        for group in (_near(text, lines, at) if at is not None else [lines]):
            out += _cut(text, group, at)
    return out


# Lines kept on either side of a line with a match when cutting a block for a snippet: a page extracted without
# blank lines is one block, and cutting all of it for every shown page made a search 4x slower (5k benchmark).
NEAR_LINES = 3


def _near(text: str, lines: list[tuple[int, int]], at: list[int]) -> list[list[tuple[int, int]]]:
    """Return the runs of consecutive lines within NEAR_LINES of a line where a matched word starts."""
    keep: set[int] = set()
    for i, (s, e) in enumerate(lines):
        j = bisect_left(at, s)
        if j < len(at) and at[j] < e:
            keep.update(range(max(0, i - NEAR_LINES), min(len(lines), i + NEAR_LINES + 1)))
    groups: list[list[tuple[int, int]]] = []
    previous = -2
    for i in sorted(keep):
        if i != previous + 1:
            groups.append([])
        s, e = lines[i]
        if e - s > LONG_LINE:  # a page read as one line: only the stretches around its matches
            groups[-1] += [(a, z) for a, z in _windows(text, s, e, at) if a < z]
        else:
            groups[-1].append((s, e))
        previous = i
    return groups


# A line longer than this (a page whose text has no line breaks) is cut only around each match: the sentence that
# holds it, looked for at most WINDOW characters either side.
LONG_LINE, WINDOW = 1000, 400


def _windows(text: str, start: int, end: int, at: list[int]) -> list[tuple[int, int]]:
    """Return the sentences of start..end that hold a matched offset (at most WINDOW characters either side of it,
    at word bounds), overlapping ones joined. Only these are judged and cut: a page read as one line costs no more
    than the sentences its snippet can show."""
    out: list[tuple[int, int]] = []
    for a in at[bisect_left(at, start):bisect_left(at, end)]:
        if out and a < out[-1][1]:
            continue  # in the sentence of the previous match
        lo, hi = max(start, a - WINDOW), min(end, a + WINDOW)
        if lo > start:
            lo = text.find(" ", lo, a) + 1 or lo
        cut = text.rfind(" ", a, hi) if hi < end else -1
        hi = cut if cut > a else hi
        lo = _sentence_start(text, lo, a, hi)
        hi = _sentence_end(text, lo, a, hi)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def _sentence_start(text: str, lo: int, a: int, hi: int) -> int:
    """Return where the sentence holding offset a starts: after the last sentence end in lo..a, or lo."""
    p = a
    while True:
        p = max(text.rfind(".", lo, p), text.rfind("!", lo, p), text.rfind("?", lo, p))
        if p < 0:
            return lo
        m = _SENTENCE_END.match(text, p, hi)
        if m and m.end() <= a and not _ABBREVIATION.search(text[max(lo, p - 12):p + 1]):
            return m.end()


def _sentence_end(text: str, begin: int, a: int, hi: int) -> int:
    """Return where the sentence holding offset a (begun at begin) ends: at the first sentence end in a..hi, or hi."""
    for m in _SENTENCE_END.finditer(text, a, hi):
        if not _ABBREVIATION.search(text[max(begin, m.start() - 12):m.start() + 1]):
            return m.start() + len(m.group().rstrip())
    return hi


def _cut(text: str, lines: list[tuple[int, int]], at: list[int] | None = None) -> list[Passage]:
    """Cut a run of lines: running text into sentences (junk lines apart), a table, list or heading line by line.

    With `at`, only the passages holding one of those offsets are returned (the others are not judged).
    """
    def wanted(s: int, e: int) -> bool:
        if at is None:
            return True
        j = bisect_left(at, s)
        return j < len(at) and at[j] < e

    counted = [_prose_words(text[s:e]) for s, e in lines]
    if not lines or sum(n for n, prose in counted if prose) < 0.5 * sum(n for n, _ in counted):
        return [Passage(s, e, False) for s, e in lines if wanted(s, e)]
    words = {line: n for line, (n, _) in zip(lines, counted)}  # a sentence that is a whole line: counted already
    out: list[Passage] = []
    run: list[tuple[int, int]] = []  # lines of running text that follow each other: read as one paragraph
    for s, e in lines + [(-1, -1)]:
        junk = s >= 0 and junk_line(text[s:e])
        # A run ends at a junk line, and between two stretches of one long line (the text between is not cut).
        if run and (s < 0 or junk or text[run[-1][1]:s].strip()):
            for a, z in _sentences(text, run[0][0], run[-1][1]):
                if wanted(a, z):
                    n = words.get((a, z))
                    n = len(_TOKEN.findall(text, a, z)) if n is None else n
                    out.append(Passage(a, z, n >= MIN_CLEAN_WORDS))
            run = []
        if junk and wanted(s, e):
            out.append(Passage(s, e, False))
        elif s >= 0 and not junk:
            run.append((s, e))
    return out


def sentence_key(text: str) -> str:
    """Return what two copies of a sentence share: its letters and digits, lowercased, single-spaced."""
    return " ".join(_WORD.findall(text.lower()))


class Seen:
    """The text a result already shows (its summary, earlier pages), so no sentence is shown twice.

    Texts are compared by their runs of SHINGLE words: a passage of which half the runs were shown already is a
    repeat, also when it is cut differently or quoted with a word changed ("beleids(vorming)", "beleid(svorming)").
    Passages shorter than SHINGLE words are table cells or headings ("Deels openbaar"): those may repeat.
    """

    SHINGLE = 4
    REPEAT = 0.5

    def __init__(self):
        self._shown: set[tuple[str, ...]] = set()
        self._pending: list[str] = []  # added texts not yet cut into runs: the last page's never need to be

    def _shingles(self, text: str) -> set[tuple[str, ...]]:
        words = _WORD.findall(text.lower())  # sentence_key(text).split()
        return set(zip(*(words[i:] for i in range(self.SHINGLE))))

    @property
    def shingles(self) -> set[tuple[str, ...]]:
        """The runs of words shown so far."""
        while self._pending:
            self._shown |= self._shingles(self._pending.pop())
        return self._shown

    def add(self, text: str) -> None:
        self._pending.append(text)

    def has(self, text: str) -> bool:
        if not self._pending and not self._shown:
            return False  # nothing shown yet (a first page whose summary marks no word)
        runs = self._shingles(text)
        return bool(runs) and len(runs & self.shingles) >= self.REPEAT * len(runs)
