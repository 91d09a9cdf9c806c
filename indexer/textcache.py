"""The extracted text of each PDF, kept per generation by SHA-256, so `kennisbank update` re-reads only changed PDFs."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from pathlib import Path

from . import store
from .extract import ExtractedPDF, ExtractionError, Page

Result = ExtractedPDF | ExtractionError


def dump(result: Result) -> dict:
    """Return an extraction result (pages or the reason it failed) as plain data."""
    if isinstance(result, ExtractionError):
        return {"error": str(result)}
    data = dataclasses.asdict(result)
    data["date"] = result.date.isoformat() if result.date else None
    return data


def load(data: dict) -> Result:
    """Rebuild an extraction result from dump(); unknown keys are ignored so older caches stay readable."""
    if "error" in data:
        return ExtractionError(data["error"])
    page_fields = {f.name for f in dataclasses.fields(Page)}
    pages = [Page(**{k: v for k, v in p.items() if k in page_fields}) for p in data["pages"]]
    other = {f.name: data[f.name] for f in dataclasses.fields(ExtractedPDF)
             if f.name in data and f.name not in ("pages", "date")}
    date = dt.date.fromisoformat(data["date"]) if data.get("date") else None
    return ExtractedPDF(pages=pages, date=date, **other)


def lookup(gen: Path | None, sha: str) -> Result | None:
    """Return the cached result for a PDF's SHA-256 in a generation, or None when absent or unreadable."""
    if gen is None:
        return None
    try:
        return load(json.loads((gen / store.EXTRACTED / f"{sha}.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError):
        return None  # a cache miss only costs a re-extraction


def save(build_dir: Path, results: dict[str, Result]) -> None:
    """Write results by SHA-256 into a build folder and drop cached files no PDF uses any more."""
    folder = build_dir / store.EXTRACTED
    folder.mkdir(exist_ok=True)
    for sha, result in results.items():
        path = folder / f"{sha}.json"
        if not path.exists():
            tmp = folder / f".{sha}.tmp"
            tmp.write_text(json.dumps(dump(result), ensure_ascii=False, default=str), encoding="utf-8")
            os.replace(tmp, path)
    for path in folder.iterdir():
        if path.stem not in results:
            path.unlink()
