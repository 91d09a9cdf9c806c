"""Cache of extraction results keyed by a PDF's SHA-256 and the extraction settings, so rebuilds re-read nothing."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..files import DigestMemo, atomic_write, file_sha256
from .model import ExtractedPDF, ExtractionError
from .ocr import OCR_DPI, OCR_LANGUAGE, OCR_MIN_CONFIDENCE
from .pages import OCR_MIN_LETTERS
from .running_heads import BAND
from .textlayer import LAPARAMS

# Bump when the text this package produces changes: it is part of every cache key and of the index fingerprint.
EXTRACT_VERSION = "10"  # 7 twice (OCR word boxes for the page view; first-page line sizes, upright OCR), merged: 8
# 9: columns apart (char_margin 2.0), no hyphen joined across text boxes before a capital
# 10: text boxes equally far apart are grouped in pdfminer's order of the boxes, not by memory address
#     (indexer.extract.boxorder): one page of the 103 bench PDFs reads two boxes the other way round
CACHE_DIRNAME = "extract-cache"  # inside the index folder, shared by all generations
# The OCR word boxes of a result, beside it: only the page view reads them, and parsed with the text they took 3/4
# of the time a warm build or an update spent reading the cache of the 103 bench PDFs (29 of 39 ms).
WORDS_SUFFIX = ".words.json"
DIGESTS_FILE = "stat-digests.tsv"  # in that folder: each PDF's SHA-256 by its stat (indexer.files.DigestMemo)


def settings_key() -> str:
    """Hash everything that changes the extracted text (the OCR availability is kept per entry instead)."""
    settings = dict(version=EXTRACT_VERSION, laparams=LAPARAMS, band=BAND, ocr_min_letters=OCR_MIN_LETTERS,
                    ocr_language=OCR_LANGUAGE, ocr_dpi=OCR_DPI,
                    ocr_min_confidence=OCR_MIN_CONFIDENCE)
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]


class ExtractCache:
    """A folder of JSON files, one per (file content, settings) and one more for the OCR word boxes of a result
    that has them; writes are atomic, reads forgive damage."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.settings = settings_key()
        self.used: set[str] = set()
        self.hits = 0  # results served from the cache since this object was made
        self.digests: dict[Path, str] = {}  # the SHA-256 each key was made from, by path
        self.memo = DigestMemo(self.folder / DIGESTS_FILE)  # an unchanged PDF is not read to find its key

    def key(self, path: Path) -> str:
        """Return the cache key of a PDF (and remember it as in use for prune(), and its SHA-256)."""
        digest = self.digests[Path(path)] = self.memo.sha256(path)
        key = f"{digest}-{self.settings}"
        self.used.add(key)
        return key

    def get(self, key: str, ocr_ready: bool) -> ExtractedPDF | ExtractionError | None:
        """Return the cached result, or None (also when it lacks OCR text that could be made now)."""
        try:
            data = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            if "error" in data:
                self.hits += 1
                return ExtractionError(data["error"])
            pdf = ExtractedPDF.from_dict(data["pdf"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if any(page.words for page in pdf.pages):  # written before the word boxes had a file of their own
            self.put(key, pdf)
            for page in pdf.pages:
                page.words = None
        if pdf.needs_ocr and ocr_ready:
            return None  # made without OCR; Tesseract is here now
        self.hits += 1
        return pdf

    def put(self, key: str, result: ExtractedPDF | ExtractionError) -> None:
        """Store a result atomically, its OCR word boxes apart (WORDS_SUFFIX; written first, so a result's file
        never stands without them); a failure to write only costs speed next time."""
        data = {"error": str(result)} if isinstance(result, ExtractionError) else {"pdf": result.to_dict()}
        words = {str(page["number"]): page.pop("words") for page in data.get("pdf", {}).get("pages", [])
                 if page.get("words")}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if words:
                atomic_write(self.folder / f"{key}{WORDS_SUFFIX}", json.dumps(words, ensure_ascii=False))
            atomic_write(self.folder / f"{key}.json", json.dumps(data, ensure_ascii=False))
        except OSError:
            pass

    def prune(self) -> int:
        """Remove entries of files or settings not used since this cache object was made; return how many."""
        removed = 0
        for entry in self.folder.glob("*.json") if self.folder.is_dir() else []:
            if entry.name.split(".")[0] not in self.used:  # "<key>.json" and "<key>.words.json"
                entry.unlink(missing_ok=True)
                removed += 1
        return removed


def cached_pdf(folder: str | Path, path: Path) -> ExtractedPDF | None:
    """Return the cached extraction of a PDF under the current settings, or None (read only: nothing is marked used)."""
    key = f"{file_sha256(path)}-{settings_key()}"
    try:
        pdf = ExtractedPDF.from_dict(json.loads((Path(folder) / f"{key}.json").read_text(encoding="utf-8"))["pdf"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        words = json.loads((Path(folder) / f"{key}{WORDS_SUFFIX}").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return pdf  # no OCR'd page, or an entry from before the word boxes had a file of their own
    if isinstance(words, dict):
        for page in pdf.pages:
            page.words = words.get(str(page.number), page.words)
    return pdf
