"""Failed-login limits: per address and per account from one address a wait, per account only a slow-down.

Counted in the instance folder's SQLite store (indexer.sessions), so every thread sees the same counts, the
check and the record are one transaction before the password is hashed (parallel guesses cannot slip past),
and the counts survive a restart. Names are counted whether or not the account exists, so a refusal reveals
nothing about existence. Someone without the password cannot lock a member out: from other addresses, an
account's failures only space the attempts ACCOUNT_DELAY seconds apart.
"""
from __future__ import annotations

from indexer.sessions import SessionStore

ACCOUNT_DELAY = 60  # seconds between attempts on an account that failed too often, from any address


class LoginLimiter:
    """Check-and-record login attempts in a SessionStore."""

    def __init__(self, store: SessionStore, per_account: int, per_address: int, window: float,
                 account_delay: float = ACCOUNT_DELAY):
        self.store = store
        self.per_account, self.per_address = per_account, per_address
        self.window, self.account_delay = window, account_delay

    def _keys(self, account: str, address: str):
        return [("pair", f"{account}\n{address}", self.per_account, self.window, 0),
                ("address", address, self.per_address, self.window, 0),
                ("account", account, self.per_account, self.window, self.account_delay)]

    def attempt(self, account: str, address: str) -> float:
        """Return 0 and record the attempt (as a failure until success()), or the seconds to wait."""
        return self.store.attempt(self._keys(account[:200], address))

    def success(self, account: str, address: str) -> None:
        """A correct password: forget the account's failures; the address keeps its earlier ones."""
        account = account[:200]
        self.store.success("account", account)
        self.store.success("pair", f"{account}\n{address}")
        self.store.forget_attempt([("address", address)])
