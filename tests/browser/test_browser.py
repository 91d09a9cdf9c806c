"""The search experience in a real Chromium: searching, facets, sorting, paging, PDF pages, suggestions, axe-core."""
from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser

# Set KENNISBANK_SHOTS=/tmp/shots to keep a full-page screenshot of every page the axe test visits.
SHOTS = os.environ.get("KENNISBANK_SHOTS")


def params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def result_count(page) -> str:
    return page.locator("h1.result-count").inner_text()


def test_search_from_the_start_page(page, live_server):
    page.goto(live_server + "/")
    page.get_by_role("combobox", name="Zoek in de kennisbank").fill("internetverbod")
    page.keyboard.press("Enter")  # no suggestion chosen: submits what was typed
    page.wait_for_url(re.compile(r"\?q=internetverbod$"))
    assert re.match(r"2 resultaten voor .?internetverbod.?$", result_count(page))
    titles = page.locator("li.hit h2").all_inner_texts()
    assert sorted(titles) == ["Het internetverbod, deel 1", "Het internetverbod, deel 2"]
    assert page.locator("#q").input_value() == "internetverbod"  # the query is echoed in the box
    assert page.locator("li.hit mark").first.inner_text().lower() == "internetverbod"


def test_facet_click_filters_and_back_button_restores(page, live_server):
    page.goto(live_server + "/?q=polarisatie")
    assert result_count(page).startswith("11 resultaten")
    page.locator(".facet", has_text="Documenttype").get_by_role("link", name=re.compile(r"^Handboek")).click()
    page.wait_for_url(re.compile(r"doctype=Handboek"))
    assert result_count(page).startswith("4 resultaten")
    assert params(page.url) == {"q": ["polarisatie"], "doctype": ["Handboek"]}
    metas = page.locator("li.hit .meta").all_inner_texts()
    assert len(metas) == 4 and all("Handboek" in m for m in metas)
    chip = page.get_by_role("link", name=re.compile(r"Verwijder filter Documenttype: Handboek"))
    assert chip.is_visible()
    page.go_back()
    page.wait_for_url(re.compile(r"\?q=polarisatie$"))
    assert result_count(page).startswith("11 resultaten")


def test_sorting_by_date(page, live_server):
    page.goto(live_server + "/?q=polarisatie&per_page=20")
    page.get_by_role("navigation", name="Sorteren").get_by_role("link", name="Nieuwste", exact=True).click()
    page.wait_for_url(re.compile(r"sort=nieuwste"))
    dates = page.locator("li.hit time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert len(dates) == 11 and dates == sorted(dates, reverse=True)
    page.get_by_role("link", name="Oudste", exact=True).click()
    page.wait_for_url(re.compile(r"sort=oudste"))
    dates = page.locator("li.hit time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert dates == sorted(dates)


def test_paging(page, live_server):
    page.goto(live_server + "/?q=polarisatie&sort=oudste")
    first = page.locator("li.hit h2").all_inner_texts()
    assert len(first) == 10
    page.get_by_role("navigation", name="Paginering").get_by_role("link", name="Volgende pagina").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert params(page.url)["sort"] == ["oudste"] and params(page.url)["q"] == ["polarisatie"]
    second = page.locator("li.hit h2").all_inner_texts()
    assert len(second) == 1 and second[0] not in first
    assert page.locator(".pagination [aria-current=page]").inner_text().strip().endswith("2")
    assert page.locator("ol.hits").get_attribute("start") == "11"


def test_pdf_link_beside_a_page_opens_the_pdf_at_that_page(page, live_server):
    page.goto(live_server + "/?q=uitvoerbaarheid")
    assert page.locator("li.hit a.page-link").first.inner_text().startswith("p. 2")  # "p. N" is the page view
    link = page.locator("li.hit a.page-pdf-link").first
    with page.expect_response(lambda r: r.url.endswith("/documenten/internetverbod-deel-2/pdf")) as info:
        link.click()
    response = info.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    page.wait_for_url(re.compile(r"/documenten/internetverbod-deel-2/pdf#page=2$"))
    # Chromium shows the PDF in its viewer; the bytes behind it are the real PDF.
    assert page.request.get(page.url.split("#")[0]).body().startswith(b"%PDF")


def test_document_page_from_a_result(page, live_server):
    page.goto(live_server + "/?q=cijfers")
    page.get_by_role("link", name="Monitor polarisatie 2022").click()
    page.wait_for_url(re.compile(r"/documenten/polarisatie-monitor-2022\?q=cijfers"))
    assert page.get_by_role("heading", level=1).inner_text() == "Monitor polarisatie 2022"
    similar = page.get_by_role("complementary", name="Vergelijkbare documenten")
    assert similar.get_by_role("link").first.inner_text() == "Monitor polarisatie 2021"
    page.get_by_role("link", name="Citeer p. 2").click()
    citation = page.get_by_label("Citaat").input_value()
    assert citation.startswith("NCTV (2022). Monitor polarisatie 2022 (p. 2). Kennisbank Zoeken. http://")
    assert citation.endswith("/documenten/polarisatie-monitor-2022")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Kopieer citaat").click()
    page.get_by_role("status").filter(has_text="gekopieerd").wait_for()  # the clipboard answers asynchronously
    assert page.evaluate("navigator.clipboard.readText()") == citation


def suggestions_settled(page):
    """Wait until the suggestion list answers the text in the box (no request pending)."""
    page.wait_for_function("() => { const l = document.getElementById('q-suggesties');"
                           " return l && !l.hasAttribute('aria-busy'); }")


def test_autocomplete_with_the_keyboard(page, live_server):
    page.goto(live_server + "/")
    page.keyboard.press("Tab")  # first stop: the skip link
    assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
    page.keyboard.press("Tab")  # the brand link
    page.keyboard.press("Tab")  # the search box
    box = page.get_by_role("combobox", name="Zoek in de kennisbank")
    assert box.evaluate("el => el === document.activeElement")
    page.keyboard.type("pola")
    suggestions_settled(page)
    listbox = page.get_by_role("listbox", name="Suggesties")
    listbox.wait_for(state="visible")
    assert box.get_attribute("aria-expanded") == "true"
    options = listbox.get_by_role("option")
    assert options.first.inner_text().startswith("polarisatie")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = options.nth(1)
    assert second.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == second.get_attribute("id")
    assert box.evaluate("el => el === document.activeElement")  # focus stays in the box
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Escape")
    assert listbox.is_hidden() and box.get_attribute("aria-expanded") == "false"
    page.keyboard.press("ArrowDown")  # reopen
    listbox.wait_for(state="visible")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # the first suggestion: the word "polarisatie"
    page.wait_for_url(re.compile(r"\?q=polarisatie$"))
    assert result_count(page).startswith("11 resultaten")


def test_autocomplete_title_opens_the_document(page, live_server):
    page.goto(live_server + "/")
    page.locator("#q").press_sequentially("monitor pol", delay=20)
    suggestions_settled(page)
    page.get_by_role("option", name=re.compile("Monitor polarisatie 2021")).wait_for()
    for _ in range(10):
        page.keyboard.press("ArrowDown")
        active = page.locator("[role=option][aria-selected=true]").inner_text()
        if active.startswith("Monitor polarisatie 2021"):
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/documenten/polarisatie-monitor-2021$"))


def test_core_search_works_without_javascript(browser, live_server):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(live_server + "/")
    page.locator("#q").fill("internetverbod")
    page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(r"\?q=internetverbod$"))
    assert result_count(page).startswith("2 resultaten")
    assert page.locator("#q").get_attribute("role") is None  # the combobox exists only with JavaScript
    page.get_by_role("link", name=re.compile(r"^Rapport")).first.click()
    page.wait_for_url(re.compile(r"doctype=Rapport"))
    page.locator("#from").fill("2023-03")
    page.get_by_role("button", name="Datum toepassen").click()
    page.wait_for_url(re.compile(r"from=2023-03"))
    assert result_count(page).startswith("1 resultaat")
    ctx.close()


def test_keyboard_reaches_filters_sort_and_results(page, live_server):
    page.goto(live_server + "/?q=polarisatie")
    reached = []
    for _ in range(60):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("(document.activeElement.innerText || document.activeElement.id || '').trim()"))
    text = "\n".join(reached)
    for expected in ("Naar de inhoud", "Rapport", "Datum toepassen", "Nieuwste", "Polarisatie in de wijk", "p. 1"):
        assert expected in text, (expected, reached)
    # A focused link shows a visible focus outline.
    page.get_by_role("link", name="Nieuwste", exact=True).focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


AXE_PAGES = {
    "start": "/",
    "results": "/?q=polarisatie",
    "results-filtered": "/?q=polarisatie&doctype=Rapport&from=2020&sort=nieuwste&per_page=3&page=2",
    "no-results": "/?q=xylofoonmuziek",
    "document": "/documenten/polarisatie-monitor-2022?q=polarisatie",
    "page-view": "/documenten/internetverbod-deel-2/pagina/2?q=uitvoerbaarheid",
    "help": "/help",
    "bad-query": "/?q=ab*",
}


@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_axe_finds_no_violations(sized_page, live_server, name, width):
    """axe-core (WCAG 2.0/2.1 A and AA plus best practices) on every page kind, at 1280 and 375 px."""
    from axe_playwright_python.sync_playwright import Axe
    response = sized_page.goto(live_server + AXE_PAGES[name])
    assert response.status in (200, 400)
    if name == "start":  # also check the open suggestion list
        sized_page.locator("#q").press_sequentially("pola", delay=20)
        suggestions_settled(sized_page)
        sized_page.get_by_role("listbox").wait_for(state="visible")
        sized_page.keyboard.press("ArrowDown")
    results = Axe().run(sized_page, options={"resultTypes": ["violations"],
                                             "runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                         "best-practice"]})
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        sized_page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)
    assert results.violations_count == 0, results.generate_report()
    assert sized_page.evaluate("document.documentElement.lang") == "nl"
    # Nothing sticks out sideways at this width (no horizontal scrolling).
    assert sized_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
