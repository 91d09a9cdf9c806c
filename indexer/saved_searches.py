"""Members' saved searches, in an SQLite store in the instance folder: kept across rebuilds (no Flask here).

Each saved search remembers which documents its member has already been told about, so an alert mails only
what is new; its unsubscribe token is random and long, so a link in a mail cannot be guessed.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import secrets
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from .files import INSTANCE_STORE

STORE_FILE = INSTANCE_STORE  # the same store as the sessions (indexer.sessions)
MAX_PER_MEMBER = 50     # saved searches a member may keep
MAX_NAME = 100
SCHEMA = """
CREATE TABLE IF NOT EXISTS saved_search (
    id INTEGER PRIMARY KEY,
    member TEXT NOT NULL,
    name TEXT NOT NULL,
    request TEXT NOT NULL,          -- the search as JSON: q, filters, date_from, date_to
    token TEXT NOT NULL UNIQUE,     -- unsubscribe without logging in
    created TEXT NOT NULL,
    last_sent TEXT,
    seen TEXT NOT NULL DEFAULT '[]' -- ids of documents the member already knows of (at saving, or mailed)
);
CREATE INDEX IF NOT EXISTS saved_search_member ON saved_search (member);
CREATE TABLE IF NOT EXISTS member_address (
    member TEXT PRIMARY KEY,
    address TEXT NOT NULL           -- where alerts go
);
"""
_ADDRESS = re.compile(r"^[^@\s<>,;\"']{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,}$")


class SavedSearchError(ValueError):
    """A saved search cannot be stored as asked; str() says why in Dutch."""


@dataclass
class SavedSearch:
    """One member's saved search."""

    id: int
    member: str
    name: str
    request: dict
    token: str
    created: str
    last_sent: str | None = None
    seen: list[str] = field(default_factory=list)


class SavedSearchStore:
    """The saved searches of one instance folder."""

    def __init__(self, instance_dir: str | Path):
        self.path = Path(instance_dir) / STORE_FILE

    @contextlib.contextmanager
    def _db(self):
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        conn = sqlite3.connect(self.path, timeout=10)
        try:
            self.path.chmod(0o600)  # member names and their interests: for the owner only
            conn.executescript(SCHEMA)
            with conn:  # one transaction: committed on success, rolled back on an error
                yield conn
        finally:
            conn.close()

    def add(self, member: str, name: str, request: dict, seen: list[str]) -> SavedSearch:
        """Save a search for a member, with the documents it finds now (those are not new to the member)."""
        name = " ".join(name.split())[:MAX_NAME] or (request.get("q") or "Zoekopdracht")[:MAX_NAME]
        with self._db() as db:
            count = db.execute("SELECT count(*) FROM saved_search WHERE member = ?", (member,)).fetchone()[0]
            if count >= MAX_PER_MEMBER:
                raise SavedSearchError(f"U kunt hoogstens {MAX_PER_MEMBER} zoekopdrachten bewaren; "
                                       "verwijder er eerst een.")
            now = _now()
            cur = db.execute("INSERT INTO saved_search (member, name, request, token, created, seen) "
                             "VALUES (?, ?, ?, ?, ?, ?)", (member, name, json.dumps(request, sort_keys=True),
                                                           secrets.token_urlsafe(32), now, json.dumps(seen)))
            return self._get(db, "id = ?", cur.lastrowid)

    def of_member(self, member: str) -> list[SavedSearch]:
        """Return a member's saved searches, oldest first."""
        with self._db() as db:
            return [_row(r) for r in db.execute("SELECT * FROM saved_search WHERE member = ? ORDER BY id",
                                                (member,))]

    def all(self) -> list[SavedSearch]:
        """Return every saved search, by member."""
        with self._db() as db:
            return [_row(r) for r in db.execute("SELECT * FROM saved_search ORDER BY member, id")]

    def by_token(self, token: str) -> SavedSearch | None:
        """Return the saved search an unsubscribe token belongs to, or None."""
        with self._db() as db:
            return self._get(db, "token = ?", token)

    def delete(self, member: str, search_id: int) -> bool:
        """Delete one of a member's saved searches; False when the member has no such search."""
        with self._db() as db:
            return db.execute("DELETE FROM saved_search WHERE id = ? AND member = ?", (search_id, member)).rowcount > 0

    def unsubscribe(self, token: str) -> SavedSearch | None:
        """Delete the saved search of an unsubscribe token and return it (None when it is gone already)."""
        with self._db() as db:
            found = self._get(db, "token = ?", token)
            if found:
                db.execute("DELETE FROM saved_search WHERE id = ?", (found.id,))
            return found

    def delete_member(self, member: str) -> int:
        """Delete all saved searches and the address of a member (a removed account); return how many searches."""
        with self._db() as db:
            db.execute("DELETE FROM member_address WHERE member = ?", (member,))
            return db.execute("DELETE FROM saved_search WHERE member = ?", (member,)).rowcount

    def mark_sent(self, search_id: int, doc_ids: list[str]) -> None:
        """Remember that these documents were mailed for a search, so they are never mailed for it again."""
        with self._db() as db:
            row = db.execute("SELECT seen FROM saved_search WHERE id = ?", (search_id,)).fetchone()
            if row is not None:
                seen = list(dict.fromkeys(json.loads(row[0]) + list(doc_ids)))
                db.execute("UPDATE saved_search SET seen = ?, last_sent = ? WHERE id = ?",
                           (json.dumps(seen), _now(), search_id))

    def address(self, member: str) -> str | None:
        """Return where a member's alerts go: the address set, or the account name when it is an address."""
        with self._db() as db:
            row = db.execute("SELECT address FROM member_address WHERE member = ?", (member,)).fetchone()
        if row:
            return row[0]
        return member if _ADDRESS.match(member) else None

    def set_address(self, member: str, address: str) -> str:
        """Set where a member's alerts go; raise SavedSearchError (Dutch) for something that is no address."""
        address = address.strip()
        if not _ADDRESS.match(address):
            raise SavedSearchError(f"'{address[:80]}' is geen geldig e-mailadres.")
        with self._db() as db:
            db.execute("INSERT INTO member_address (member, address) VALUES (?, ?) "
                       "ON CONFLICT (member) DO UPDATE SET address = excluded.address", (member, address))
        return address

    @staticmethod
    def _get(db, where: str, value) -> SavedSearch | None:
        row = db.execute(f"SELECT * FROM saved_search WHERE {where}", (value,)).fetchone()
        return _row(row) if row else None


def _row(row) -> SavedSearch:
    id_, member, name, request, token, created, last_sent, seen = row
    return SavedSearch(id=id_, member=member, name=name, request=json.loads(request), token=token,
                       created=created, last_sent=last_sent, seen=json.loads(seen))


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
