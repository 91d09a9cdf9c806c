"""Kennisbank Zoeken web app: HTML for people, JSON for programs."""
from __future__ import annotations

import logging
import threading

from flask import Flask

from indexer.analysis.compounds import lexicon
from indexer.settings import from_env

from . import api, auth, exports, indexes, pageview, requestlog, saved, security, service, urls, views


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app: defaults from the environment, then the test mapping, then each module's init_app."""
    app = Flask(__name__)
    app.config.from_mapping(from_env())
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=64 * 1024,
    )
    if test_config is not None:
        app.config.update(test_config)
    app.config["SESSION_COOKIE_SECURE"] = str(app.config.get("SESSION_COOKIE_SECURE") or "") in ("1", "true", "True", True)

    app.json.sort_keys = False  # keep the documented key order in API answers

    urls.init_app(app)
    requestlog.init_app(app)
    security.init_app(app)
    indexes.init_app(app)
    service.init_app(app)  # the query service, built once with this app's corpus folder
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(exports.bp)
    pageview.init_app(app)  # page views: rendered PDF pages with the query's words marked
    auth.init_app(app)  # members: login, logout, failed-login limits
    saved.init_app(app)  # members: saved searches and their e-mail alerts
    logging.getLogger("kennisbank").setLevel(logging.INFO)
    if not app.testing:
        # Snippets re-analyse text with the decompounder, whose word list takes about a second to load: load it
        # now, in the background, rather than in the first visitor's request.
        threading.Thread(target=lexicon, name="lexicon-preload", daemon=True).start()
    return app
