"""PDF pages as images (pypdfium2 renders, Pillow encodes WebP), cached on disk per generation, bounded in size."""
from __future__ import annotations

import contextlib
import io
import os
import re
import threading
from pathlib import Path

import pypdfium2 as pdfium

from ..files import atomic_write

# Widths in pixels the page view offers in its srcset: light for a phone (375 CSS px at 2x), sharp at 1280.
WIDTHS = (750, 1500)
WEBP_QUALITY = 80
# Pillow's fastest WebP effort: encoding is most of a cold page (method 2 took about twice as long for 15 % fewer
# bytes on the bench PDFs), and a page is encoded once per generation and width.
WEBP_METHOD = 0
PAGE_CACHE_DIRNAME = "page-cache"  # inside the index folder, one subfolder per generation
_SAFE = re.compile(r"[^a-z0-9-]")


def render_page(pdf_path: str | Path, number: int, width: int) -> bytes | None:
    """Return page `number` (1-based) rendered `width` pixels wide as WebP, or None when there is no such page."""
    try:
        doc = pdfium.PdfDocument(str(pdf_path))
    except (pdfium.PdfiumError, OSError):
        return None  # damaged, encrypted or gone since the build: no image rather than a server error
    try:
        if not 1 <= number <= len(doc):
            return None
        page = doc[number - 1]
        page_width, _ = page.get_size()
        image = page.render(scale=width / page_width).to_pil()
        if image.width > width:  # pdfium rounds the bitmap size up: keep the width the srcset promises
            image = image.crop((0, 0, width, image.height))
        out = io.BytesIO()
        image.save(out, format="WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
        return out.getvalue()
    finally:
        doc.close()


class PageCache:
    """Rendered pages on disk: <folder>/<generation>/<access>/<id>-<page>-<width>.webp.

    The folder holds at most `max_bytes`; when a write goes over, the oldest files go first (of any generation,
    so the pages of replaced generations leave before the current one's). Members' pages live under their own
    access folder, and the caller only asks for them after checking that the visitor may see the document.
    """

    def __init__(self, folder: str | Path, max_bytes: int):
        self.folder = Path(folder)
        self.max_bytes = max_bytes
        self._size: int | None = None  # bytes on disk, counted once and then kept up to date
        self._lock = threading.Lock()

    def path(self, generation: str, access: str, doc_id: str, number: int, width: int) -> Path:
        """Return where a rendered page is kept (names from the index, made safe for a file system)."""
        return (self.folder / _SAFE.sub("_", generation.lower()) / _SAFE.sub("_", access)
                / f"{_SAFE.sub('_', doc_id)}-{number}-{width}.webp")

    def get(self, path: Path) -> bytes | None:
        """Return a cached page, or None."""
        try:
            return path.read_bytes()
        except OSError:
            return None

    def put(self, path: Path, data: bytes) -> None:
        """Store a rendered page and evict the oldest pages while the folder is over its size; errors cost speed only."""
        if len(data) > self.max_bytes:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, data)
        except OSError:
            return
        with self._lock:
            if self._size is None:
                self._size = sum(f.stat().st_size for f in self._files())
            else:
                self._size += len(data)
            if self._size > self.max_bytes:
                self._evict()

    def _files(self) -> list[Path]:
        return [f for f in self.folder.rglob("*.webp") if f.is_file()] if self.folder.is_dir() else []

    def _evict(self) -> None:
        """Remove the oldest files until the folder holds at most three quarters of its bound."""
        entries = []
        for f in self._files():
            try:
                st = f.stat()
            except OSError:
                continue
            entries.append((st.st_mtime_ns, st.st_size, f))
        entries.sort()
        total = sum(size for _, size, _ in entries)
        for _, size, f in entries:
            if total <= self.max_bytes * 3 // 4:
                break
            f.unlink(missing_ok=True)
            total -= size
        self._size = total
        for folder in sorted((p for p in self.folder.rglob("*") if p.is_dir()), reverse=True):
            with contextlib.suppress(OSError):  # not empty, or another thread writes into it right now
                os.rmdir(folder)

    def size(self) -> int:
        """Return the bytes the cached pages take on disk now."""
        return sum(f.stat().st_size for f in self._files())
