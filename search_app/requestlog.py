"""One log line per request: method, path, status, duration; control characters in the path escaped."""
from __future__ import annotations

import logging
import re
import time

from flask import g, request

log = logging.getLogger("kennisbank.requests")

MAX_LOGGED_PATH = 2000
# Line breaks (also Unicode's), other C0/C1 controls and the backslash that starts an escape: a path like
# /x%0AINFO:kennisbank.requests:... must stay on its own line and read as what it was.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\\\u2028\u2029]")


def printable(text: str, limit: int = MAX_LOGGED_PATH) -> str:
    """Return text for one log line: control characters as \\xNN or \\uNNNN, cut at limit characters."""
    def escape(m: re.Match) -> str:
        c = ord(m.group())
        return "\\\\" if c == 0x5C else (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}")
    out = _UNSAFE.sub(escape, text[:limit])
    return out + ("..." if len(text) > limit else "")


def init_app(app):
    """Time every request and log it when the response is ready."""
    @app.before_request
    def _start():
        g.kb_started = time.perf_counter()

    @app.after_request
    def _log(response):
        ms = (time.perf_counter() - g.get("kb_started", time.perf_counter())) * 1000
        log.info("%s %s %s %.1fms", printable(request.method, 20), printable(request.full_path.rstrip("?")),
                 response.status_code, ms)
        return response
