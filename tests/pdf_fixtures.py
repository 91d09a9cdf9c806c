"""Generate the PDFs that extraction meets in real knowledge bases: scans, damage, encryption, columns, headers."""
from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

WIDTH, HEIGHT = A4
BODY = ("De gemeente werkt samen met politie en Openbaar Ministerie aan de aanpak van maatschappelijke onrust. "
        "Burgers en organisaties worden betrokken bij dialoog en preventie.")


def _vera() -> str:
    """Register reportlab's bundled Vera font (it has the fi/fl ligature glyphs) and return its name."""
    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        import reportlab

        pdfmetrics.registerFont(TTFont("Vera", str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")))
    return "Vera"


def draw_lines(c: canvas.Canvas, lines: list[str], x: float = 72, y: float = HEIGHT - 140, size: float = 11,
               leading: float = 15, font: str = "Helvetica") -> float:
    """Draw lines top-down from y; return the y below the last line."""
    c.setFont(font, size)
    for line in lines:
        c.drawString(x, y, line)
        y -= leading
    return y


def lines_pdf(path: Path, pages: list[list[str]], *, font: str = "Helvetica", encrypt=None,
              outline: list[tuple[int, str]] = (), header: str | None = None, footer: str | None = None) -> Path:
    """Write a PDF with the given lines per page, an optional running header/footer ("{n}" = page number)
    and optional outline entries (1-based page, title)."""
    if font == "Vera":
        _vera()
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    titles = dict(outline)
    for n, lines in enumerate(pages, start=1):
        if header:
            c.setFont("Helvetica", 9)
            c.drawString(72, HEIGHT - 40, header.format(n=n, total=len(pages)))
        if footer:
            c.setFont("Helvetica", 9)
            c.drawString(WIDTH / 2 - 30, 30, footer.format(n=n, total=len(pages)))
        if n in titles:
            c.bookmarkPage(f"p{n}")
            c.addOutlineEntry(titles[n], f"p{n}", level=0)
        draw_lines(c, lines, font=font)
        c.showPage()
    c.save()
    return path


def encrypted_pdf(path: Path, text: str, user_password: str) -> Path:
    """An encrypted PDF; with an empty user password any reader may open it, otherwise it needs the password."""
    enc = StandardEncryption(user_password, ownerPassword="eigenaar-geheim", canPrint=1, canCopy=0)
    return lines_pdf(path, [[text]], encrypt=enc)


def two_column_pdf(path: Path, left: list[str], right: list[str]) -> Path:
    """One page with two columns of text side by side (the left one should be read first, line by line)."""
    c = canvas.Canvas(str(path), pagesize=A4)
    draw_lines(c, left, x=60, y=HEIGHT - 100, size=10, leading=13)
    draw_lines(c, right, x=WIDTH / 2 + 20, y=HEIGHT - 100, size=10, leading=13)
    c.showPage()
    c.save()
    return path


def scan_pdf(path: Path, text_pages: list[list[str]], scanned: set[int]) -> Path:
    """A PDF whose pages in `scanned` (1-based) are only an image of text, like a scanner makes; others are text."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader

    source = io.BytesIO()
    c = canvas.Canvas(source, pagesize=A4)
    for lines in text_pages:
        draw_lines(c, lines, size=14, leading=20)
        c.showPage()
    c.save()
    doc = pdfium.PdfDocument(source.getvalue())
    out = canvas.Canvas(str(path), pagesize=A4)
    for n, lines in enumerate(text_pages, start=1):
        if n in scanned:
            image = doc[n - 1].render(scale=200 / 72, grayscale=True).to_pil()
            out.drawImage(ImageReader(image), 0, 0, width=WIDTH, height=HEIGHT)
        else:
            draw_lines(out, lines, size=14, leading=20)
        out.showPage()
    out.save()
    doc.close()
    return path


def many_boxes_pdf(path: Path, boxes: int = 3600, word: str = "vak") -> Path:
    """One page with thousands of separate little text boxes, which makes pdfminer's layout analysis crawl."""
    side = int(boxes ** 0.5) + 1
    size = side * 20 + 40
    c = canvas.Canvas(str(path), pagesize=(size, size))
    c.setFont("Helvetica", 5)
    for i in range(boxes):
        c.drawString(20 + (i % side) * 20, 20 + (i // side) * 20, word if i else "Duizendvakjesblad")
    c.showPage()
    c.save()
    return path


def truncated(source: Path, path: Path, keep: float = 0.6) -> Path:
    """A copy of a PDF cut off part-way, like an interrupted download."""
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def damaged(source: Path, path: Path, at: float = 0.5, length: int = 200) -> Path:
    """A copy of a PDF with `length` bytes overwritten by garbage, like a bad disk or transfer."""
    data = bytearray(source.read_bytes())
    start = int(len(data) * at)
    data[start:start + length] = bytes((i * 37 + 11) % 256 for i in range(length))
    path.write_bytes(bytes(data))
    return path


def sideways_scan_pdf(path: Path, lines: list[str]) -> Path:
    """A one-page scan lying on its side: an image of text turned a quarter, on a landscape page."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader

    source = io.BytesIO()
    c = canvas.Canvas(source, pagesize=A4)
    draw_lines(c, lines, size=14, leading=20)
    c.showPage()
    c.save()
    doc = pdfium.PdfDocument(source.getvalue())
    image = doc[0].render(scale=200 / 72, grayscale=True).to_pil().rotate(90, expand=True)
    out = canvas.Canvas(str(path), pagesize=(HEIGHT, WIDTH))
    out.drawImage(ImageReader(image), 0, 0, width=HEIGHT, height=WIDTH)
    out.showPage()
    out.save()
    doc.close()
    return path


def pdf_from_objects(path: Path, objects: list[bytes], trailer: bytes = b"/Root 1 0 R") -> Path:
    """Write PDF objects (numbered from 1) as a file with a correct cross-reference table, byte for byte."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    path.write_bytes(bytes(out))
    return path
