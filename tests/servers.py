"""A real waitress server for tests: the command `make run` uses, on a free loopback port, stopped afterwards."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.error import HTTPError

import pytest


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def waitress_server(settings: dict[str, str], *, log: Path | None = None, threads: int = 4,
                    inherit_settings: bool = True):
    """Serve search_app:create_app with these KENNISBANK_* settings; yield its base URL once /api/health answers.

    With inherit_settings=False no KENNISBANK_* variable of the test run leaks into the server.
    """
    env = {k: v for k, v in os.environ.items() if inherit_settings or not k.startswith("KENNISBANK_")}
    env.update(settings)
    port = free_port()
    out = open(log, "wb") if log else subprocess.DEVNULL
    proc = subprocess.Popen([sys.executable, "-m", "waitress", "--host=127.0.0.1", f"--port={port}",
                             f"--threads={threads}", "--call", "search_app:create_app"], env=env,
                            stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/api/health", timeout=1).close()
                break
            except HTTPError:
                break  # it answers (say 503 without an index): the server is up
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    detail = log.read_text(errors="replace") if log else ""
                    pytest.fail(f"waitress did not start\n{detail}")
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if log:
            out.close()
