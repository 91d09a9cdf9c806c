"""Member accounts: names with slow salted password hashes in a JSON file in the instance folder (no Flask)."""
from __future__ import annotations

import base64
import contextlib
import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from .files import atomic_write

USERS_FILE = "users.json"
LOCK_FILE = "users.lock"

# scrypt at n=2**15, r=8 costs 32 MiB and roughly 0.1 s per hash here: slow for guessing, fine for a login.
SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_DKLEN = 2 ** 15, 8, 1, 32
MIN_PASSWORD, MAX_PASSWORD = 10, 1024
_NAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")


class UserError(Exception):
    """A user command cannot be carried out; the message is Dutch and meant for the person who ran it."""


@dataclass(frozen=True)
class User:
    """One member account as stored: name, password hash, session token and timestamps."""

    name: str
    password: str
    session_token: str
    created: str
    changed: str


# ---------------------------------------------------------------- passwords

def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=dklen,
                          maxmem=256 * r * n + 1024 * 1024)


def hash_password(password: str) -> str:
    """Return 'scrypt$n$r$p$salt$hash' for a password, with a fresh random salt."""
    salt = os.urandom(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_DKLEN)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """Return True when the password matches a stored hash (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p), len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


_DUMMY_HASH: str | None = None


def burn_time(password: str) -> None:
    """Spend as long as a real password check, so an unknown name answers no faster than a wrong password."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_hex(16))
    verify_password(password, _DUMMY_HASH)


def check_password_rules(password: str) -> None:
    """Raise UserError when a new password is too short or too long."""
    if len(password) < MIN_PASSWORD:
        raise UserError(f"het wachtwoord moet minstens {MIN_PASSWORD} tekens hebben")
    if len(password) > MAX_PASSWORD:
        raise UserError(f"het wachtwoord mag hoogstens {MAX_PASSWORD} tekens hebben")


def normalize_name(name: str) -> str:
    """Return the stored form of a user name (lowercase), or raise UserError when it is not allowed."""
    norm = (name or "").strip().lower()
    if not _NAME.match(norm):
        raise UserError(f"'{name[:80]}' is geen geldige gebruikersnaam: gebruik 1 tot 64 letters, cijfers, "
                        "punten, streepjes, @ of _, beginnend met een letter of cijfer")
    return norm


# ---------------------------------------------------------------- the store

class UserStore:
    """The accounts file of one instance folder; every change is written atomically under a lock."""

    def __init__(self, instance_dir: str | Path):
        self.instance_dir = Path(instance_dir)
        self.path = self.instance_dir / USERS_FILE

    def _read(self) -> dict[str, User]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise UserError(f"het gebruikersbestand {self.path} is onleesbaar: {exc}") from None
        return {name: User(name=name, **fields) for name, fields in data.get("users", {}).items()}

    def _write(self, users: dict[str, User]) -> None:
        data = {"version": 1, "users": {u.name: {"password": u.password, "session_token": u.session_token,
                                                 "created": u.created, "changed": u.changed}
                                        for u in sorted(users.values(), key=lambda u: u.name)}}
        atomic_write(self.path, json.dumps(data, indent=2, ensure_ascii=False), mode=0o600)

    @contextlib.contextmanager
    def _locked(self):
        self.instance_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(self.instance_dir / LOCK_FILE, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield self._read()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def version(self) -> tuple[int, int] | None:
        """Return a cheap fingerprint (mtime, size) of the file, or None when there are no accounts yet."""
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return st.st_mtime_ns, st.st_size

    def all(self) -> list[User]:
        """Return every account, sorted by name."""
        return sorted(self._read().values(), key=lambda u: u.name)

    def get(self, name: str) -> User | None:
        """Return one account, or None when it does not exist (or the name is not valid)."""
        try:
            return self._read().get(normalize_name(name))
        except UserError:
            return None

    def add(self, name: str, password: str) -> User:
        """Create an account; raise UserError when the name is taken or the password breaks the rules."""
        name = normalize_name(name)
        check_password_rules(password)
        with self._locked() as users:
            if name in users:
                raise UserError(f"gebruiker '{name}' bestaat al; gebruik 'kennisbank users passwd {name}'")
            now = _now()
            users[name] = User(name=name, password=hash_password(password),
                               session_token=secrets.token_urlsafe(16), created=now, changed=now)
            self._write(users)
            return users[name]

    def set_password(self, name: str, password: str) -> User:
        """Change a password; sessions logged in with the old one stop working."""
        name = normalize_name(name)
        check_password_rules(password)
        with self._locked() as users:
            if name not in users:
                raise UserError(f"gebruiker '{name}' bestaat niet")
            old = users[name]
            users[name] = User(name=name, password=hash_password(password),
                               session_token=secrets.token_urlsafe(16), created=old.created, changed=_now())
            self._write(users)
            return users[name]

    def remove(self, name: str) -> None:
        """Delete an account; its sessions stop working at their next request."""
        name = normalize_name(name)
        with self._locked() as users:
            if name not in users:
                raise UserError(f"gebruiker '{name}' bestaat niet")
            del users[name]
            self._write(users)

    def authenticate(self, name: str, password: str) -> User | None:
        """Return the account when name and password match, else None; takes as long either way."""
        user = self.get(name)
        if user is None:
            burn_time(password)
            return None
        return user if verify_password(password, user.password) else None


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
