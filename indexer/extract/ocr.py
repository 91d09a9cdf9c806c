"""OCR of scanned pages: render with pypdfium2, read with Tesseract's Dutch model (Debian tesseract-ocr-nld)."""
from __future__ import annotations

import functools
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..settings import child_environment

OCR_LANGUAGE = "nld"
OCR_DPI = 300
OCR_TIMEOUT = 180.0


@functools.lru_cache(maxsize=None)
def ocr_missing_reason() -> str | None:
    """Return why OCR cannot run here (in Dutch), or None when Tesseract with the Dutch model is available."""
    exe = shutil.which("tesseract")
    if not exe:
        return "tesseract is niet geïnstalleerd (Debian: tesseract-ocr tesseract-ocr-nld)"
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"tesseract start niet ({exc})"
    if OCR_LANGUAGE not in out.stdout.split():
        return f"het Nederlandse taalmodel van tesseract ontbreekt (Debian: tesseract-ocr-{OCR_LANGUAGE})"
    return None


def ocr_page(path: str | Path, number: int, dpi: int = OCR_DPI, timeout: float = OCR_TIMEOUT) -> str:
    """Render page `number` (1-based) and return the text Tesseract reads on it."""
    return ocr_page_words(path, number, dpi, timeout)[0]


def ocr_page_words(path: str | Path, number: int, dpi: int = OCR_DPI,
                   timeout: float = OCR_TIMEOUT) -> tuple[str, list[list]]:
    """Render page `number` (1-based); return Tesseract's text and its words as [left, top, right, bottom, text].

    Word boxes are fractions of the rendered page (0..1 from the top left), so the page view can mark a word on
    an image of any size. One Tesseract run writes both the text and the TSV of word boxes.
    """
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        bitmap = doc[number - 1].render(scale=dpi / 72, grayscale=True)
        width, height, stride = bitmap.width, bitmap.height, bitmap.stride
        data = memoryview(bitmap.buffer).cast("B")
        with tempfile.TemporaryDirectory(prefix="kb-ocr-") as tmp:
            image = Path(tmp) / "page.pgm"
            with image.open("wb") as fh:  # PGM needs no imaging library and Tesseract reads it directly
                fh.write(f"P5 {width} {height} 255\n".encode())
                for row in range(height):
                    fh.write(data[row * stride: row * stride + width])
            # One OpenMP thread: as fast per page here and leaves the other cores to the other workers.
            env = child_environment(OMP_THREAD_LIMIT="1")
            out = Path(tmp) / "page"
            subprocess.run(["tesseract", str(image), str(out), "-l", OCR_LANGUAGE, "--dpi", str(dpi), "txt", "tsv"],
                           capture_output=True, env=env, timeout=timeout, check=True)
            text = out.with_suffix(".txt").read_bytes().decode("utf-8", "replace")
            tsv = out.with_suffix(".tsv").read_bytes().decode("utf-8", "replace")
    finally:
        doc.close()
    return text, tsv_words(tsv, width, height)


def tsv_words(tsv: str, width: int, height: int) -> list[list]:
    """Return the words of Tesseract's TSV output as [left, top, right, bottom, text] in fractions of the page."""
    words = []
    for line in tsv.splitlines()[1:]:
        cols = line.split("\t")
        # level 5 is a word; columns: level page block par line word left top width height conf text
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        try:
            left, top, w, h = (int(c) for c in cols[6:10])
        except ValueError:
            continue
        words.append([round(left / width, 4), round(top / height, 4), round((left + w) / width, 4),
                      round((top + h) / height, 4), cols[11].strip()])
    return words
