"""Searchers kept open across requests: reused within a generation, replaced when a new build is published."""
from __future__ import annotations

import threading

import pytest

from indexer.index.build import build_index
from indexer.search import SearchRequest, built_cache, search
from search_app import create_app, indexes
from tests.pdfs import make_pdf

NEW_WORD = "kwartiermakersnieuwsbrief"


@pytest.fixture
def live_app(corpus_copy, tmp_path):
    """The app over a writable corpus and index, so a test can publish a new build while it serves."""
    corpus, index = corpus_copy
    app = create_app({"TESTING": True, "CORPUS_DIR": str(corpus), "INDEX_DIR": str(index),
                      "INSTANCE_DIR": str(tmp_path / "instance"), "SECRET_KEY": "test"})
    return app, corpus, index


def publish_new_build(corpus, index):
    """Add a PDF with a word no other document has, and build a new generation."""
    make_pdf(corpus / "pdf" / "nieuw.pdf", [f"Een nieuw document over de {NEW_WORD} van de gemeente."],
             title="Nieuwe notitie")
    return build_index(corpus, index)


def total(client, q):
    return client.get("/api/search", query_string={"q": q}).get_json()["total"]


def test_a_searcher_is_reused_by_the_next_request(live_app):
    app, _, _ = live_app
    seen = []
    for _ in range(2):
        with app.test_request_context("/"):
            seen.append(indexes.searcher("public"))
            search(seen[-1], SearchRequest(q="gemeente"))
            app.do_teardown_appcontext()
    assert seen[0] is seen[1]


def test_concurrent_requests_share_one_cache_of_index_facts(live_app):
    app, _, _ = live_app
    with app.test_request_context("/"):
        first = indexes.searcher("public")
        search(first, SearchRequest(q="gemeente"))
        app.do_teardown_appcontext()
    with app.test_request_context("/"):  # two requests at once: the second gets a new searcher
        busy = indexes.searcher("public")
        gen = indexes.holder().current()
        second = gen.borrow("public")
        results = search(second, SearchRequest(q="gemeente"))
        gen.give_back("public", second)
        app.do_teardown_appcontext()
    assert busy is first and second is not first
    assert built_cache(second) is built_cache(first) and results.total > 0


def test_a_new_build_is_served_without_restart_while_a_request_in_flight_finishes_on_the_old(live_app):
    app, corpus, index = live_app
    client = app.test_client()
    assert total(client, NEW_WORD) == 0
    old_generation = client.get("/api/health").get_json()["generation"]

    started, published, finished = threading.Event(), threading.Event(), {}

    def in_flight():
        with app.test_request_context("/"):
            s = indexes.searcher("public")
            started.set()
            published.wait(timeout=60)
            # Same request, after the switch: still the old generation, and its searcher still works.
            finished["total"] = search(s, SearchRequest(q=NEW_WORD)).total
            finished["generation"] = indexes.generation_name()
            app.do_teardown_appcontext()
            finished["closed"] = s.is_closed

    worker = threading.Thread(target=in_flight)
    worker.start()
    assert started.wait(timeout=30)
    report = publish_new_build(corpus, index)
    try:
        assert client.get("/api/health").get_json()["generation"] == report.generation != old_generation
        assert total(client, NEW_WORD) == 1
    finally:
        published.set()
        worker.join(timeout=60)
    assert finished == {"total": 0, "generation": old_generation, "closed": True}


def test_searchers_of_a_replaced_generation_are_closed_when_idle(live_app):
    app, corpus, index = live_app
    with app.test_request_context("/"):
        old = indexes.searcher("public")
        app.do_teardown_appcontext()
    assert not old.is_closed  # kept for the next request
    publish_new_build(corpus, index)
    client = app.test_client()
    assert total(client, NEW_WORD) == 1
    assert old.is_closed


def test_a_new_build_is_opened_and_warmed_before_it_serves(live_app):
    app, corpus, index = live_app
    app.test_client().get("/api/health")
    report = publish_new_build(corpus, index)
    generation = indexes_of(app).current()  # no search has run on it yet
    assert generation.name == report.generation
    for name in ("public", "all"):
        searcher = generation.borrow(name)  # shares the cache the warm-up built
        try:
            assert "content" in built_cache(searcher).terms.norms.loaded
        finally:
            generation.give_back(name, searcher)


def test_while_one_request_opens_a_new_build_the_others_are_served_by_the_open_one(live_app, monkeypatch):
    app, corpus, index = live_app
    client = app.test_client()
    first = client.get("/api/health").get_json()["generation"]
    gate, entered, opened = threading.Event(), threading.Event(), []

    def slow_open(path):  # the real opening, held until the test lets it go
        entered.set()
        assert gate.wait(timeout=60)
        opened.append(real_open(path))
        return opened[-1]

    real_open = indexes._opened
    monkeypatch.setattr(indexes, "_opened", slow_open)
    second = publish_new_build(corpus, index).generation
    opener = threading.Thread(target=lambda: client.get("/api/health"))
    opener.start()
    try:
        assert entered.wait(timeout=30)
        assert client.get("/api/health").get_json()["generation"] == first  # not held up by the opening
        assert total(client, NEW_WORD) == 0
        (corpus / "pdf" / "nieuw.pdf").unlink()
        third = build_index(corpus, index).generation  # CURRENT moves on while the second is still opening
    finally:
        gate.set()
        opener.join(timeout=60)
    # The second generation was opened too late to serve: it is closed again, and the next request opens the third.
    assert opened and opened[0].name == second and opened[0].retired
    assert client.get("/api/health").get_json()["generation"] == third


def test_an_index_without_public_documents_builds_and_serves(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "pdf").mkdir(parents=True)
    (corpus / "catalogue.yaml").write_text(
        "theme:\n  title: T\n  intro: I\ndocuments:\n  - id: intern\n    title: Interne notitie\n"
        "    summary: Alleen voor leden over de openbare orde.\n    date: 2024-01-01\n    author: X\n"
        "    doctype: Notitie\n    section: Intern\n    access: members\n", encoding="utf-8")
    report = build_index(corpus, tmp_path / "index")  # reproduces a crash: the empty public index had no segment id
    assert (report.documents, report.public_documents) == (1, 0)
    app = create_app({"TESTING": True, "CORPUS_DIR": str(corpus), "INDEX_DIR": str(tmp_path / "index"),
                      "INSTANCE_DIR": str(tmp_path / "instance"), "SECRET_KEY": "test"})
    client = app.test_client()
    assert client.get("/api/health").status_code == 200
    assert total(client, "openbare orde") == 0


def _delete_toc(folder):
    for toc in folder.glob("*.toc"):
        toc.unlink()


def _truncate_segment(folder):
    # Opens fine, fails on the first read (EOFError or struct.error inside Whoosh): it gave a 500 on every request.
    for seg in folder.glob("*.seg"):
        with open(seg, "r+b") as f:
            f.truncate(seg.stat().st_size // 3)


@pytest.mark.parametrize("damage", [_delete_toc, _truncate_segment])
def test_an_unreadable_new_build_leaves_the_open_generation_serving(live_app, caplog, damage):
    app, corpus, index = live_app
    client = app.test_client()
    served = client.get("/api/health").get_json()["generation"]
    broken = publish_new_build(corpus, index).generation
    damage(index / broken / "public")
    r = client.get("/api/health")
    assert r.status_code == 200 and r.get_json()["generation"] == served
    assert total(client, "gemeente") > 0 and total(client, NEW_WORD) == 0
    assert broken in caplog.text and "cannot be opened" in caplog.text
    (corpus / "pdf" / "nieuw.pdf").unlink()
    repaired = build_index(corpus, index).generation  # the next build is opened as usual
    assert client.get("/api/health").get_json()["generation"] == repaired


def indexes_of(app):
    return app.extensions["kennisbank_indexes"]
