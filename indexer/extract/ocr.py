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
            result = subprocess.run(["tesseract", str(image), "stdout", "-l", OCR_LANGUAGE, "--dpi", str(dpi)],
                                    capture_output=True, env=env, timeout=timeout, check=True)
    finally:
        doc.close()
    return result.stdout.decode("utf-8", "replace")
