"""Stemmer overrides: bring word families together where Snowball's Dutch stemmer leaves them apart, and apart
where it conflates words people keep apart.

Rules live in `indexer/analysis/data/stems.txt` (loaded once into a module-level cache, never onto an analyzer):
`gemeentes => gemeente` rewrites one word before stemming; `*isme => *ist` rewrites any word ending so;
`persoonlijke = persoonlijk` and `*lijke = *lijk` give the stem itself, without asking the stemmer.
"""
from __future__ import annotations

from importlib import resources
from typing import Callable

from .fold import fold_text

# word -> (target, final): final targets are stems as they are, other targets are stemmed.
Rules = tuple[dict[str, tuple[str, bool]], list[tuple[str, str, bool]]]
_rules: Rules | None = None
FORMAT = "write 'woord => woord', 'woord = stam', '*einde => *einde' or '*einde = *stam'"


def parse_rules(text: str) -> Rules:
    """Parse the rules file into (whole-word rules, suffix rules longest first); raise ValueError on a bad line."""
    words: dict[str, tuple[str, bool]] = {}
    suffixes: list[tuple[str, str, bool]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        final = "=>" not in line
        left, sep, right = (s.strip().lower() for s in line.partition("=" if final else "=>"))
        if not sep or not left or not right or " " in left or " " in right or "=" in right:
            raise ValueError(f"stems.txt line {number}: {FORMAT}, got {raw!r}")
        if left.startswith("*") != right.startswith("*"):
            raise ValueError(f"stems.txt line {number}: use * on both sides or on neither, got {raw!r}")
        if not (left.lstrip("*").isalpha() and right.lstrip("*").isalpha()):
            raise ValueError(f"stems.txt line {number}: only letters besides the leading *, got {raw!r}")
        if left in words or any(old == left[1:] for old, _, _ in suffixes):
            raise ValueError(f"stems.txt line {number}: {left} has a rule already")
        if left.startswith("*"):
            suffixes.append((left[1:], right[1:], final))
        else:
            words[left] = (right, final)
    suffixes.sort(key=lambda rule: -len(rule[0]))
    return words, suffixes


def rules() -> Rules:
    """Return the parsed rules of indexer/analysis/data/stems.txt, loading them on first use."""
    global _rules
    if _rules is None:
        text = resources.files(__package__).joinpath("data/stems.txt").read_text(encoding="utf-8")
        _rules = parse_rules(fold_text(text))
    return _rules


# A suffix rule needs at least this much of the word left over, so "isme" alone is not rewritten.
MIN_STEM = 3


def rewrite(word: str) -> tuple[str, bool]:
    """Return the word as the rules rewrite it, and whether that is its final stem (unchanged, False: no rule)."""
    words, suffixes = rules()
    found = words.get(word)
    if found is not None:
        return found
    for old, new, final in suffixes:
        if word.endswith(old) and len(word) - len(old) >= MIN_STEM:
            return word[:len(word) - len(old)] + new, final
    return word, False


# Snowball undoubles only kk, dd and tt when it strips -en: plannen -> plann, straffen -> straff, adressen -> adress.
DOUBLES = frozenset("bfglmnprsz")


def stem_with_overrides(word: str, stem: Callable[[str], str]) -> str:
    """Stem a word after the override rules have rewritten it (a final rule's target is the stem itself)."""
    target, final = rewrite(word)
    if final:
        return target
    stemmed = stem(target)
    if len(stemmed) > 3 and stemmed[-1] == stemmed[-2] and stemmed[-1] in DOUBLES:
        return stemmed[:-1]
    return stemmed
