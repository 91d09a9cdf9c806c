"""Stage 1 of the data flow: clean text per page from PDFs (pdfminer.six, pypdfium2, Tesseract), cached by content.

`extract_many` reads many PDFs in worker processes; `extract_pdf` reads one in this process.
"""
from .cache import CACHE_DIRNAME, EXTRACT_VERSION, ExtractCache, settings_key
from .model import ExtractedPDF, ExtractionError, Page
from .options import ExtractOptions
from .pool import extract_many
from .single import extract_pdf

__all__ = ["CACHE_DIRNAME", "EXTRACT_VERSION", "ExtractCache", "ExtractOptions", "ExtractedPDF", "ExtractionError",
           "Page", "extract_many", "extract_pdf", "settings_key"]
