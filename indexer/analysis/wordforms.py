"""Stemmer overrides: bring word families together where Snowball's Dutch stemmer leaves them apart.

Rules live in `indexer/analysis/data/stems.txt` (loaded once into a module-level cache, never onto an analyzer):
`gemeentes => gemeente` rewrites one word before stemming; `*isme => *ist` rewrites any word ending so.
"""
from __future__ import annotations

from importlib import resources
from typing import Callable

from .fold import fold_text

_rules: tuple[dict[str, str], list[tuple[str, str]]] | None = None


def parse_rules(text: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Parse the rules file into (whole-word rules, suffix rules longest first); raise ValueError on a bad line."""
    words: dict[str, str] = {}
    suffixes: list[tuple[str, str]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        left, sep, right = (s.strip().lower() for s in line.partition("=>"))
        if not sep or not left or not right or " " in left or " " in right:
            raise ValueError(f"stems.txt line {number}: write 'woord => woord' or '*einde => *einde', got {raw!r}")
        if left.startswith("*") != right.startswith("*"):
            raise ValueError(f"stems.txt line {number}: use * on both sides or on neither, got {raw!r}")
        if left.startswith("*"):
            suffixes.append((left[1:], right[1:]))
        else:
            words[left] = right
    suffixes.sort(key=lambda rule: -len(rule[0]))
    return words, suffixes


def rules() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Return the parsed rules of indexer/analysis/data/stems.txt, loading them on first use."""
    global _rules
    if _rules is None:
        text = resources.files(__package__).joinpath("data/stems.txt").read_text(encoding="utf-8")
        _rules = parse_rules(fold_text(text))
    return _rules


# A suffix rule needs at least this much of the word left over, so "isme" alone is not rewritten.
MIN_STEM = 3


def rewrite(word: str) -> str:
    """Return the word as the rules rewrite it before stemming (unchanged when no rule applies)."""
    words, suffixes = rules()
    if word in words:
        return words[word]
    for old, new in suffixes:
        if word.endswith(old) and len(word) - len(old) >= MIN_STEM:
            return word[:len(word) - len(old)] + new
    return word


def stem_with_overrides(word: str, stem: Callable[[str], str]) -> str:
    """Stem a word after the override rules have rewritten it."""
    return stem(rewrite(word))
