"""The app behind a real waitress server on loopback, as `make run` serves it."""
from __future__ import annotations

import json
import urllib.request
from urllib.error import HTTPError

import pytest

from tests.servers import waitress_server


@pytest.fixture
def server(bundled_index):
    """waitress serving search_app:create_app over the bundled corpus on a free loopback port."""
    with waitress_server({"KENNISBANK_INDEX": str(bundled_index)}) as base:
        yield base


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
