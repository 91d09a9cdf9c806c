"""Who may see a PDF that no catalogue record names, and whether a generation ever published a members' PDF."""
from __future__ import annotations

import functools
from pathlib import Path

from ..corpus import Catalogue
from ..files import file_sha256
from . import store

# Bump when the access decision changes, so `build --if-needed` rebuilds (indexer.index.versions).
ACCESS_VERSION = 1


@functools.lru_cache(maxsize=4096)
def _sha256(path: Path, size: int, mtime_ns: int) -> str:
    return file_sha256(path)


def content_hash(path: Path) -> str | None:
    """Return the SHA-256 of a file's bytes (following links), or None when it cannot be read."""
    try:
        st = path.stat()
        return _sha256(path.resolve(), st.st_size, st.st_mtime_ns)
    except OSError:
        return None


def unlisted_access(path: Path, catalogue: Catalogue) -> str:
    """Return the access of a PDF without a record: the catalogue's `unlisted_access` (members unless the
    maintainer chose public), and always members when its bytes equal a members-only document's PDF (a copy or
    a link under another name must not publish what the record keeps for members)."""
    if catalogue.unlisted_access != "public":
        return "members"
    digest = content_hash(path)
    pdf_dir = path.parent
    members = {content_hash(pdf_dir / r.pdf) for r in catalogue.records if r.access == "members" and r.pdf}
    return "members" if digest is None or digest in members else "public"


def published_members_pdfs(gen: Path) -> list[str]:
    """Return the PDFs a generation serves publicly whose bytes equal a PDF it keeps for members."""
    hashes = store.read_manifest(gen).get("pdfs", {})

    def pdfs_of(name: str) -> set[str]:
        with store.open_index(gen, name).searcher() as s:
            return {f["pdf"] for f in s.all_stored_fields() if f.get("kind") == "doc" and f.get("pdf")}
    public = pdfs_of("public")
    members_only = pdfs_of("all") - public
    members_hashes = {hashes.get(p) for p in members_only} - {None}
    return sorted(p for p in public if hashes.get(p) in members_hashes)

