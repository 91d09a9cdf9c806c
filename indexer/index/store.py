"""All index I/O: generations on disk, the CURRENT pointer, the build lock, opening indexes."""
from __future__ import annotations

import contextlib
import errno
import fcntl
import gc
import json
import os
import shutil
import sys
import time
import traceback
import warnings
from pathlib import Path

from whoosh import index as whoosh_index

from .. import settings
from ..files import atomic_write, fsync_dir

POINTER = "CURRENT"
LOCK = "build.lock"
GEN_PREFIX = "gen-"
TMP_PREFIX = "tmp-"
MANIFEST = "manifest.json"
WORD_MEMO = "wordmemo.bin"  # the analysed words of the last build (indexer.index.wordmemo), beside the generations
LEXICON = "lexicon.bin"  # the compound lexicon the analysis built (indexer.index.wordmemo), beside them too
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
    """Return the manifest a build wrote into a generation; raise IndexMissing when it cannot be read."""
    try:
        return json.loads((gen / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexMissing(f"de beschrijving van generatie '{gen.name}' is onleesbaar ({exc})") from None


def _stamp() -> str:
    # Microseconds keep names unique and in build order; older names without them still sort correctly
    # ("gen-...T131346-4476" < "gen-...T131346.000001-4476").
    now = time.time()
    return time.strftime("%Y%m%dT%H%M%S", time.localtime(now)) + f".{int(now % 1 * 1e6):06d}"


def owner_only(index_dir: Path) -> None:
    """Create the index folder readable by its owner only (0700), and make an existing one so.

    It holds members' text (the `all` index, the extraction cache): other users of the machine must not read
    it, whatever the modes of the files inside.
    """
    index_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    if index_dir.stat().st_mode & 0o077:
        os.chmod(index_dir, 0o700)


def new_build_dir(index_dir: str | Path) -> Path:
    """Create and return an empty folder for a build in progress."""
    index_dir = Path(index_dir)
    owner_only(index_dir)
    path = index_dir / f"{TMP_PREFIX}{_stamp()}-{os.getpid()}"
    path.mkdir(mode=0o700)
    return path


def copy_generation(gen: Path, build_dir: Path) -> None:
    """Copy a generation's indexes into a build folder, to be changed there (copy-on-write).

    Whoosh lock files are left behind; the source generation is only read.
    """
    # A plain loop rather than shutil.copytree, which folds a full disk's ENOSPC into an errno-less shutil.Error.
    for top in INDEX_NAMES:
        for src in sorted((gen / top).rglob("*")):
            dst = build_dir / src.relative_to(gen)
            if src.is_dir():
                dst.mkdir(parents=True, exist_ok=True)
            elif not src.name.endswith(("_LOCK", ".lock")):
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dst)


def discard(build_dir: Path, exc: BaseException | None = None) -> None:
    """Remove an unfinished build folder after a failure, giving back its disk space at once.

    Whoosh leaves its TOC stream open when writing it fails (e.g. a full disk); clearing the failed frames
    closes such files now, instead of holding the space until some later garbage collection.
    """
    if exc is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            traceback.clear_frames(exc.__traceback__)
            gc.collect()
    shutil.rmtree(build_dir, ignore_errors=True)


def publish(index_dir: str | Path, build_dir: Path, manifest: dict) -> Path:
    """Finish a build: write its manifest, rename it to a generation and point CURRENT at it atomically."""
    index_dir = Path(index_dir)
    atomic_write(build_dir / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
    gen = index_dir / f"{GEN_PREFIX}{_stamp()}-{os.getpid()}"
    n = 1
    while gen.exists():
        gen = index_dir / f"{GEN_PREFIX}{_stamp()}-{os.getpid()}-{n}"
        n += 1
    os.rename(build_dir, gen)
    fsync_dir(index_dir)
    # A build killed here leaves a complete generation that CURRENT does not name: harmless, cleaned up later.
    pause_point("switch")
    switch_to(index_dir, gen.name)
    return gen


def switch_to(index_dir: str | Path, name: str) -> None:
    """Point CURRENT at a generation; readers see the old or the new one, never a mix."""
    atomic_write(Path(index_dir) / POINTER, name + "\n")


def rollback(index_dir: str | Path, refuse=None) -> Path:
    """Point CURRENT back at the generation before the current one and return it.

    refuse(gen) may return a Dutch reason not to serve that generation again; it is then raised as IndexMissing.
    """
    current = current_generation(index_dir)
    older = [g for g in generations(index_dir) if g.name < current.name]
    if not older:
        raise IndexMissing("er is geen eerdere generatie om naar terug te gaan")
    reason = refuse(older[-1]) if refuse is not None else None
    if reason:
        raise IndexMissing(reason)
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
    for tmp in [*index_dir.glob(f".{POINTER}.*.tmp"), *index_dir.glob(f".{WORD_MEMO}.*.tmp"),
                *index_dir.glob(f".{LEXICON}.*.tmp")]:
        # A pointer, word memo or lexicon file a killed build never renamed into place.
        tmp.unlink(missing_ok=True)
        removed.append(tmp.name)
    return removed


@contextlib.contextmanager
def build_lock(index_dir: str | Path, timeout: float = 0.0):
    """Hold the exclusive build lock, waiting up to `timeout` seconds; raise BuildLocked otherwise."""
    index_dir = Path(index_dir)
    owner_only(index_dir)
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
    try:
        return whoosh_index.open_dir(str(gen / name))
    except Exception as exc:  # e.g. a deleted _MAIN_N.toc (EmptyIndexError), a truncated or unreadable file
        raise IndexMissing(f"de index '{name}' van generatie '{gen.name}' is onleesbaar "
                           f"({type(exc).__name__})") from exc


def pause_point(step: str) -> None:
    """Fault tests only: when KENNISBANK_TEST_PAUSE_AT names this step, say so on stderr and wait to be killed."""
    if settings.get("TEST_PAUSE_AT") != step:
        return
    print(f"PAUSED {step}", file=sys.stderr, flush=True)
    time.sleep(float(settings.get("TEST_PAUSE_SECONDS")))
