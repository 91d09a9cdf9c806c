"""The app behind a real waitress server on loopback, as `make run` serves it."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.error import HTTPError

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(bundled_index):
    """waitress serving search_app:create_app over the bundled corpus on a free loopback port."""
    port = free_port()
    env = dict(os.environ, KENNISBANK_INDEX=str(bundled_index))
    proc = subprocess.Popen([sys.executable, "-m", "waitress", "--host=127.0.0.1", f"--port={port}",
                             "--call", "search_app:create_app"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/api/health", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except HTTPError as e:
        return e.code, e.read()


def test_internetverbod_over_http(server):
    status, body = get(server + "/api/search?q=internetverbod")
    assert status == 200
    data = json.loads(body)
    assert {h["id"] for h in data["hits"][:2]} == {"internetverbod-uitvoerbaarheid", "internetverbod-burgemeester"}


def test_start_page_and_bad_query_over_http(server):
    status, body = get(server + "/")
    assert status == 200 and "Maatschappelijk ongenoegen" in body.decode()
    status, body = get(server + "/?q=" + "x" * 5000)
    assert status == 400 and "te lang" in body.decode()
