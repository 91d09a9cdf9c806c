"""What an update takes over from the previous generation without reading or planning it: unchanged documents.

A document's entries are a function of its inputs (plan.inputs_key: its record, or for a PDF without one its id
and access; its PDF's bytes; whether the document replacing it is public) and of the code and settings the
manifest's stamps name. When the stamps are the same and a document's inputs are those the previous manifest
holds, its digest, size and report facts are taken from there; its entries are made only if a segment written anew
holds it. On the 71 bench PDFs, loading their cached text and planning every document took 50 of an update's
240 ms; in a folder of PDFs without records, describing each from its text (indexer.derive) took 180 ms more.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..extract import ExtractCache, ExtractOptions, extract_many
from . import versions
from .plan import FACTS, PlannedDocument


class Reuse:
    """The previous generation's documents, offered to plan.plan_documents by their inputs."""

    def __init__(self, manifest: dict, sha256: Callable[[Path], str], ocr_ready: bool):
        self.docs: dict = manifest.get("documents") or {}
        self.pdfs: dict = manifest.get("pdfs") or {}
        self.sha256 = sha256
        self.ocr_ready = ocr_ready
        self._read = {doc.get("pdf") for doc in self.docs.values() if self._settled(doc)} - {None, ""}

    @classmethod
    def of(cls, manifest: dict, sha256: Callable[[Path], str]) -> Reuse | None:
        """Return what can be taken over from a generation, or None when any stamp differs from this code's."""
        now = versions.stamps()
        if manifest.get("stamps") != now or not isinstance(manifest.get("documents"), dict):
            return None
        return cls(manifest, sha256, now.get("ocr") == "1")

    def _settled(self, doc) -> bool:
        # Read again, a PDF that failed or had scanned pages OCR could read now may give more.
        return isinstance(doc, dict) and doc.get("failed") is False and not (doc.get("unread") and self.ocr_ready)

    def sha(self, path: Path) -> str | None:
        try:
            return self.sha256(path)
        except OSError:
            return None  # reported when it is read

    def settled(self, path: Path) -> bool:
        """Tell whether this PDF, with these bytes, was read in full for the previous generation (it had text)."""
        return path.name in self._read and self.pdfs.get(path.name) == self.sha(path)

    known = settled  # plan.unlisted_ids: a settled PDF without a record has text

    def document(self, doc_id: str, inputs: str, load: Callable[[], PlannedDocument]) -> PlannedDocument | None:
        """Return the previous generation's document when it was planned from these inputs (its entries made by
        `load` when asked for), else None."""
        old = self.docs.get(doc_id)
        if not self._settled(old) or old.get("inputs") != inputs or not isinstance(old.get("chars"), dict):
            return None
        return PlannedDocument(list(old["targets"]), None, old["digest"], old.get("only_in") or {}, inputs,
                               {name: old.get(name) for name in FACTS}, dict(old["chars"]), load=load)


class LazyResults:
    """Extraction results by path: those read already, and the rest from the cache when first asked for."""

    def __init__(self, results: dict, options: ExtractOptions, cache: ExtractCache):
        self.results, self.options, self.cache = dict(results), options, cache

    def get(self, path: Path):
        if path not in self.results:
            self.results.update(extract_many([path], self.options, cache=self.cache, prune=False))
        return self.results[path]

    def __len__(self) -> int:
        return len(self.results)  # how many were looked up: minus the cache's hits, how many were read
