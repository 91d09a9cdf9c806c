"""Count failed logins per account name and per address in a sliding window, and say when to refuse."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from typing import Callable


class LoginLimiter:
    """In-process failure counters; a key over its limit is refused until its oldest failure leaves the window.

    Names are counted whether or not the account exists, so a refusal reveals nothing about existence.
    The counters live in this process: waitress serves one process with threads, which all share them.
    """

    MAX_KEYS = 10_000  # bounds memory when someone tries very many names or addresses

    def __init__(self, per_account: int, per_address: int, window: float,
                 clock: Callable[[], float] = time.monotonic):
        self.limits = {"account": per_account, "address": per_address}
        self.window = window
        self.clock = clock
        self._failures: OrderedDict[tuple[str, str], deque] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def retry_after(self, account: str, address: str) -> float:
        """Return seconds until a login for this account from this address is allowed again (0 = allowed now)."""
        now = self.clock()
        wait = 0.0
        with self._lock:
            for kind, value in (("account", account), ("address", address)):
                times = self._recent((kind, value), now)
                if len(times) >= self.limits[kind]:
                    wait = max(wait, times[-self.limits[kind]] + self.window - now)
        return wait

    def failure(self, account: str, address: str) -> None:
        """Record one failed login."""
        now = self.clock()
        with self._lock:
            for key in (("account", account), ("address", address)):
                self._recent(key, now)
                self._failures.setdefault(key, deque()).append(now)
                self._failures.move_to_end(key)
            while len(self._failures) > self.MAX_KEYS:
                self._failures.popitem(last=False)

    def success(self, account: str) -> None:
        """Forget an account's failures after a correct login (the address keeps its count)."""
        with self._lock:
            self._failures.pop(("account", account), None)
