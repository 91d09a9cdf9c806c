"""Security headers on every response; the session secret; who the visitor is, and which index they may see."""
from __future__ import annotations

import datetime as dt
import hmac
import logging
import secrets
from pathlib import Path

from flask import current_app, g, session
from flask.sessions import SecureCookieSessionInterface

from indexer.accounts import User, UserError, UserStore
from indexer.files import atomic_write
from indexer.sessions import ABSOLUTE, SessionStore

log = logging.getLogger("kennisbank.security")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECRET_KEY_FILE = "secret_key"
SESSION_HOURS = 12


def init_app(app):
    """Configure session cookies and the secret key, and add the security headers to every response."""
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    if app.config["PERMANENT_SESSION_LIFETIME"] == app.default_config["PERMANENT_SESSION_LIFETIME"]:
        # Flask's default is a month; a login holds for a working day, renewed while the member is active.
        app.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(hours=SESSION_HOURS)
    app.config.setdefault("SESSION_ABSOLUTE_LIFETIME", dt.timedelta(seconds=ABSOLUTE))
    app.session_interface = InstanceKeySessionInterface()
    app.extensions["kennisbank_users"] = UserStore(app.config["INSTANCE_DIR"])
    app.extensions["kennisbank_sessions"] = SessionStore(
        app.config["INSTANCE_DIR"], idle=app.config["PERMANENT_SESSION_LIFETIME"].total_seconds(),
        absolute=app.config["SESSION_ABSOLUTE_LIFETIME"].total_seconds())

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if current_user():
            # A member's pages and PDFs must never sit in a shared cache where an anonymous visitor gets them,
            # nor stay in the browser's cache after logout (a shared computer).
            response.cache_control.public = False
            response.cache_control.max_age = None
            response.cache_control.private = True
            response.cache_control.no_store = True
            response.headers.pop("Expires", None)
            response.vary.add("Cookie")
        return response


class InstanceKeySessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions whose key, when not configured, is generated once into the instance folder.

    The key is only needed once a visitor has or gets a session cookie, so anonymous searching never
    touches the instance folder.
    """

    def open_session(self, app, request):
        if not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)

    def get_signing_serializer(self, app):
        if not app.secret_key:
            app.secret_key = load_or_create_secret_key(app.config["INSTANCE_DIR"])
        return super().get_signing_serializer(app)


def load_or_create_secret_key(instance_dir: str | Path) -> str:
    """Return the secret key stored in the instance folder, creating it (readable by the owner only) once."""
    path = Path(instance_dir) / SECRET_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Linked into place only when absent: two processes starting at once both end up reading the one key
        # that won, never a half-written file.
        atomic_write(path, secrets.token_hex(32) + "\n", mode=0o600, replace=False)
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise RuntimeError(f"{path} is leeg of te kort; verwijder het bestand om een nieuwe sleutel te maken")
    return key


def users() -> UserStore:
    """Return the app's account store."""
    return current_app.extensions["kennisbank_users"]


def sessions(app=None) -> SessionStore:
    """Return the app's session store (sessions and failed-login counts)."""
    return (app or current_app).extensions["kennisbank_sessions"]


def start_session(user: User, address: str) -> None:
    """Log a member in: a fresh cookie holding only a new server-side session id."""
    session.clear()  # nothing from before the login carries over
    session.permanent = True
    session["sid"] = sessions().create(user.name, user.session_token, address)
    g.kb_user = user.name


def end_session() -> None:
    """Log out: the session id stops counting on the server, so a copy of the cookie is worthless too."""
    sid = session.get("sid")
    if isinstance(sid, str):
        sessions().end(sid)
    session.clear()
    g.kb_user = None


def current_user() -> str | None:
    """Return the logged-in member's name, or None.

    The session must be live in the store (not logged out, revoked, idle too long or past its absolute
    lifetime), and a removed account or changed password ends it too.
    """
    if "kb_user" not in g:
        g.kb_user = None
        sid = session.get("sid")
        if isinstance(sid, str) and sid:
            try:
                live = sessions().check(sid)
                user = users().get(live[0]) if live else None
            except UserError as exc:
                log.error("accounts unreadable, treating the visitor as anonymous: %s", exc)
                live = user = None
            if user is not None and hmac.compare_digest(user.session_token, live[1]):
                g.kb_user = user.name
    return g.kb_user


def index_name() -> str:
    """Return the index this visitor may search: members see all documents, others only public ones."""
    return "all" if current_user() else "public"


def csrf_token() -> str:
    """Return this session's CSRF token, creating it on first use."""
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_valid(submitted: str | None) -> bool:
    """Return True when a submitted form token matches the session's."""
    expected = session.get("csrf")
    return bool(expected and submitted) and hmac.compare_digest(expected, submitted)
