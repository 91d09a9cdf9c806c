"""File helpers every layer shares: the one atomic write, content hashes, hard links."""
from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
from pathlib import Path

# The instance folder's one SQLite store: sessions, login counts, saved searches (each module its own tables).
INSTANCE_STORE = "kennisbank.sqlite3"


@contextlib.contextmanager
def atomic_writer(path: str | Path, *, mode: int = 0o644, replace: bool = True):
    """Yield a binary file that appears at `path` complete or not at all (fsynced, then renamed into place).

    With replace=False an existing file wins: the new one is linked into place only when there is none yet,
    so two processes creating the same file both end up reading the one that won.
    On any failure (a full disk, an exception in the block) nothing half-written is left behind.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(path.parent)


def atomic_write(path: str | Path, data: str | bytes, *, mode: int = 0o644, replace: bool = True) -> None:
    """Write text (UTF-8) or bytes to `path` atomically (see atomic_writer)."""
    with atomic_writer(path, mode=mode, replace=replace) as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)


def fsync_dir(path: str | Path) -> None:
    """Make a rename in a folder durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_sha256(path: str | Path) -> str:
    """Return the SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def link_or_copy(src: str | Path, dst: str | Path) -> None:
    """Hard-link a file that is never changed in place, or copy it where links are not possible."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def folder_size(path: Path) -> int:
    """Return the total size in bytes of the files below a folder."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
