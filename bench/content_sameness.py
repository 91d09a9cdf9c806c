"""Sameness check: every page of every PDF laid out by the fast paths of indexer.extract and by pdfminer's own.

Usage: .venv/bin/python -m bench.content_sameness [PDF or folder ...] (default BENCH_PDFS or ../shared/bench-pdfs).
Each PDF's pages are laid out twice by indexer.extract.textlayer's TextAggregator: through indexer.extract.internals
(FastInterpreter, render_string_horizontal, group_objects), and with that module switched off (pdfminer's PDFPageInterpreter,
render_char and group_objects). Every layout object is compared: its class, its bounding box (exact floats), its
text, and for characters the font, matrix, advance, size and uprightness. Prints each difference and a summary;
exits 1 when there is any. Page contents the fast path hands to pdfminer's own parser are counted.
"""
from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

from pdfminer.layout import LAParams, LTChar, LTContainer, LTText
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from indexer.extract import contentstream, internals
from indexer.extract.textlayer import LAPARAMS, TextAggregator

from .extraction import pdf_folder


def dump(item) -> tuple:
    """A layout object and everything in it, as plain values."""
    # the nearest pdfminer class: the fast path makes internals.Char for LTChar, both paths boxorder.Page for LTPage
    own: tuple = (next(c.__name__ for c in type(item).__mro__ if c.__module__.startswith("pdfminer.")),)
    if hasattr(item, "bbox"):
        own += (item.bbox,)
    if isinstance(item, LTChar):
        own += (item.get_text(), item.fontname, item.matrix, item.adv, item.size, item.upright)
    elif isinstance(item, LTText) and not isinstance(item, LTContainer):
        own += (item.get_text(),)
    if isinstance(item, LTContainer):
        own += (tuple(dump(child) for child in item),)
    return own


def layouts(path: Path, fast: bool) -> list:
    """Each page's layout (or the error that stopped reading), with the fast paths on or off."""
    internals.ENABLED = fast
    pages: list = []
    try:
        with path.open("rb") as fh:
            doc = PDFDocument(PDFParser(fh))
            resources = PDFResourceManager(caching=True)
            device = TextAggregator(resources, laparams=LAParams(**LAPARAMS))
            interpreter = internals.FastInterpreter(resources, device)
            for pdf_page in PDFPage.create_pages(doc):
                interpreter.process_page(pdf_page)
                pages.append(dump(device.get_result()))
    except Exception as exc:  # the same damaged file must fail the same way on both paths
        pages.append(("error", type(exc).__name__, str(exc)[:200]))
    finally:
        internals.ENABLED = True
    return pages


def first_difference(a, b, where: str = "") -> str:
    if type(a) is not type(b) or (not isinstance(a, tuple) and a != b):
        return f"{where}: {a!r:.200} != {b!r:.200}"
    if isinstance(a, tuple):
        if len(a) != len(b):
            return f"{where}: {len(a)} != {len(b)} parts"
        for n, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{where}/{n}")
            if found:
                return found
    return ""


def main(args: list[str]) -> int:
    logging.getLogger("pdfminer").setLevel(logging.CRITICAL)
    roots = [Path(a) for a in args] or [pdf_folder()]
    if roots[0] is None:
        print("Geen map met PDF's gevonden (BENCH_PDFS of ../shared/bench-pdfs).")
        return 2
    files = sorted(p for r in roots for p in ([r] if r.is_file() else r.rglob("*")) if p.suffix.lower() == ".pdf")
    unsure = {"n": 0}
    original = internals.content_objects

    def counting(datas):
        try:
            return original(datas)
        except contentstream.Unsure:
            unsure["n"] += 1
            raise

    internals.content_objects = counting
    pages = differing = errors = 0
    timings = {True: 0.0, False: 0.0}
    for path in files:
        results = {}
        for fast in (False, True):
            started = time.process_time()
            results[fast] = layouts(path, fast)
            timings[fast] += time.process_time() - started
        slow, quick = results[False], results[True]
        pages += len(slow)
        errors += sum(1 for p in slow if p[0] == "error")
        for n in range(max(len(slow), len(quick))):
            found = first_difference(slow[n] if n < len(slow) else None, quick[n] if n < len(quick) else None)
            if found:
                differing += 1
                print(f"VERSCHIL {path.name} pagina {n + 1} {found}")
    internals.content_objects = original
    print(f"{len(files)} PDF's, {pages} pagina's, {differing} met verschil; {unsure['n']} inhoud(en) door pdfminer "
          f"zelf gelezen; {errors} PDF('s) waar beide paden stoppen; CPU pdfminer {timings[False]:.1f} s, "
          f"snel pad {timings[True]:.1f} s")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
