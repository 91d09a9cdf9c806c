"""OCR of scanned pages: render with pypdfium2, turn sideways pages upright, read with Tesseract's Dutch model.

Tesseract (Debian tesseract-ocr-nld, plus its osd model for orientation) gives every word a confidence; words it
is unsure of are left out, so noise never reaches the index, snippets or summaries.
"""
from __future__ import annotations

import csv
import functools
import io
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..settings import child_environment

OCR_LANGUAGE = "nld"
OCR_DPI = 300
OCR_TIMEOUT = 180.0
# Words below this confidence (0-100) are left out: on real scans they are almost all noise ("Dh me mn ed",
# "EeZsj"), while real words score 80-96.
OCR_MIN_CONFIDENCE = 40
# A page read upright has most of its words confident; below this share, try the orientation OSD proposes.
UPRIGHT_SHARE = 0.6
CONFIDENT = 60


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


@functools.lru_cache(maxsize=None)
def osd_available() -> bool:
    """Tell whether Tesseract's orientation model (osd) is installed; without it pages are read as they lie."""
    try:
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return "osd" in out.stdout.split()


@dataclass
class Word:
    """One word Tesseract read, with its confidence, its place (block, paragraph, line) and its box.

    The box is (left, top, right, bottom) in fractions of the image Tesseract read (0..1 from the top left).
    """

    text: str
    confidence: float
    line: tuple[int, int, int]
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)


def ocr_page(path: str | Path, number: int, dpi: int = OCR_DPI, timeout: float = OCR_TIMEOUT) -> str:
    """Render page `number` (1-based), read it upright, and return the words Tesseract is confident of."""
    return ocr_page_words(path, number, dpi, timeout)[0]


def ocr_page_words(path: str | Path, number: int, dpi: int = OCR_DPI,
                   timeout: float = OCR_TIMEOUT) -> tuple[str, list[list]]:
    """Render page `number` (1-based), read it upright; return the confident words' text and their boxes.

    Boxes are [left, top, right, bottom, text] in fractions of the page as the PDF shows it (0..1 from the top
    left, turned back when the page was read rotated), so the page view can mark a word on an image of any size.
    """
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        with tempfile.TemporaryDirectory(prefix="kb-ocr-") as tmp:
            image = Path(tmp) / "page.pgm"
            size = _render(doc[number - 1], dpi, 0, image)
            words, rotation = read_words(image, dpi, timeout, size), 0
            if _confident_share(words) < UPRIGHT_SHARE:
                words, rotation = _best_rotation(doc[number - 1], dpi, image, words, timeout)
    finally:
        doc.close()
    boxes = [[*unrotate(w.box, rotation), w.text] for w in words if w.confidence >= OCR_MIN_CONFIDENCE]
    return words_to_text(words), boxes


def unrotate(box: tuple[float, float, float, float], rotation: int) -> list[float]:
    """Return a box read on a page turned `rotation` degrees clockwise, in fractions of the unturned page."""
    left, top, right, bottom = box
    corners = [(left, top), (right, bottom)]
    if rotation == 90:
        corners = [(y, 1 - x) for x, y in corners]
    elif rotation == 180:
        corners = [(1 - x, 1 - y) for x, y in corners]
    elif rotation == 270:
        corners = [(1 - y, x) for x, y in corners]
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    return [round(min(xs), 4), round(min(ys), 4), round(max(xs), 4), round(max(ys), 4)]


def _best_rotation(page, dpi: int, image: Path, words: list[Word], timeout: float) -> tuple[list[Word], int]:
    """Read a doubtful page turned as Tesseract's OSD proposes, then a quarter turn either way; keep the reading
    with the most confident words. OSD alone misjudges drawings and sparse pages (measured on the bench scans:
    it proposed 90 degrees where 270 read the title block), so its answer only goes first."""
    proposed = orientation(image, timeout) if osd_available() else 0
    tried, best = {0}, 0
    for rotation in (proposed, 90, 270):
        if rotation in tried:
            continue
        tried.add(rotation)
        size = _render(page, dpi, rotation, image)
        turned = read_words(image, dpi, timeout, size)
        if _confident_count(turned) > _confident_count(words):
            words, best = turned, rotation
        if _confident_share(words) >= UPRIGHT_SHARE:
            break
    return words, best


def _render(page, dpi: int, rotation: int, image: Path) -> tuple[int, int]:
    """Write a page as a grayscale PGM (no imaging library needed; Tesseract reads it directly); return its size."""
    bitmap = page.render(scale=dpi / 72, grayscale=True, rotation=rotation)
    width, height, stride = bitmap.width, bitmap.height, bitmap.stride
    data = memoryview(bitmap.buffer).cast("B")
    with image.open("wb") as fh:
        fh.write(f"P5 {width} {height} 255\n".encode())
        for row in range(height):
            fh.write(data[row * stride: row * stride + width])
    return width, height


def _tesseract(args: list[str], timeout: float) -> str:
    # One OpenMP thread: as fast per page here and leaves the other cores to the other workers.
    env = child_environment(OMP_THREAD_LIMIT="1")
    result = subprocess.run(["tesseract", *args], capture_output=True, env=env, timeout=timeout, check=True)
    return result.stdout.decode("utf-8", "replace")


def read_words(image: Path, dpi: int, timeout: float, size: tuple[int, int] = (1, 1)) -> list[Word]:
    """Return the words of an image with their confidences and boxes (Tesseract's TSV output)."""
    width, height = size
    tsv = _tesseract([str(image), "stdout", "-l", OCR_LANGUAGE, "--dpi", str(dpi), "tsv"], timeout)
    words = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        try:
            confidence = float(row.get("conf") or -1)
            line = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
            left, top, w, h = (int(row[k]) for k in ("left", "top", "width", "height"))
        except (KeyError, ValueError, TypeError):
            continue
        if text and confidence >= 0:
            words.append(Word(text, confidence, line, (left / width, top / height, (left + w) / width,
                                                       (top + h) / height)))
    return words


def orientation(image: Path, timeout: float) -> int:
    """Return the clockwise rotation (0, 90, 180, 270) that turns the page upright, per Tesseract's OSD."""
    try:
        out = _tesseract([str(image), "stdout", "--psm", "0", "-l", "osd"], timeout)
    except subprocess.CalledProcessError:
        return 0  # too little text to tell ("Too few characters"): read it as it lies
    match = re.search(r"Rotate:\s*(\d+)", out)
    return int(match.group(1)) % 360 if match else 0


def _confident_count(words: list[Word]) -> int:
    """How many real-looking words (three letters or more) Tesseract is confident of."""
    return sum(1 for w in words if w.confidence >= CONFIDENT and sum(c.isalpha() for c in w.text) >= 3)


def _confident_share(words: list[Word]) -> float:
    return _confident_count(words) / max(1, sum(1 for w in words if sum(c.isalpha() for c in w.text) >= 3))


def words_to_text(words: list[Word], min_confidence: float = OCR_MIN_CONFIDENCE) -> str:
    """Join confident words into lines, and paragraphs into blocks separated by a blank line."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    for w in words:
        if w.confidence >= min_confidence:
            lines.setdefault(w.line, []).append(w.text)
    out, previous = [], None
    for key in sorted(lines):
        if previous is not None and key[:2] != previous[:2]:
            out.append("")
        out.append(" ".join(lines[key]))
        previous = key
    return "\n".join(out)
