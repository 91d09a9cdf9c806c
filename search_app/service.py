"""The app's query service: built once by create_app with the app's corpus folder, lent to every view."""
from __future__ import annotations

from pathlib import Path

from flask import current_app

from indexer.search import QueryService


def init_app(app):
    """Build the query service from the app's settings (CORPUS_DIR: its abbreviation table)."""
    app.extensions["kennisbank_search"] = QueryService(Path(app.config["CORPUS_DIR"]))


def query_service() -> QueryService:
    """Return the app's query service."""
    return current_app.extensions["kennisbank_search"]
