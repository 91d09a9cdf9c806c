"""Login and logout for members: CSRF-protected forms, one generic error, failed attempts limited."""
from __future__ import annotations

import logging
import math

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from indexer.accounts import MAX_PASSWORD

from .loginlimit import ACCOUNT_DELAY, LoginLimiter
from .security import csrf_token, csrf_valid, current_user, end_session, sessions, start_session, users

bp = Blueprint("auth", __name__)
log = logging.getLogger("kennisbank.auth")

WRONG = "Gebruikersnaam of wachtwoord onjuist."
EXPIRED = "Het formulier is verlopen. Probeer het opnieuw."
LIMITED = "Te veel mislukte pogingen. Probeer het over {minutes} minuten opnieuw."


def init_app(app):
    """Set the login limits (overridable by the test mapping), create the limiter, offer the nav its data."""
    app.config.setdefault("LOGIN_MAX_FAILURES_PER_ACCOUNT", 5)
    app.config.setdefault("LOGIN_MAX_FAILURES_PER_ADDRESS", 20)
    app.config.setdefault("LOGIN_FAILURE_WINDOW", 15 * 60)
    app.config.setdefault("LOGIN_ACCOUNT_DELAY", ACCOUNT_DELAY)
    app.extensions["kennisbank_login_limiter"] = LoginLimiter(
        sessions(app),
        per_account=app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"],
        per_address=app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"],
        window=app.config["LOGIN_FAILURE_WINDOW"], account_delay=app.config["LOGIN_ACCOUNT_DELAY"])
    app.context_processor(lambda: {"current_user": current_user(), "csrf_token": csrf_token})
    app.register_blueprint(bp)


def _limiter() -> LoginLimiter:
    return current_app.extensions["kennisbank_login_limiter"]


def safe_next(target: str | None) -> str:
    """Return a local path to go to after login; anything that could leave the site becomes the start page."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target \
            or any(ord(c) < 32 for c in target):
        return url_for("views.home")
    return target


def _form(error: str | None = None, status: int = 200, name: str = "", retry_after: float = 0):
    response = current_app.make_response((render_template(
        "login.html", error=error, name=name, next=safe_next(request.values.get("next")), q=""), status))
    response.headers["Cache-Control"] = "no-store"
    if retry_after:
        response.headers["Retry-After"] = str(math.ceil(retry_after))
    return response


@bp.get("/inloggen")
def login():
    """Show the login form (or, when logged in, who you are and a logout button)."""
    return _form()


@bp.post("/inloggen")
def login_post():
    """Check the form token, the limits and the password; on success start a fresh session."""
    name = request.form.get("gebruikersnaam", "")[:200]
    password = request.form.get("wachtwoord", "")
    if not csrf_valid(request.form.get("csrf_token")):
        return _form(EXPIRED, 400, name)
    account = name.strip().lower()
    address = request.remote_addr or "-"
    wait = _limiter().attempt(account, address)  # checked and recorded before the slow hash
    if wait:
        log.warning("login refused (too many failures) for %r from %s", account, address)
        return _form(LIMITED.format(minutes=max(1, math.ceil(wait / 60))), 429, name, retry_after=wait)
    user = users().authenticate(account, password) if len(password) <= MAX_PASSWORD else None
    if user is None:
        log.info("failed login for %r from %s", account, address)
        return _form(WRONG, 401, name)
    _limiter().success(account, address)
    target = safe_next(request.form.get("next"))
    start_session(user, address)
    log.info("login %r from %s", user.name, address)
    return redirect(target, code=303)


@bp.post("/uitloggen")
def logout():
    """End the session (the form carries the CSRF token, so no other site can log a member out)."""
    if not csrf_valid(request.form.get("csrf_token")):
        return _form(EXPIRED, 400)
    end_session()
    return redirect(url_for("views.home"), code=303)
