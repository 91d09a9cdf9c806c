"""Discovery beside search: similar documents and suggestions while typing (Flask-free, returns dataclasses).

Everything here reads only the searcher it is given, so a visitor who may only see the public index never gets
a title, a word or a similar document from the members index.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.lang import stopwords_for_language

from .search import Document, get_document

SIMILAR_FIELDS = ("title", "summary", "content")
SIMILAR_TERMS = 12
SIMILAR_MIN_RATIO = 0.1          # a similar document scores at least this fraction of the most similar one
SIMILAR_TEXT_CHARS = 60_000      # enough of a long PDF to find its key terms, bounded for speed
VOCABULARY_TEXT_CHARS = 20_000_000  # bound the one-off vocabulary scan of a very large index
MIN_WORD = 4
MAX_PREFIX = 60

_WORD = re.compile(r"[^\W\d_]{%d,}" % MIN_WORD)
_STOP = frozenset(stopwords_for_language("nl"))


def fold(text: str) -> str:
    """Lowercase and strip accents, so 'coör' matches 'Coördinator'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# ---------------------------------------------------------------- more like this

@dataclass
class SimilarDocument:
    """A document that resembles another one, with the words they share most."""

    document: Document
    score: float
    shared_terms: list[str] = field(default_factory=list)


def similar_documents(searcher, doc_id: str, limit: int = 5) -> list[SimilarDocument]:
    """Return documents of this index that resemble doc_id (by its title, summary and PDF text), best first."""
    docnum = searcher.document_number(uid=f"doc:{doc_id}")
    if docnum is None:
        return []
    stored = searcher.stored_fields(docnum)
    parts = [stored.get("title", ""), stored.get("summary", "")]
    size = sum(len(p) for p in parts)
    for page in sorted(searcher.documents(kind="page", id=doc_id), key=lambda f: f.get("page", 0)):
        if size >= SIMILAR_TEXT_CHARS:
            break
        text = page.get("page_text") or ""
        parts.append(text)
        size += len(text)
    text = "\n".join(parts)[:SIMILAR_TEXT_CHARS]

    # Key terms come from the field that holds this kind of text (the PDF text, or else the summary), weighed
    # again by rarity among documents so boilerplate every document shares ("gemeente", "politie") does not
    # decide what is similar; each term is then looked for in title, summary and PDF text alike.
    source = "content" if size > len(parts[0]) + len(parts[1]) else "summary"
    total = max(1, searcher.doc_frequency("kind", "doc"))
    scored = []
    for term, weight in searcher.key_terms_from_text(source, text, numterms=SIMILAR_TERMS * 4):
        df = searcher.doc_frequency(source, term)
        if df:
            scored.append((weight * math.log((total + 1) / df), term))
    scored.sort(reverse=True)
    terms = [wq.Term(name, term, boost=w) for w, term in scored[:SIMILAR_TERMS] if w > 0
             for name in SIMILAR_FIELDS if name in searcher.schema]
    if not terms:
        return []
    q = wq.Or(terms)
    results = searcher.search(q, filter=wq.Term("kind", "doc"), mask=wq.Term("uid", f"doc:{doc_id}"),
                              limit=limit, terms=True)
    similar = []
    top = results[0].score if results.scored_length() else 0
    for r in results:
        if r.score < top * SIMILAR_MIN_RATIO:
            break  # matches only on a word or two every document shares: not similar in any useful sense
        shared = sorted({t.decode("utf-8") if isinstance(t, bytes) else str(t) for _, t in r.matched_terms()})
        doc = get_document(searcher, r["id"])
        if doc is not None:
            similar.append(SimilarDocument(document=doc, score=round(r.score or 0.0, 4), shared_terms=shared[:6]))
    return similar


# ---------------------------------------------------------------- suggestions while typing

@dataclass
class Suggestion:
    """One completion: a document title (kind 'titel', with its id) or a frequent word (kind 'woord')."""

    text: str
    kind: str
    doc_id: str | None = None
    count: int = 0


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
