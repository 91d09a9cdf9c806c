"""Security headers on every response; who the visitor is, and which index they may see."""
from __future__ import annotations

from flask import session

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def init_app(app):
    """Add the security headers to every response."""
    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response


def current_user() -> str | None:
    """Return the logged-in member's name, or None for an anonymous visitor."""
    return session.get("user")


def index_name() -> str:
    """Return the index this visitor may search: members see all documents, others only public ones."""
    return "all" if current_user() else "public"
