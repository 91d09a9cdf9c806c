"""A real waitress server over the UI corpus and a real Chromium driven by Playwright."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from indexer.index.build import build_index
from tests.servers import waitress_server
from tests.ui_corpus import write_ui_corpus

CHROMIUM = os.environ.get("KENNISBANK_CHROMIUM", "/usr/bin/chromium")
# Flags that work on this machine and in CI (root, no GPU, no network beyond the test server).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTHS = {"desktop": (1280, 900), "mobile": (375, 812)}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """waitress serving search_app:create_app over the UI corpus on a free loopback port."""
    root = tmp_path_factory.mktemp("browser")
    corpus = write_ui_corpus(root / "corpus")
    build_index(corpus, root / "index")
    settings = {"KENNISBANK_CORPUS": str(corpus), "KENNISBANK_INDEX": str(root / "index"),
                "KENNISBANK_INSTANCE": str(root / "instance"), "KENNISBANK_SECRET_KEY": "browser-tests"}
    with waitress_server(settings, log=root / "server.log") as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, launched by Playwright (Playwright's own browser download cannot work here)."""
    if not Path(CHROMIUM).exists() or not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium is needed for the browser tests: apt-get install chromium ({CHROMIUM} not found)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(params=list(WIDTHS))
def width(request):
    """Each test that asks for it runs at 1280 px and at 375 px wide."""
    return request.param


def _context(browser, viewport, **kw):
    ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="nl-NL", **kw)
    ctx.set_default_timeout(10_000)
    return ctx


def _watch_errors(pg) -> list[str]:
    """Collect console errors and script errors; a 4xx of the page itself (a tested error page) is expected."""
    errors: list[str] = []

    def on_console(m):
        if m.type == "error" and not (m.text.startswith("Failed to load resource")
                                      and m.location.get("url", "").split("#")[0] == pg.url.split("#")[0]):
            errors.append(f"{m.text} ({m.location.get('url')})")
    pg.on("console", on_console)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    return errors


@pytest.fixture
def page(browser):
    """A fresh desktop-sized page; fails the test if the page broke its Content-Security-Policy or logged errors."""
    ctx = _context(browser, WIDTHS["desktop"])
    pg = ctx.new_page()
    errors = _watch_errors(pg)
    yield pg
    ctx.close()
    assert not errors, errors


@pytest.fixture
def sized_page(browser, width):
    """A fresh page at the width under test (desktop or mobile)."""
    ctx = _context(browser, WIDTHS[width])
    pg = ctx.new_page()
    errors = _watch_errors(pg)
    yield pg
    ctx.close()
    assert not errors, errors
