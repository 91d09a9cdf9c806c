"""Absolute URLs from the configured base URL (KENNISBANK_BASE_URL), never from the request's Host header."""
from __future__ import annotations

from flask import current_app, url_for


def init_app(app):
    """Check the base URL once and offer absolute_url() to the templates."""
    base = str(app.config.get("BASE_URL") or "").rstrip("/")
    if not base.startswith(("http://", "https://")) or any(c in base for c in " \"'<>\\"):
        raise ValueError(f"KENNISBANK_BASE_URL moet met http:// of https:// beginnen, niet {base[:80]!r}")
    app.config["BASE_URL"] = base
    app.add_template_global(absolute_url)


def base_url() -> str:
    """Return the site's base URL without a trailing slash, e.g. https://kennisbank.example.nl."""
    return current_app.config["BASE_URL"]


def absolute_url(endpoint: str, **values) -> str:
    """Return url_for(endpoint) prefixed with the configured base URL: the Host a visitor sends plays no part."""
    return base_url() + url_for(endpoint, **values)
