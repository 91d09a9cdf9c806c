"""The PDFs each generation was built with, kept by content in <index>/pdf-store/, so a rollback serves them too."""
from __future__ import annotations

import os
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


def _real(folder: str, known: dict[str, str]) -> str:
    if folder not in known:
        known[folder] = os.path.realpath(folder)
    return known[folder]


def _real_folder(link: Path, known: dict[str, str]) -> str:
    """Return the real folder of the file a symbolic link leads to, resolving each folder once (a corpus of links
    into one folder: 8 ms of an update of the 71 bench PDFs to resolve every link in full)."""
    target = os.path.join(link.parent, os.readlink(link))
    if os.path.islink(target):  # a link to a link: follow it all the way
        return os.path.dirname(os.path.realpath(target))
    return _real(os.path.dirname(target), known)


def keep(index_dir: str | Path, hashes: dict[Path, str]) -> None:
    """Copy every PDF a build reads into the store (once per content), then drop what no generation uses.

    A copy, not a hard link: a maintainer who overwrites a PDF in place would otherwise change the stored one.
    """
    folder = Path(index_dir) / STORE
    folder.mkdir(parents=True, exist_ok=True)
    real_dirs: dict[str, str] = {}  # resolved once per folder: resolving every PDF's path took 14 ms of an update
    for path, sha in hashes.items():
        # Only a symbolic link can resolve elsewhere: a file's real path is its folder's real path and its name.
        if path.is_symlink() and _real_folder(path, real_dirs) != _real(str(path.parent), real_dirs):
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
