"""Own the open indexes: follow the CURRENT generation and lend each request searchers kept open across requests."""
from __future__ import annotations

import logging
import threading
import traceback
import warnings
from pathlib import Path

from flask import current_app, g

from indexer.index import store
from indexer.search import built_cache, share_cache, warm

log = logging.getLogger("kennisbank.indexes")

MAX_IDLE_SEARCHERS = 16  # per index; waitress runs a handful of threads, so more would only sit idle


class Generation:
    """One generation's open indexes, its manifest, and the idle searchers waiting for the next request.

    A Whoosh searcher is not shared between threads at the same time: each request borrows one and gives it
    back, so the searcher (and the caches the query service keeps on it) lives as long as its generation.
    """

    def __init__(self, path: Path):
        self.path = path
        self.name = path.name
        self.indexes = {name: store.open_index(path, name) for name in store.INDEX_NAMES}
        self.manifest = store.read_manifest(path)
        self._idle: dict[str, list] = {name: [] for name in store.INDEX_NAMES}
        # The query service's per-index facts (facet values, term score tables), built by the first searcher
        # given back and shared by every later one, so each new searcher neither rebuilds nor duplicates them.
        self._caches: dict[str, object] = {}
        self._lock = threading.Lock()
        self._memo: dict = {}
        self._memo_lock = threading.Lock()  # separate: building a memo must not hold up borrowing searchers
        self.retired = False

    def memo(self, key, build):
        """Return what build() gives for key, computed once for this generation (and gone with it)."""
        with self._memo_lock:
            if key not in self._memo:
                self._memo[key] = build()
            return self._memo[key]

    def borrow(self, name: str):
        """Return an idle searcher on the named index, or a new one."""
        with self._lock:
            if self._idle[name]:
                return self._idle[name].pop()
            cache = self._caches.get(name)
        searcher = self.indexes[name].searcher()
        if cache is not None:
            share_cache(searcher, cache)
        return searcher

    def give_back(self, name: str, searcher) -> None:
        """Keep a searcher for the next request, or close it when this generation was replaced."""
        cache = built_cache(searcher)
        with self._lock:
            if cache is not None:
                self._caches.setdefault(name, cache)
            if not self.retired and len(self._idle[name]) < MAX_IDLE_SEARCHERS:
                self._idle[name].append(searcher)
                return
        searcher.close()

    def retire(self) -> None:
        """Close the idle searchers; those still lent out are closed when they come back."""
        with self._lock:
            self.retired = True
            idle = [s for searchers in self._idle.values() for s in searchers]
            self._idle = {name: [] for name in store.INDEX_NAMES}
        for s in idle:
            s.close()

    def __iter__(self):  # (folder, {name: index}, manifest), as callers of IndexHolder.current() unpack it
        return iter((self.path, self.indexes, self.manifest))


class IndexHolder:
    """Keeps the current generation open and switches when CURRENT points at a newly published build.

    The request that first sees a new build opens and warms it (about a second per index at 20,000 documents)
    while concurrent requests go on with the open generation; then all requests move to the new one. Only when
    nothing is open yet do requests wait for the opening.
    """

    def __init__(self, index_dir: str | Path):
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._generation: Generation | None = None
        self._opening: Path | None = None   # the generation one request is opening now
        self._unreadable: Path | None = None  # a published generation that could not be opened

    def current(self) -> Generation:
        """Return the generation to serve this request, opening a newly published one when it is this request's turn."""
        path = store.current_generation(self.index_dir)  # raises IndexMissing; one small file read
        with self._lock:
            served = self._generation
            if served is None:  # nothing to serve meanwhile: open it here, holding everyone else
                self._generation = _opened(path)
                return self._generation
            if served.path == path or path == self._unreadable or self._opening is not None:
                return served  # current, known to be broken, or another request is opening one: serve this
            self._opening = path
        try:
            new = _opened(path)
        except store.IndexMissing as exc:
            log.error("generation %s cannot be opened, still serving %s: %s", path.name, served.name, exc)
            with self._lock:
                self._opening, self._unreadable = None, path
            return served
        except BaseException:
            with self._lock:
                self._opening = None
            raise
        with self._lock:
            self._opening = None
            try:
                latest = store.current_generation(self.index_dir)
            except store.IndexMissing:
                latest = None
            if latest != path:  # CURRENT moved on (or back) while this one opened: the next request follows it
                replaced, result = new, self._generation
            else:
                replaced, result = self._generation, new
                self._generation = new
        replaced.retire()
        return result


def _opened(path: Path) -> Generation:
    """Open a generation and prepare its searchers, so its first searches are as fast as the next ones.

    Any failure (a missing or truncated index file, a garbled manifest) is an IndexMissing naming the generation.
    """
    generation = Generation(path)
    try:
        for name in store.INDEX_NAMES:
            searcher = generation.borrow(name)
            try:
                warm(searcher, path / name)  # with the score tables the build stored beside this index
            finally:
                generation.give_back(name, searcher)
    except Exception as exc:
        generation.retire()
        # Whoosh leaves the file it failed to read open, held by the finished frames of the traceback: close it now
        # (by clearing them) rather than at some later garbage collection with a ResourceWarning.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            traceback.clear_frames(exc.__traceback__.tb_next)
        raise store.IndexMissing(f"generatie '{path.name}' is onleesbaar ({type(exc).__name__})") from exc
    return generation


def init_app(app):
    """Register the index holder and give each request's searchers back at teardown."""
    app.extensions["kennisbank_indexes"] = IndexHolder(app.config["INDEX_DIR"])
    app.teardown_appcontext(_give_back_searchers)


def holder() -> IndexHolder:
    """Return the app's index holder."""
    return current_app.extensions["kennisbank_indexes"]


def _generation() -> Generation:
    if "kb_generation" not in g:
        g.kb_generation = holder().current()
    return g.kb_generation


def searcher(name: str):
    """Return this request's searcher on the named index; the whole request sees one generation."""
    cache = g.setdefault("kb_searchers", {})
    if name not in cache:
        cache[name] = _generation().borrow(name)
    return cache[name]


def per_generation(key, build):
    """Return build() for key, computed once per index generation; a new generation computes it afresh."""
    return _generation().memo(key, build)


def manifest() -> dict:
    """Return the manifest of the generation this request uses."""
    return _generation().manifest


def generation_name() -> str:
    """Return the name of the generation this request uses."""
    return _generation().name


def _give_back_searchers(exc=None):
    searchers = g.pop("kb_searchers", {})
    generation = g.pop("kb_generation", None)
    for name, s in searchers.items():
        if generation is not None:
            generation.give_back(name, s)
        else:
            s.close()

