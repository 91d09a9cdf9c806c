"""Benchmark the page view: a cold page render (WebP) plus its marks, against plain pypdfium2 rendering, same run.

Usage: make bench-pages   (or .venv/bin/python -m bench.pages_bench)
Environment: BENCH_PDFS=folder of PDFs (default ../shared/bench-pdfs), BENCH_LIMIT=n pages, evenly spread over
all pages of all PDFs (default 200), BENCH_QUERY=the words to mark (default "besluit verzoek openbaarmaking").
Each page is measured three ways, interleaved so the noisy machine treats them alike: plain pypdfium2 (open,
render at the sharp srcset width, close), ours cold (open, render, WebP encode, text-layer marks), and ours
cached (a file read from the page cache). Writes bench/results/pages.json.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.extraction import pdf_folder, sample  # noqa: E402
from indexer.analysis import dutch_analyzer  # noqa: E402
from indexer.analysis.compounds import lexicon  # noqa: E402
from indexer.search.pagemarks import QueryWords, text_layer_marks  # noqa: E402
from indexer.search.pagerender import WIDTHS, PageCache, render_page  # noqa: E402

RESULTS = REPO / "bench" / "results" / "pages.json"
WIDTH = WIDTHS[-1]  # the sharp one: the slowest render the page view asks for


def plain_render(path: Path, number: int) -> None:
    """The baseline: what pypdfium2 alone costs to open the PDF and render the page at the same width."""
    doc = pdfium.PdfDocument(str(path))
    try:
        page = doc[number - 1]
        page.render(scale=WIDTH / page.get_size()[0]).to_pil()
    finally:
        doc.close()


def ours_cold(path: Path, number: int, words: QueryWords, analyzers) -> tuple[bytes, int]:
    """The page view's cold work for one page: the WebP image and the marks of the query's words."""
    data = render_page(path, number, WIDTH)
    doc = pdfium.PdfDocument(str(path))
    try:
        _, marked = text_layer_marks(doc[number - 1], words, analyzers)
    finally:
        doc.close()
    return data, marked


def p(values: list[float], q: float) -> float:
    return round(sorted(values)[min(len(values) - 1, int(q * len(values)))], 2)


def main() -> int:
    folder = pdf_folder()
    if folder is None or not folder.is_dir():
        print("Geen map met PDF's gevonden (zet BENCH_PDFS).", file=sys.stderr)
        return 2
    limit = int(os.environ.get("BENCH_LIMIT") or 200)
    query = os.environ.get("BENCH_QUERY") or "besluit verzoek openbaarmaking"
    pages = []
    for path in sorted(folder.rglob("*.pdf")):
        try:
            doc = pdfium.PdfDocument(str(path))
        except Exception:
            continue
        pages += [(path, n) for n in range(1, len(doc) + 1)]
        doc.close()
    chosen = sample(pages, limit)
    analyzer = dutch_analyzer()
    lexicon()  # the decompounder's word list loads once per process (the app preloads it at start)
    words = QueryWords(terms={t.text for t in analyzer(query, mode="query")})
    plain_render(*chosen[0])
    ours_cold(*chosen[0], words, [analyzer])  # warm up imports and code paths, not pages
    plain, cold, cached, marked, sizes = [], [], [], 0, []
    with tempfile.TemporaryDirectory(prefix="kb-pages-bench-") as tmp:
        cache = PageCache(tmp, 1 << 34)
        for i, (path, number) in enumerate(chosen):
            where = cache.path("bench", "public", f"p{i}", number, WIDTH)
            order = (0, 1) if i % 2 == 0 else (1, 0)
            for which in order:
                t = time.perf_counter()
                if which == 0:
                    plain_render(path, number)
                    plain.append((time.perf_counter() - t) * 1000)
                else:
                    data, n = ours_cold(path, number, words, [analyzer])
                    cold.append((time.perf_counter() - t) * 1000)
                    marked += n
                    sizes.append(len(data))
                    cache.put(where, data)
            t = time.perf_counter()
            assert cache.get(where) is not None
            cached.append((time.perf_counter() - t) * 1000)
    result = {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "folder": str(folder), "pages": len(chosen), "of_pages": len(pages), "width_px": WIDTH, "query": query,
        "marked_words": marked, "webp_kb_mean": round(statistics.mean(sizes) / 1024, 1),
        "plain_pypdfium2_ms": {"p50": p(plain, .5), "p95": p(plain, .95)},
        "ours_cold_render_and_marks_ms": {"p50": p(cold, .5), "p95": p(cold, .95)},
        "ours_cached_ms": {"p50": p(cached, .5), "p95": p(cached, .95)},
        "ratio_cold_to_plain": {"p50": round(p(cold, .5) / p(plain, .5), 2), "p95": round(p(cold, .95) / p(plain, .95), 2)},
        "ratio_cached_to_plain_p95": round(p(cached, .95) / p(plain, .95), 4),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
