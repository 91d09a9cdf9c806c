"""Measure OCR with orientation detection and confidence filtering against plain Tesseract, in one run.

Usage: .venv/bin/python -m bench.ocr_orientation FILE.pdf [FILE.pdf ...]
Per PDF: seconds for the plain read (Tesseract as it was called before: text output, page as it lies) and for
ocr_page (upright, confident words only), as a ratio; how many words each gives; how many look like noise
(mixed case inside a word, or no vowel); and which of the words given with --find each text contains.
"""
from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium

from indexer.extract.ocr import OCR_DPI, OCR_LANGUAGE, _render, _tesseract, ocr_page

_NOISE = re.compile(r"[a-z][A-Z]|^[^aeiouyAEIOUY]{3,}$")


def plain(path: Path, number: int) -> str:
    """The OCR as it was: render at OCR_DPI, Tesseract's text output, page as it lies."""
    doc = pdfium.PdfDocument(str(path))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            image = Path(tmp) / "page.pgm"
            _render(doc[number - 1], OCR_DPI, 0, image)
            return _tesseract([str(image), "stdout", "-l", OCR_LANGUAGE, "--dpi", str(OCR_DPI)], 180)
    finally:
        doc.close()


def words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]{3,}", text)


def main(argv: list[str]) -> int:
    find = []
    if "--find" in argv:
        i = argv.index("--find")
        find, argv = argv[i + 1].split(","), argv[:i] + argv[i + 2:]
    for name in argv:
        path = Path(name)
        pages = len(pdfium.PdfDocument(str(path)))
        texts, seconds = {}, {}
        for label, fn in (("plain", plain), ("upright", ocr_page)):
            started = time.perf_counter()
            texts[label] = "\n".join(fn(path, n) for n in range(1, pages + 1))
            seconds[label] = time.perf_counter() - started
        print(f"{path.name}: {pages} pages; upright/plain time {seconds['upright'] / seconds['plain']:.2f} "
              f"({seconds['plain']:.1f} s vs {seconds['upright']:.1f} s)")
        for label, text in texts.items():
            w = words(text)
            noise = sum(1 for x in w if _NOISE.search(x))
            found = [f for f in find if f.lower() in text.lower()]
            print(f"  {label:8} {len(w):5} words, {noise:4} noise-like ({noise / max(1, len(w)):.0%}); found: {found}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
