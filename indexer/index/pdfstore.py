"""The PDFs each generation was built with, kept by content in <index>/pdf-store/, so a rollback serves them too."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from ..files import atomic_writer
from . import store

STORE = "pdf-store"
_SHA256 = re.compile(r"[0-9a-f]{64}")


def stored_pdf(index_dir: str | Path, sha: str | None) -> Path | None:
    """Return where the PDF with this SHA-256 is kept (it may not exist for generations from before the store);
    None for anything that is not a SHA-256, so a damaged manifest never names another file."""
    if not sha or not _SHA256.fullmatch(sha):
        return None
    return Path(index_dir) / STORE / f"{sha}.pdf"


def keep(index_dir: str | Path, hashes: dict[Path, str]) -> None:
    """Copy every PDF a build reads into the store (once per content), then drop what no generation uses.

    A copy, not a hard link: a maintainer who overwrites a PDF in place would otherwise change the stored one.
    """
    folder = Path(index_dir) / STORE
    folder.mkdir(parents=True, exist_ok=True)
    real_dirs: dict[Path, Path] = {}  # resolved once per folder: resolving every PDF's path took 14 ms of an update
    for path, sha in hashes.items():
        if path.parent not in real_dirs:
            real_dirs[path.parent] = path.parent.resolve()
        # Only a symbolic link can resolve elsewhere: a file's real path is its folder's real path and its name.
        if path.is_symlink() and path.resolve().parent != real_dirs[path.parent]:
            continue  # a link out of corpus/pdf/ is never served (the app refuses it), so never stored either
        target = stored_pdf(index_dir, sha)
        if not target.exists():
            with path.open("rb") as src, atomic_writer(target, replace=False) as dst:
                shutil.copyfileobj(src, dst)
    used = set(hashes.values())
    for gen in store.generations(index_dir):
        try:
            used.update((store.read_manifest(gen).get("pdfs") or {}).values())
        except store.IndexMissing:
            continue
    for entry in folder.glob("*.pdf"):
        if entry.stem not in used:
            entry.unlink(missing_ok=True)
