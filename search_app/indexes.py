"""Own the open indexes: follow the CURRENT generation, hand each request a searcher, close it afterwards."""
from __future__ import annotations

import threading
from pathlib import Path

from flask import current_app, g

from indexer import store


class IndexHolder:
    """Keeps the indexes of the current generation open and switches when CURRENT changes."""

    def __init__(self, index_dir: str | Path):
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._gen: Path | None = None
        self._indexes: dict = {}
        self._manifest: dict = {}

    def current(self):
        """Return (generation folder, {name: index}, manifest), reopening when a new build was published."""
        gen = store.current_generation(self.index_dir)  # raises IndexMissing
        with self._lock:
            if gen != self._gen:
                indexes = {name: store.open_index(gen, name) for name in store.INDEX_NAMES}
                self._manifest = store.read_manifest(gen)
                self._gen, self._indexes = gen, indexes
            return self._gen, self._indexes, self._manifest


def init_app(app):
    """Register the index holder and close each request's searcher at teardown."""
    app.extensions["kennisbank_indexes"] = IndexHolder(app.config["INDEX_DIR"])
    app.teardown_appcontext(_close_searcher)


def holder() -> IndexHolder:
    """Return the app's index holder."""
    return current_app.extensions["kennisbank_indexes"]


def searcher(name: str):
    """Return this request's searcher on the named index; the whole request sees one generation."""
    cache = g.setdefault("kb_searchers", {})
    if name not in cache:
        if "kb_generation" not in g:
            g.kb_generation = holder().current()
        _, indexes, _ = g.kb_generation
        cache[name] = indexes[name].searcher()
    return cache[name]


def manifest() -> dict:
    """Return the manifest of the generation this request uses."""
    if "kb_generation" not in g:
        g.kb_generation = holder().current()
    return g.kb_generation[2]


def generation_name() -> str:
    """Return the name of the generation this request uses."""
    manifest()
    return g.kb_generation[0].name


def _close_searcher(exc=None):
    for s in g.pop("kb_searchers", {}).values():
        s.close()
