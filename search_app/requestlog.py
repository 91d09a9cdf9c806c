"""One log line per request: method, path, status, duration."""
from __future__ import annotations

import logging
import time

from flask import g, request

log = logging.getLogger("kennisbank.requests")


def init_app(app):
    """Time every request and log it when the response is ready."""
    @app.before_request
    def _start():
        g.kb_started = time.perf_counter()

    @app.after_request
    def _log(response):
        ms = (time.perf_counter() - g.get("kb_started", time.perf_counter())) * 1000
        log.info("%s %s %s %.1fms", request.method, request.full_path.rstrip("?"), response.status_code, ms)
        return response
