"""All index I/O: generations on disk, the CURRENT pointer, the build lock, opening indexes."""
from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import time
from pathlib import Path

from whoosh import index as whoosh_index

POINTER = "CURRENT"
LOCK = "build.lock"
GEN_PREFIX = "gen-"
TMP_PREFIX = "tmp-"
MANIFEST = "manifest.json"
INDEX_NAMES = ("public", "all")  # anonymous visitors only ever see "public"
KEEP_GENERATIONS = 3


class IndexMissing(Exception):
    """No usable index generation exists (never built, or the pointer names a missing folder)."""


class BuildLocked(Exception):
    """Another build holds the lock."""


def current_generation(index_dir: str | Path) -> Path:
    """Return the folder of the generation CURRENT points to, or raise IndexMissing."""
    index_dir = Path(index_dir)
    try:
        name = (index_dir / POINTER).read_text(encoding="utf-8").strip()
    except OSError:
        raise IndexMissing(f"er is nog geen index in {index_dir}") from None
    gen = index_dir / name
    if not name.startswith(GEN_PREFIX) or not (gen / MANIFEST).is_file():
        raise IndexMissing(f"de index in {index_dir} wijst naar een ontbrekende generatie '{name}'")
    return gen


def generations(index_dir: str | Path) -> list[Path]:
    """Return the complete generations, oldest first."""
    index_dir = Path(index_dir)
    if not index_dir.is_dir():
        return []
    return sorted(p for p in index_dir.iterdir()
                  if p.is_dir() and p.name.startswith(GEN_PREFIX) and (p / MANIFEST).is_file())


def read_manifest(gen: Path) -> dict:
    """Return the manifest a build wrote into a generation."""
    return json.loads((gen / MANIFEST).read_text(encoding="utf-8"))


def new_build_dir(index_dir: str | Path) -> Path:
    """Create and return an empty folder for a build in progress."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / f"{TMP_PREFIX}{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
    path.mkdir()
    return path


def publish(index_dir: str | Path, build_dir: Path, manifest: dict) -> Path:
    """Finish a build: write its manifest, rename it to a generation and point CURRENT at it atomically."""
    index_dir = Path(index_dir)
    _write_atomic(build_dir / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
    stamp = time.strftime("%Y%m%dT%H%M%S")
    gen = index_dir / f"{GEN_PREFIX}{stamp}-{os.getpid()}"
    n = 1
    while gen.exists():
        gen = index_dir / f"{GEN_PREFIX}{stamp}-{os.getpid()}-{n}"
        n += 1
    os.rename(build_dir, gen)
    _fsync_dir(index_dir)
    switch_to(index_dir, gen.name)
    return gen


def switch_to(index_dir: str | Path, name: str) -> None:
    """Point CURRENT at a generation; readers see the old or the new one, never a mix."""
    _write_atomic(Path(index_dir) / POINTER, name + "\n")


def rollback(index_dir: str | Path) -> Path:
    """Point CURRENT back at the generation before the current one and return it."""
    current = current_generation(index_dir)
    older = [g for g in generations(index_dir) if g.name < current.name]
    if not older:
        raise IndexMissing("er is geen eerdere generatie om naar terug te gaan")
    switch_to(index_dir, older[-1].name)
    return older[-1]


def cleanup(index_dir: str | Path, keep: int = KEEP_GENERATIONS) -> list[str]:
    """Remove all but the newest `keep` generations (never the current one) and abandoned build folders."""
    index_dir = Path(index_dir)
    removed = []
    try:
        current = current_generation(index_dir).name
    except IndexMissing:
        current = None
    gens = generations(index_dir)
    for gen in gens[:-keep] if keep else gens:
        if gen.name != current:
            shutil.rmtree(gen, ignore_errors=True)
            removed.append(gen.name)
    for tmp in index_dir.glob(TMP_PREFIX + "*"):
        # Only called under the build lock, so no other build is still writing into these.
        shutil.rmtree(tmp, ignore_errors=True)
        removed.append(tmp.name)
    return removed


@contextlib.contextmanager
def build_lock(index_dir: str | Path, timeout: float = 0.0):
    """Hold the exclusive build lock, waiting up to `timeout` seconds; raise BuildLocked otherwise."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    fh = open(index_dir / LOCK, "a+")
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() >= deadline:
                    raise BuildLocked("er loopt al een andere build van deze index; probeer het later opnieuw") from None
                time.sleep(0.2)
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        yield
    finally:
        fh.close()  # closing releases the lock, also when the process is killed


def open_index(gen: Path, name: str):
    """Open one of the two indexes (public or all) of a generation."""
    if name not in INDEX_NAMES:
        raise ValueError(f"unknown index {name!r}")
    return whoosh_index.open_dir(str(gen / name))


def folder_size(path: Path) -> int:
    """Return the total size in bytes of the files below a folder."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
