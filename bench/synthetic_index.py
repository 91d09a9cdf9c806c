"""Index a synthetic corpus two ways: through the project's own indexing code, and with Whoosh used plainly."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema

from indexer.analysis import ANALYSIS_VERSION
from indexer.index import versions
from indexer.index.analysed import AnalysedCache
from indexer.index.build import write_documents
from indexer.index.pipeline import write_generation
from indexer.index.plan import PlannedDocument, document_entries
from indexer.index.schema import SCHEMA_VERSION

from .corpus_gen import CorpusGenerator

WRITER_OPTIONS = dict(limitmb=256)
# Bump when build_ours writes different index content, so cached indexes are rebuilt rather than reused.
# b2: written by `kennisbank build`'s own write path (before: a one-off two-process writer whose merge rounded
# the field length totals and dealt documents to processes in whatever order they asked).
# b3: each index in several segments, never merged (issue 18).
# b5: the spelling word list once per segment (indexer.index.wordlist).
# b6: posting blocks under 512 bytes left uncompressed (indexer.index.postings.MIN_COMPRESS; was 128).
# b7: postings pickled with protocol 3 (indexer.index.postings.DATA_PROTOCOL).
BUILD_PATH = "b7"


def synthetic_plan(generator: CorpusGenerator, count: int) -> tuple[dict[str, PlannedDocument], int]:
    """Plan the synthetic documents as `kennisbank build` plans a corpus (all public); return them and the pages."""
    docs, pages = {}, 0
    for doc in generator.documents(count):
        docs[doc.record.id] = PlannedDocument(["all", "public"], list(document_entries(doc.record, doc.pdf)), "")
        pages += len(doc.pdf.pages)
    return docs, pages


def build_ours(index_dir: Path, generator: CorpusGenerator, count: int, progress=None, *, jobs: int | None = None,
               plan: tuple[dict, int] | None = None, keep_analysis: bool = False) -> Path:
    """Write a published generation through `kennisbank build`'s own write path (indexes, score tables, publish).

    `jobs` as KENNISBANK_INDEX_JOBS (default: that setting); `plan` a synthetic_plan made before. `progress` is
    not called: the write logs its steps on the kennisbank.build logger. With `keep_analysis` each document's
    analysis is also kept in the index folder, as `kennisbank build` keeps it (indexer.index.analysed): the cost
    of a first build.
    """
    docs, pages = plan or synthetic_plan(generator, count)
    report = {"documents": count, "public_documents": count, "pages": pages, "pdfs": count, "skipped": [],
              "unlisted": [], "seconds": 0.0, "generation": "", "unchanged": False}
    cache = AnalysedCache.of_index(index_dir) if keep_analysis else None

    def manifest() -> dict:
        return {"built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "fingerprint": f"synthetic-{count}", "stamps": versions.stamps(),
                "theme": {"title": "Synthetisch corpus"}, "report": report}
    return write_generation(Path(index_dir), lambda build_dir: write_documents(build_dir, docs, jobs, cache=cache),
                            manifest, documents=count)


def naive_schema() -> Schema:
    """One document per PDF, Whoosh's default analyzer, the whole text stored for highlighting."""
    return Schema(id=ID(stored=True, unique=True), title=TEXT(stored=True), summary=TEXT(stored=True),
                  content=TEXT(stored=True), doctype=ID(stored=True, sortable=True),
                  author=ID(stored=True, sortable=True), year=ID(stored=True, sortable=True),
                  section=ID(stored=True, sortable=True))


def build_naive(index_dir: Path, generator: CorpusGenerator, count: int, progress=None) -> Path:
    """Write the plain Whoosh index of the same documents."""
    index_dir.mkdir(parents=True, exist_ok=True)
    writer = whoosh_index.create_in(str(index_dir), naive_schema()).writer(**WRITER_OPTIONS)
    for n, doc in enumerate(generator.documents(count), start=1):
        r = doc.record
        writer.add_document(id=r.id, title=r.title, summary=r.summary, content=doc.pdf.text,
                            doctype=r.doctype, author=r.author, year=str(r.date.year), section=r.section)
        if progress and n % 1000 == 0:
            progress(n)
    writer.commit()
    return index_dir


BENCH_VAR = Path(__file__).resolve().parent / "var"


def cache_dir(which: str, count: int, seed: int) -> Path:
    """Return where one index of one corpus size lives; the name changes whenever its content would."""
    from .corpus_gen import GENERATOR_VERSION
    # The naive index depends on the corpus only; ours also on the project's schema and analysis.
    ours = f"-s{SCHEMA_VERSION}-a{ANALYSIS_VERSION}-{BUILD_PATH}" if which == "ours" else ""
    return BENCH_VAR / f"search-{count}-seed{seed}-g{GENERATOR_VERSION}{ours}" / which


def ensure_built(which: str, generator: CorpusGenerator, count: int, log=print) -> Path:
    """Build `ours` or `naive` for this size unless a complete build is cached; return its folder."""
    import time
    folder = cache_dir(which, count, generator.seed)
    done = folder / "COMPLETE"
    if done.is_file():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    started = time.monotonic()
    build = build_ours if which == "ours" else build_naive
    build(folder, generator, count, progress=lambda n: log(f"  {which} {count}: {n} documents indexed"))
    done.write_text(f"{time.monotonic() - started:.1f}\n")
    log(f"  {which} {count}: built in {time.monotonic() - started:.0f} s")
    return folder


if __name__ == "__main__":  # python -m bench.synthetic_index ours 20000: build one cached index ahead of a run
    import sys

    from .corpus_gen import dutch_vocabulary
    ensure_built(sys.argv[1], CorpusGenerator(dutch_vocabulary()), int(sys.argv[2]))
