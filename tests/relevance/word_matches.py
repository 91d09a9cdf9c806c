"""False and missed word matches: does a search for word q find a text with word w, against judged pairs.

Usage: python -m tests.relevance.word_matches [--verbose]   (`make eval` runs it; no index or PDFs needed)

A query word matches a text word when every term the analyzer makes of the query word (query mode) is among the
terms it makes of the text word at index time (whole word, compound parts, word family). The judged pairs are in
word_pairs.txt; a fixed hash puts a third of them in a held-out part that no rule was tuned on.
"""
from __future__ import annotations

import argparse
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

from indexer.analysis import dutch_analyzer

PAIRS = Path(__file__).resolve().parent / "word_pairs.txt"
KINDS = ("samenstelling", "stam", "familie")
PARTS = ("ontwikkel", "toets")  # development (tuned on) and held-out (only measured)


@dataclass(frozen=True)
class Pair:
    """One judged pair: should a search for `query` find a text that has only `text`?"""

    query: str
    text: str
    match: bool
    kind: str

    @property
    def part(self) -> str:
        """The development part or the held-out part, fixed by a hash of the pair."""
        return PARTS[1] if zlib.crc32(f"{self.query} {self.text}".encode()) % 3 == 0 else PARTS[0]


def load_pairs(path: Path = PAIRS) -> list[Pair]:
    """Read the judged pairs; raise ValueError naming the line of a malformed one."""
    pairs = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].split()
        if not line:
            continue
        if len(line) != 4 or line[2] not in ("ja", "nee") or line[3] not in KINDS:
            raise ValueError(f"{path.name} line {number}: write 'zoekwoord tekstwoord ja|nee soort', got {raw!r}")
        pairs.append(Pair(line[0], line[1], line[2] == "ja", line[3]))
    return pairs


def matches(analyzer, query: str, text: str) -> bool:
    """Tell whether a search for the query word finds a text holding the text word."""
    wanted = {t.text for t in analyzer(query, mode="query")}
    found = {t.text for t in analyzer(text, mode="index")}
    return bool(wanted) and wanted <= found


def scores(pairs: list[Pair], analyzer=None) -> dict:
    """Return precision and recall of the matches over the pairs, with the pairs judged wrongly."""
    analyzer = analyzer or dutch_analyzer()
    tp = fp = fn = 0
    wrong = []
    for pair in pairs:
        got = matches(analyzer, pair.query, pair.text)
        tp += got and pair.match
        fp += got and not pair.match
        fn += pair.match and not got
        if got != pair.match:
            wrong.append(pair)
    return {"n": len(pairs), "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0, "false": fp, "missed": fn, "wrong": wrong}


def report(pairs: list[Pair], verbose: bool = False) -> dict:
    """Print precision and recall per part and kind; return {(part, kind): scores}."""
    analyzer = dutch_analyzer()
    table = {}
    print(f"{'deel':10} {'soort':14} {'paren':>5} {'precisie':>9} {'recall':>7} {'vals':>5} {'gemist':>6}")
    for part in PARTS:
        for kind in KINDS + ("alle",):
            chosen = [p for p in pairs if p.part == part and kind in (p.kind, "alle")]
            s = table[part, kind] = scores(chosen, analyzer)
            print(f"{part:10} {kind:14} {s['n']:5} {s['precision']:9.3f} {s['recall']:7.3f} {s['false']:5} "
                  f"{s['missed']:6}")
            if verbose and kind == "alle" and part == PARTS[0]:  # the held-out part is measured, not studied
                for p in s["wrong"]:
                    print(f"    {'vals' if not p.match else 'gemist':6} {p.query} -> {p.text} ({p.kind})")
    return table


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="name every pair of the development part judged wrongly")
    args = parser.parse_args(argv)
    print(f"Woordparen ({PAIRS.name}): vindt een zoekwoord een tekst met alleen het tweede woord?")
    report(load_pairs(), args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
