"""Every version stamp of the index in one place: what the `--if-needed` fingerprint and `update` compare.

A stamp changes when the code that makes index content changes. Bump the constant named in STAMPS (never a
stamp here): then `kennisbank build --if-needed` (and so `make run`) rebuilds, and `update` rebuilds in full.
"""
from __future__ import annotations

import functools
import hashlib
import json
from importlib import metadata, resources
from pathlib import Path
from typing import Callable

import whoosh

from .. import analysis, derive, extract, settings
from ..analysis import analyzer
from ..corpus import CATALOGUE_FILE, PDF_DIR
from ..extract import cache as extract_cache
from ..extract.ocr import ocr_missing_reason
from ..extract.options import ocr_wanted
from ..files import file_sha256
from . import access, schema, scoretables

# name -> (module, constant): each constant is a hand-bumped version of one stage's output.
STAMPS = {
    "schema": (schema, "SCHEMA_VERSION"),
    "analysis": (analyzer, "ANALYSIS_VERSION"),
    "extraction": (extract_cache, "EXTRACT_VERSION"),
    "score_tables": (scoretables, "VERSION"),
    "derive": (derive, "DERIVE_VERSION"),  # metadata read from PDFs without a record
    "access": (access, "ACCESS_VERSION"),
}
# Stamps whose change makes an existing generation unusable as the base of `update` (it rebuilds in full).
# A change of extraction needs no full build: `update` reads every PDF again (the cache key changed) and
# replaces each document whose text changed.
INDEX_FORMAT = ("schema", "analysis", "analysis_data", "whoosh")
# Every word list the analysis reads (laws.txt decides which citations become terms); a test checks none is missing.
ANALYSIS_DATA = ("data/compounds.txt", "data/stems.txt", "data/families.txt", "data/laws.txt")


def stamps() -> dict[str, str]:
    """Return every stamp: the hand-bumped versions, plus what changes analysis or extraction without them."""
    found = {name: str(getattr(module, constant)) for name, (module, constant) in STAMPS.items()}
    found["extraction_settings"] = extract.settings_key()  # pdfminer layout, OCR language and resolution, ...
    found["analysis_data"] = analysis_data_digest()
    found["whoosh"] = whoosh.versionstring()
    # Whether scanned pages are read by OCR (KENNISBANK_OCR and Tesseract with the Dutch model): turning it on, or
    # installing Tesseract, makes `build --if-needed` read the pages that were left without text.
    ocr = ocr_wanted(settings.from_env(), warn=False) and ocr_missing_reason() is None
    found["ocr"] = "1" if ocr else "0"
    return found


def analysis_data_digest() -> str:
    """Hash the maintainers' analysis data files and the word list the compound splitter reads."""
    h = hashlib.sha256(f"wordfreq={wordfreq_version()}\n".encode())
    for name in ANALYSIS_DATA:
        h.update(resources.files(analysis.__name__).joinpath(name).read_bytes())
    return h.hexdigest()[:16]


@functools.lru_cache(maxsize=None)
def wordfreq_version() -> str:
    """Return the installed wordfreq's version, once per process: asking parses its METADATA (1 ms, and an update
    asks for every stamp four times)."""
    return metadata.version("wordfreq")


def fingerprint(corpus_dir: str | Path, sha256: Callable[[Path], str] = file_sha256) -> str:
    """Hash every stamp, the catalogue and every PDF's bytes: equal fingerprints mean an equal index.

    `sha256` gives a PDF's digest (a DigestMemo's, to skip reading files whose stat is unchanged).
    """
    corpus_dir = Path(corpus_dir)
    h = hashlib.sha256(json.dumps(stamps(), sort_keys=True).encode())
    catalogue = corpus_dir / CATALOGUE_FILE
    h.update(catalogue.read_bytes() if catalogue.is_file() else b"")
    pdf_dir = corpus_dir / PDF_DIR
    for pdf in sorted(pdf_dir.glob("*")) if pdf_dir.is_dir() else []:
        if pdf.is_file() and pdf.suffix.lower() == ".pdf":
            h.update(f"\n{pdf.name}\n".encode())
            h.update(sha256(pdf).encode())
    return h.hexdigest()


def same_format(manifest: dict) -> bool:
    """Tell whether a generation was written in this code's index format (so `update` may build on it)."""
    saved, now = manifest.get("stamps") or {}, stamps()
    return all(saved.get(name) == now[name] for name in INDEX_FORMAT)
