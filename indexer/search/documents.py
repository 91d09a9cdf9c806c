"""Browsing: one document, all documents in listing order, how many there are."""
from __future__ import annotations

from whoosh import query as wq

from .model import Document, document_from_fields


def get_document(searcher, doc_id: str) -> Document | None:
    """Return one document by id, or None when this index does not hold it."""
    fields = searcher.document(uid=f"doc:{doc_id}")
    return document_from_fields(fields) if fields else None


def resolve_alias(searcher, doc_id: str) -> str | None:
    """Return the current id of a document that once answered to doc_id (a former id), or None."""
    results = searcher.search(wq.And([wq.Term("kind", "doc"), wq.Term("aliases", doc_id)]), limit=1)
    return results[0]["id"] if len(results) else None


def list_documents(searcher) -> list[Document]:
    """Return all documents in listing order."""
    results = searcher.search(wq.Term("kind", "doc"), limit=None, sortedby="order")
    return [document_from_fields(dict(r)) for r in results]


def count_documents(searcher) -> int:
    """Return how many documents an index holds."""
    return searcher.doc_frequency("kind", "doc")
