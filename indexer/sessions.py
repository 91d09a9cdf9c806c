"""Member sessions and failed-login counters in one SQLite file in the instance folder (no Flask).

The cookie holds only a random session id; the server decides whether it still counts. Logout, a password
change, removing the account or `kennisbank users revoke` end a session for good, also in a copied cookie, and
a session ends after IDLE of inactivity or ABSOLUTE after login, however active. Every thread and process of
the app, and the CLI, share the file, so counters hold across threads and survive a restart.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from .files import INSTANCE_STORE
from typing import Callable

SESSIONS_FILE = INSTANCE_STORE  # shared with the saved searches (indexer.saved_searches)
IDLE = 12 * 3600       # a login holds for a working day after the last request...
ABSOLUTE = 24 * 3600   # ...but never longer than a day after the password was typed
RENEW_EVERY = 60       # seconds between writes of last_seen, so a busy member does not write per request

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id_hash TEXT PRIMARY KEY, user TEXT NOT NULL, user_token TEXT NOT NULL,
    created REAL NOT NULL, last_seen REAL NOT NULL, address TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user);
CREATE TABLE IF NOT EXISTS failures (kind TEXT NOT NULL, key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS failures_key ON failures(kind, key, at);
"""


@dataclass(frozen=True)
class Session:
    """One live session as the maintainer sees it (never its id)."""

    user: str
    created: float
    last_seen: float
    address: str


def _hash(session_id: str) -> str:
    # Only a hash is stored: whoever reads the file cannot use a row as a cookie.
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


class SessionStore:
    """Sessions and login failures of one instance folder."""

    def __init__(self, instance_dir: str | Path, idle: float = IDLE, absolute: float = ABSOLUTE,
                 clock: Callable[[], float] = time.time):
        self.instance_dir = Path(instance_dir)
        self.path = self.instance_dir / SESSIONS_FILE
        self.idle, self.absolute, self.clock = idle, absolute, clock
        self._ready = False

    @contextlib.contextmanager
    def connect(self, write: bool = False):
        """Yield a connection in one transaction (BEGIN IMMEDIATE when writing: one writer at a time)."""
        if not self._ready:
            self.instance_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))  # owner-only before SQLite opens it
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            if not self._ready:
                conn.executescript(_SCHEMA)
                self._ready = True
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()

    # ------------------------------------------------------------ sessions

    def create(self, user: str, user_token: str, address: str = "-") -> str:
        """Start a session for a member and return its id (for the cookie)."""
        session_id = secrets.token_urlsafe(32)
        now = self.clock()
        with self.connect(write=True) as conn:
            conn.execute("DELETE FROM sessions WHERE last_seen < ? OR created < ?",
                         (now - self.idle, now - self.absolute))
            conn.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?)",
                         (_hash(session_id), user, user_token, now, now, address[:64]))
        return session_id

    def check(self, session_id: str) -> tuple[str, str] | None:
        """Return (user, user_token) of a live session and note the activity, or None when it has ended."""
        if not session_id or len(session_id) > 100:
            return None
        now, key = self.clock(), _hash(session_id)
        with self.connect() as conn:
            row = conn.execute("SELECT user, user_token, created, last_seen FROM sessions WHERE id_hash = ?",
                               (key,)).fetchone()
        if row is None:
            return None
        user, token, created, last_seen = row
        if now - last_seen > self.idle or now - created > self.absolute:
            self.end(session_id)
            return None
        if now - last_seen > RENEW_EVERY:
            with self.connect(write=True) as conn:
                conn.execute("UPDATE sessions SET last_seen = ? WHERE id_hash = ?", (now, key))
        return user, token

    def end(self, session_id: str) -> None:
        """End one session (logout)."""
        with self.connect(write=True) as conn:
            conn.execute("DELETE FROM sessions WHERE id_hash = ?", (_hash(session_id),))

    def end_all(self, user: str) -> int:
        """End every session of a member; return how many there were."""
        with self.connect(write=True) as conn:
            return conn.execute("DELETE FROM sessions WHERE user = ?", (user,)).rowcount

    def of_user(self, user: str) -> list[Session]:
        """Return a member's live sessions, oldest first."""
        now = self.clock()
        with self.connect() as conn:
            rows = conn.execute("SELECT user, created, last_seen, address FROM sessions WHERE user = ? "
                                "AND last_seen >= ? AND created >= ? ORDER BY created",
                                (user, now - self.idle, now - self.absolute)).fetchall()
        return [Session(*row) for row in rows]

    # ------------------------------------------------------------ failed logins

    def attempt(self, keys: list[tuple[str, str, int, float, float]]) -> float:
        """Check and record one login attempt atomically, before the password is hashed.

        keys holds (kind, key, limit, window, wait): when key already has `limit` failures within `window`
        seconds, the attempt is refused until the oldest of them leaves the window, or, when wait > 0, until
        `wait` seconds after the newest (a slow-down, not a lock-out). Return 0 when the attempt may go ahead
        (it is then recorded as a failure until success() forgets it), else the seconds to wait.
        """
        now = self.clock()
        with self.connect(write=True) as conn:
            refused = 0.0
            for kind, key, limit, window, wait in keys:
                times = [t for (t,) in conn.execute(
                    "SELECT at FROM failures WHERE kind = ? AND key = ? AND at > ? ORDER BY at",
                    (kind, key, now - window))]
                if len(times) >= limit:
                    until = times[-1] + wait if wait else times[-limit] + window
                    refused = max(refused, until - now)
            if refused > 0:
                return refused
            conn.execute("DELETE FROM failures WHERE at <= ?", (now - max(k[3] for k in keys),))
            conn.executemany("INSERT INTO failures VALUES (?, ?, ?)", [(k[0], k[1], now) for k in keys])
        return 0.0

    def success(self, kind: str, key: str) -> None:
        """Forget the failures of one key (the account after a correct password; the address keeps its count)."""
        with self.connect(write=True) as conn:
            conn.execute("DELETE FROM failures WHERE kind = ? AND key = ?", (kind, key))

    def forget_attempt(self, keys: list[tuple[str, str]]) -> None:
        """Remove the newest recorded attempt of each key (a correct password was not a failure)."""
        with self.connect(write=True) as conn:
            for kind, key in keys:
                conn.execute("DELETE FROM failures WHERE rowid = (SELECT rowid FROM failures WHERE kind = ? "
                             "AND key = ? ORDER BY at DESC LIMIT 1)", (kind, key))
