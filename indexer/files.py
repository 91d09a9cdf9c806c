"""File helpers every layer shares: the one atomic write, content hashes (remembered by stat), hard links."""
from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import time
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


class DigestMemo:
    """SHA-256 of files, remembered by their stat in a small file, so an unchanged file is not read again.

    A file counts as unchanged while its size, modification and change times, inode and device are the ones it
    had when it was hashed, as in git's index (any write sets the change time, which no tool can set back). A file
    changed less than RACY_NS before it was hashed is hashed again next time: a second change within the same
    clock tick would leave its stat equal.
    """

    RACY_NS = 2_000_000_000

    def __init__(self, store: str | Path | None = None):
        self.store = Path(store) if store else None
        self.known: dict[str, tuple[tuple, str]] = {}
        self.used: dict[str, tuple[tuple, str]] = {}
        self.hashed = 0  # files read in full since this memo was made
        self.changed = False
        try:
            for line in self.store.read_text(encoding="utf-8").splitlines() if self.store else []:
                name, *stat, digest = line.rsplit("\t", 6)
                self.known[name] = (tuple(int(x) for x in stat), digest)
        except (OSError, ValueError):
            self.known = {}  # a damaged memo only costs reading the files again

    def sha256(self, path: str | Path) -> str:
        """Return the SHA-256 of a file's bytes, without reading them when its stat is the remembered one."""
        name = os.path.abspath(path)
        before = time.time_ns()
        st = os.stat(name)
        stat = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)
        entry = self.known.get(name)
        if entry is None or entry[0] != stat:
            entry = (stat, file_sha256(name))
            self.hashed += 1
            self.known.pop(name, None)
            if max(st.st_mtime_ns, st.st_ctime_ns) < before - self.RACY_NS and "\n" not in name:
                self.known[name] = entry
            self.changed = True
        if name in self.known:
            self.used[name] = entry
        return entry[1]

    def save(self) -> None:
        """Store the entries of the files asked for since this memo was made (others are forgotten)."""
        if not self.store or (not self.changed and self.used.keys() == self.known.keys()):
            return
        text = "".join("\t".join([name, *map(str, stat), digest]) + "\n"
                       for name, (stat, digest) in sorted(self.used.items()))
        try:
            self.store.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.store, text)
        except OSError:
            pass  # only speed is lost


def link_or_copy(src: str | Path, dst: str | Path) -> None:
    """Hard-link a file that is never changed in place, or copy it where links are not possible."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def folder_size(path: Path) -> int:
    """Return the total size in bytes of the files below a folder."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
