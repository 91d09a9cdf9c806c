"""Text with pypdfium2, the fallback for files pdfminer cannot read; also the outline and page count."""
from __future__ import annotations

from pathlib import Path

from .clean import clean_text
from .metadata import pdf_date
from .model import ENCRYPTED, ExtractedPDF, ExtractionError, RawPage, both_failed, check_header
from .pages import finish, outline_entry
from .running_heads import BAND, Line


def extract_with_pdfium(path: Path, after: str = "") -> ExtractedPDF:
    """Extract with pypdfium2 (more tolerant of damaged files); raise ExtractionError when it fails too."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    check_header(path)
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ExtractionError(ENCRYPTED) from None
        raise ExtractionError(both_failed(after, str(exc))) from None
    except MemoryError:
        raise ExtractionError(both_failed(after, "geheugenlimiet overschreden")) from None
    try:
        raw = []
        for index in range(len(doc)):
            page = doc[index]
            width, height = page.get_size()
            textpage = page.get_textpage()
            top = textpage.get_text_bounded(bottom=height * (1 - BAND))
            body = textpage.get_text_bounded(bottom=height * BAND, top=height * (1 - BAND))
            bottom = textpage.get_text_bounded(top=height * BAND)
            boxes = [[Line(t, height, height)] for t in _lines(top)]
            boxes.append([Line(t, height / 2, height / 2) for t in _lines(body)])
            boxes += [[Line(t, 0, 0)] for t in _lines(bottom)]
            images = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=4)
            raw.append(RawPage(number=index + 1, height=height, boxes=boxes, has_image=next(images, None) is not None))
        meta = doc.get_metadata_dict()
        outline = read_outline(doc)
    except Exception as exc:
        raise ExtractionError(both_failed(after, f"{type(exc).__name__}: {str(exc)[:120]}")) from None
    finally:
        doc.close()
    if not raw:
        raise ExtractionError(both_failed(after, "geen pagina's gevonden"))
    title = clean_text(meta.get("Title") or "") or None
    pdf = finish(raw, outline, title=None if title == "untitled" else title,
                 date=pdf_date(meta.get("CreationDate")), extractor="pypdfium2")
    if after:
        pdf.warnings.append(f"pdfminer faalde ({after}); tekst gelezen met pypdfium2")
    return pdf


def _lines(text: str) -> list[str]:
    return [ln for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if ln.strip()]


def outline_and_page_count(path: Path) -> tuple[list[tuple[int, str]], int]:
    """Return the outline as (1-based page, title) and the page count as pypdfium2 sees them; empty on failure."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except Exception:  # pdfminer read it; the outline is a bonus
        return [], 0
    try:
        return read_outline(doc), len(doc)
    except Exception:
        return [], len(doc)
    finally:
        doc.close()


def read_outline(doc) -> list[tuple[int, str]]:
    """Return the bookmarks of an open pypdfium2 document as (1-based page, section title)."""
    entries = []
    for mark in doc.get_toc(max_depth=6):
        dest = mark.get_dest()
        entry = outline_entry(dest.get_index() if dest is not None else None, mark.get_title() or "")
        if entry:
            entries.append(entry)
    return entries


def page_counts(paths) -> dict[str, int]:
    """Return each PDF's page count by file name (0 when pypdfium2 cannot open it), to weigh progress by pages."""
    import pypdfium2 as pdfium

    counts = {}
    for path in paths:
        try:
            doc = pdfium.PdfDocument(str(path))
        except Exception:  # damaged, encrypted or no PDF: the build reports it; here it only weighs nothing
            counts[Path(path).name] = 0
            continue
        try:
            counts[Path(path).name] = len(doc)
        finally:
            doc.close()
    return counts
