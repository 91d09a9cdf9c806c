"""Word families: derived words people expect to find each other (werk/werker, handhaving/handhaver), as data.

The families live in `indexer/analysis/data/families.txt`, one per line: `werk: werker`. Every word of a family
gets the stem of its first word, at index and query time alike, so "werker" and "werkers" are found by "werk" and
the other way round. A compound the splitter reads as ending in a family word joins that family as a whole
word too: "jongerenwerkers" (jongeren + werkers) is indexed as "jongerenwerk", so `jongerenwerk` finds it.
Loaded once into a module-level cache, never onto an analyzer (Whoosh pickles analyzers into every index).
"""
from __future__ import annotations

from importlib import resources
from typing import Callable

from .compounds import split
from .fold import fold_text

_families: list[tuple[str, tuple[str, ...]]] | None = None
_stems: tuple[dict[str, str], tuple[int, ...]] | None = None


def parse_families(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Parse families.txt into [(first word, other words)]; raise ValueError naming a bad line."""
    families: list[tuple[str, tuple[str, ...]]] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip().lower()
        if not line:
            continue
        head, sep, rest = (s.strip() for s in line.partition(":"))
        members = tuple(rest.split())
        if not sep or not head or not members or " " in head:
            raise ValueError(f"families.txt line {number}: write 'woord: woord woord', got {raw!r}")
        for word in (head,) + members:
            if not word.isalpha():
                raise ValueError(f"families.txt line {number}: {word!r} is not one word of letters")
            if word in seen:
                raise ValueError(f"families.txt line {number}: {word} is in the family of line {seen[word]} already")
            seen[word] = number
        families.append((head, members))
    return families


def families() -> list[tuple[str, tuple[str, ...]]]:
    """Return the families of indexer/analysis/data/families.txt, loading them on first use."""
    global _families
    if _families is None:
        text = resources.files(__package__).joinpath("data/families.txt").read_text(encoding="utf-8")
        _families = parse_families(fold_text(text))
    return _families


def family_stems(stem: Callable[[str], str], found=None) -> tuple[dict[str, str], tuple[int, ...]]:
    """Return {stem of a family word: stem of its family's first word} and the lengths of those stems."""
    global _stems
    if found is None and _stems is not None:
        return _stems
    table: dict[str, str] = {}
    for head, members in (families() if found is None else found):
        target = stem(head)
        for word in members:
            own = stem(word)
            if own != target and table.setdefault(own, target) != target:
                raise ValueError(f"families.txt: {word} stems to {own}, as a word of another family does")
    result = table, tuple(sorted({len(s) for s in table}, reverse=True))
    if found is None:
        _stems = result
    return result


def family_stem(word: str, stemmed: str, stem: Callable[[str], str]) -> str:
    """Return the stem of a word within its family: its family's stem, or its own when it has no family.

    `stemmed` is the word's own stem and `stem` the stemmer that made it (overrides included).
    """
    table, lengths = family_stems(stem)
    found = table.get(stemmed)
    if found is not None:
        return found
    for length in lengths:  # a compound ending in a family word: only when the splitter reads it so
        if len(stemmed) > length and stemmed[-length:] in table:
            parts = split(word)
            if parts and stem(parts[-1]) == stemmed[-length:]:
                return stemmed[:-length] + table[stemmed[-length:]]
    return stemmed
