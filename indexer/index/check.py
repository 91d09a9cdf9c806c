"""Checks that read without writing: validate a corpus, describe an index."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import settings
from ..corpus import PDF_DIR, load_catalogue, unlisted_pdfs
from ..extract import CACHE_DIRNAME, ExtractionError, ExtractOptions, extract_many
from ..files import folder_size
from . import scoretables, store
from .analysed import FOLDER as ANALYSED_FOLDER


@dataclass
class CheckResult:
    """What `kennisbank check` found."""

    records: int = 0
    pdfs: int = 0
    unlisted: list[str] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)


def check_corpus(corpus_dir: str | Path) -> CheckResult:
    """Validate the catalogue (raising CatalogueError) and try to read every PDF."""
    catalogue = load_catalogue(corpus_dir)
    pdf_dir = Path(corpus_dir) / PDF_DIR
    extra = unlisted_pdfs(corpus_dir, catalogue)
    paths = [pdf_dir / r.pdf for r in catalogue.records if r.pdf] + extra
    result = CheckResult(records=len(catalogue.records), pdfs=len(paths), unlisted=[p.name for p in extra])
    # Without OCR: a check only needs to know that each file opens and has pages.
    extracted = extract_many(paths, replace(ExtractOptions.from_settings(settings.from_env()), ocr=False))
    result.unreadable += [(p.name, str(r)) for p, r in extracted.items() if isinstance(r, ExtractionError)]
    return result


def index_stats(index_dir: str | Path) -> dict:
    """Return the current generation's manifest plus sizes, and every generation with its size and build time."""
    gen = store.current_generation(index_dir)
    manifest = store.read_manifest(gen)
    return {
        "generation": gen.name,
        "built_at": manifest["built_at"],
        "report": manifest["report"],
        "sizes": {name: folder_size(gen / name) for name in store.INDEX_NAMES},
        "score_tables": {name: scoretables.describe(gen, name) for name in store.INDEX_NAMES},
        "generations": [_describe(g, current=g == gen) for g in store.generations(index_dir)],
        "kept": kept_for_builds(Path(index_dir)),
    }


def kept_for_builds(index_dir: Path) -> dict:
    """Return the bytes the index folder keeps for the next build beside its generations: the PDFs' text
    (extraction cache), what analysis made of each document (and how many files), the analysed words."""
    analysed = index_dir / ANALYSED_FOLDER
    return {"text": folder_size(index_dir / CACHE_DIRNAME), "analysis": folder_size(analysed),  # (0 when missing)
            "analysis_files": sum(1 for p in analysed.iterdir() if p.is_file()) if analysed.is_dir() else 0,
            "words": sum(p.stat().st_size for p in (index_dir / store.WORD_MEMO, index_dir / store.LEXICON)
                         if p.is_file())}


def _describe(gen: Path, current: bool) -> dict:
    """Describe one generation for `kennisbank stats`: name, when and how built, documents, size."""
    try:
        manifest = store.read_manifest(gen)
    except store.IndexMissing:
        manifest = {}
    report = manifest.get("report", {})
    return {"name": gen.name, "current": current, "built_at": manifest.get("built_at"),
            "seconds": report.get("seconds"), "mode": report.get("mode", "build"),
            "documents": report.get("documents"), "size": folder_size(gen)}
