"""Suggestions while typing: document titles and frequent words of the index the visitor may search.

Gathered once per index generation from that index only, so an anonymous visitor never sees a title or a word
that only a members' document holds.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from whoosh.lang import stopwords_for_language

from ..analysis import fold
from .model import Suggestion

VOCABULARY_TEXT_CHARS = 20_000_000  # bound the one-off vocabulary scan of a very large index
MIN_WORD = 4
MAX_PREFIX = 60

_WORD = re.compile(r"[^\W\d_]{%d,}" % MIN_WORD)
_STOP = frozenset(stopwords_for_language("nl"))


@dataclass
class Vocabulary:
    """Titles and word frequencies of one index, gathered once per index generation."""

    titles: list[tuple[str, str, tuple[str, ...]]]  # (title, id, folded words)
    words: list[tuple[str, str, int]]               # (folded word, shown word, documents holding it)

    def complete(self, text: str, limit: int = 8, max_words: int = 4) -> list[Suggestion]:
        """Return frequent words completing the last typed word, then titles holding every typed word."""
        tokens = _tokens(text[:MAX_PREFIX])
        typed = [fold(w) for w in tokens]
        if not typed or len(typed[-1]) < 2:
            return []
        out: list[Suggestion] = []
        head = " ".join(tokens[:-1])
        for folded, shown, count in self.words:
            if len(out) >= min(max_words, limit):
                break
            if folded.startswith(typed[-1]):
                out.append(Suggestion(text=f"{head} {shown}".strip(), kind="woord", count=count))
        for title, doc_id, words in self.titles:
            if len(out) >= limit:
                break
            if all(any(w.startswith(t) for w in words) for t in typed):
                out.append(Suggestion(text=title, kind="titel", doc_id=doc_id))
        return out


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def build_vocabulary(searcher) -> Vocabulary:
    """Gather titles and the most frequent words (per document) of everything this searcher can see."""
    titles = []
    doc_words: dict[str, set[str]] = {}
    shown: dict[str, Counter] = {}
    budget = VOCABULARY_TEXT_CHARS

    def add(doc_id: str, text: str):
        bucket = doc_words.setdefault(doc_id, set())
        for word in _WORD.findall(text):
            low = word.lower()
            if low in _STOP:
                continue
            folded = fold(low)
            bucket.add(folded)
            shown.setdefault(folded, Counter())[low] += 1

    for fields in searcher.all_stored_fields():
        doc_id = fields.get("id")
        if not doc_id:
            continue
        if fields.get("kind") == "doc":
            title = fields.get("title") or doc_id
            titles.append((fields.get("order") or 0, title, doc_id, tuple(fold(w) for w in _tokens(title))))
            add(doc_id, f"{title}\n{fields.get('summary') or ''}")
        elif budget > 0:
            text = fields.get("page_text") or ""
            budget -= len(text)
            add(doc_id, text)
    counts = Counter(w for words in doc_words.values() for w in words)
    words = [(w, shown[w].most_common(1)[0][0], n) for w, n in counts.items()]
    words.sort(key=lambda x: (-x[2], x[0]))
    titles.sort()
    return Vocabulary(titles=[t[1:] for t in titles], words=words)
