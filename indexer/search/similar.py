"""More like this: documents of the same index that resemble one document, by its title, summary and PDF text.

Everything here reads only the searcher it is given, so a visitor who may only see the public index never gets
a similar document from the members index.
"""
from __future__ import annotations

import math

from whoosh import query as wq

from .documents import get_document
from .model import SimilarDocument

SIMILAR_FIELDS = ("title", "summary", "content")
SIMILAR_TERMS = 12
SIMILAR_MIN_RATIO = 0.1          # a similar document scores at least this fraction of the most similar one
SIMILAR_TEXT_CHARS = 60_000      # enough of a long PDF to find its key terms, bounded for speed


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
