"""Text per page with pdfminer.six: text boxes with their positions, the document's title and date."""
from __future__ import annotations

from pathlib import Path

from .metadata import read_metadata
from .model import ENCRYPTED, ExtractedPDF, ExtractionError, RawPage, check_header
from .pages import finish
from .pdfium import outline_and_page_count
from .running_heads import Line

# char_margin is how far apart (in character widths) two characters may stand and still share a line. At 4.0 the
# lines of two columns with a gutter under ~28 pt (5 widths of 10 pt text) were read as one line ("zijn even-Een
# meerderheid ervaart", issue 14); pdfminer's default 2.0 keeps gutters from ~16 pt apart
# (tests/test_clean_snippets.py).
# all_texts reads text in figures too.
LAPARAMS = dict(char_margin=2.0, line_margin=0.5, word_margin=0.1, all_texts=True)


def extract_text_layer(path: Path) -> ExtractedPDF:
    """Extract with pdfminer.six; ExtractionError(fallback=True) when pypdfium2 should try instead."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    check_header(path)
    raw: list[RawPage] = []
    try:
        for number, layout in enumerate(extract_pages(path, laparams=LAParams(**LAPARAMS)), start=1):
            page = RawPage(number=number, height=layout.height, boxes=[])
            _collect(layout, page)
            raw.append(page)
        title, date = read_metadata(path)
    except PDFPasswordIncorrect:
        raise ExtractionError(ENCRYPTED) from None
    except MemoryError:
        raise ExtractionError("geheugenlimiet overschreden", fallback=True) from None
    except Exception as exc:  # pdfminer raises many kinds of errors on damaged files
        name = type(exc).__name__
        if "Encrypt" in name or "Password" in name:
            raise ExtractionError(ENCRYPTED) from None
        raise ExtractionError(f"{name}: {str(exc)[:120]}", fallback=True) from None
    outline, page_count = outline_and_page_count(path)
    if not raw:
        raise ExtractionError("geen pagina's gevonden", fallback=True)
    if page_count and page_count > len(raw):
        raise ExtractionError(f"pdfminer las {len(raw)} van {page_count} pagina's", fallback=True)
    return finish(raw, outline, title=title, date=date, extractor="pdfminer")


def _collect(container, page: RawPage) -> None:
    """Gather text boxes (also those inside figures) and note whether the page holds an image."""
    from pdfminer.layout import LTFigure, LTImage, LTTextBox, LTTextLine

    for el in container:
        if isinstance(el, LTTextBox):
            page.boxes.append([Line(ln.get_text().rstrip("\n"), ln.y0, ln.y1)
                               for ln in el if isinstance(ln, LTTextLine)])
        elif isinstance(el, LTTextLine):
            page.boxes.append([Line(el.get_text().rstrip("\n"), el.y0, el.y1)])
        elif isinstance(el, LTImage):
            page.has_image = True
        elif isinstance(el, LTFigure):
            _collect(el, page)
