"""Text per page with pdfminer.six: text boxes with their positions, the document's title and date."""
from __future__ import annotations

from pathlib import Path

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTFigure, LTImage, LTTextBox, LTTextLine
from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from .boxorder import Figure, Page
from .internals import FastInterpreter, render_string_horizontal
from .metadata import document_metadata
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


class TextAggregator(PDFPageAggregator):
    """pdfminer's page layout without lines, rectangles and curves (which group no text, and nothing reads), its
    text boxes put in reading order by indexer.extract.boxorder (pdfminer's order, found faster)."""

    def begin_page(self, page, ctm) -> None:
        super().begin_page(page, ctm)
        item = self.cur_item
        self.cur_item = Page(item.pageid, item.bbox, item.rotate)

    def begin_figure(self, name, bbox, matrix) -> None:
        super().begin_figure(name, bbox, matrix)
        self.cur_item = Figure(name, bbox, self.cur_item.matrix)

    def paint_path(self, gstate, stroke, fill, evenodd, path) -> None:
        pass

    def render_string_horizontal(self, *args):
        # the characters made faster by indexer.extract.internals (the same ones), or by pdfminer
        end = render_string_horizontal(self, *args)
        return super().render_string_horizontal(*args) if end is None else end


def extract_text_layer(path: Path) -> ExtractedPDF:
    """Extract with pdfminer.six; ExtractionError(fallback=True) when pypdfium2 should try instead."""
    check_header(path)
    raw: list[RawPage] = []
    try:
        # pdfminer.high_level.extract_pages, but the document is parsed once for its pages and its metadata.
        with path.open("rb") as fh:
            doc = PDFDocument(PDFParser(fh))
            resources = PDFResourceManager(caching=True)
            device = TextAggregator(resources, laparams=LAParams(**LAPARAMS))
            interpreter = FastInterpreter(resources, device)
            for number, pdf_page in enumerate(PDFPage.create_pages(doc), start=1):
                interpreter.process_page(pdf_page)
                layout = device.get_result()
                page = RawPage(number=number, height=layout.height, boxes=[])
                _collect(layout, page)
                raw.append(page)
            title, date = document_metadata(doc)
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
