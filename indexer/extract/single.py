"""Extract one PDF in this process: pdfminer, else pypdfium2, then OCR of scanned pages."""
from __future__ import annotations

from pathlib import Path

from .model import ExtractedPDF, ExtractionError
from .ocr import ocr_missing_reason, ocr_page_words
from .pages import apply_ocr, drop_ocr_running_lines, ocr_skipped_warning
from .pdfium import extract_with_pdfium
from .textlayer import extract_text_layer


def extract_pdf(path: str | Path, *, ocr: bool = True) -> ExtractedPDF:
    """Extract one PDF in this process: pdfminer, else pypdfium2, then OCR of scanned pages when Tesseract is here."""
    path = Path(path)
    try:
        pdf = extract_text_layer(path)
    except ExtractionError as exc:
        if not exc.fallback:
            raise
        pdf = extract_with_pdfium(path, after=str(exc))
    if ocr and pdf.needs_ocr:
        if ocr_missing_reason():
            pdf.warnings.append(ocr_skipped_warning(pdf.needs_ocr))
        else:
            for number in list(pdf.needs_ocr):
                apply_ocr(pdf, number, *ocr_page_words(path, number))
            drop_ocr_running_lines(pdf)
    return pdf
