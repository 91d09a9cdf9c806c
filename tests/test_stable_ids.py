"""Stable addresses: a document keeps answering at every id it had, and unlisted ids stay put as files are added."""
from __future__ import annotations

from indexer.index.build import build_index
from indexer.index.update import update_index
from search_app import create_app
from tests.pdfs import make_pdf

TEXT = "Een notitie over jongerenwerkers in Zuidoost en de samenwerking met de wijkagent in de buurt. " * 5


def _client(corpus, index, tmp_path):
    app = create_app({"TESTING": True, "CORPUS_DIR": str(corpus), "INDEX_DIR": str(index),
                      "INSTANCE_DIR": str(tmp_path / "instance"), "SECRET_KEY": "test"})
    return app.test_client()


def test_old_urls_redirect_permanently_when_a_pdf_gets_a_record_and_when_the_record_is_renamed(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    (corpus / "pdf").mkdir(parents=True)
    (corpus / "catalogue.yaml").write_text("unlisted_access: public\ndocuments: []\n", encoding="utf-8")
    make_pdf(corpus / "pdf" / "los-document.pdf", [TEXT])
    build_index(corpus, index)
    assert _client(corpus, index, tmp_path).get("/documenten/los-document").status_code == 200

    record = """unlisted_access: public
documents:
  - id: {id}
    title: Notitie jongerenwerk
    summary: Over jongerenwerkers.
    date: 2024-01-02
    pdf: los-document.pdf
{former}"""
    (corpus / "catalogue.yaml").write_text(record.format(id="notitie", former=""), encoding="utf-8")
    build_index(corpus, index)
    client = _client(corpus, index, tmp_path)
    r = client.get("/documenten/los-document?q=wijkagent")
    assert r.status_code == 301 and r.headers["Location"].endswith("/documenten/notitie?q=wijkagent")
    r = client.get("/documenten/los-document/pdf")
    assert r.status_code == 301 and r.headers["Location"].endswith("/documenten/notitie/pdf")
    assert "Notitie jongerenwerk" in client.get("/documenten/notitie").get_data(as_text=True)

    # The maintainer renames the record and lists the old id: both earlier addresses still lead to it.
    (corpus / "catalogue.yaml").write_text(
        record.format(id="notitie-jongerenwerk", former="    former_ids: [notitie]\n"), encoding="utf-8")
    update_index(corpus, index)
    client = _client(corpus, index, tmp_path)
    for old in ("notitie", "los-document"):
        r = client.get(f"/documenten/{old}")
        assert r.status_code == 301 and r.headers["Location"].endswith("/documenten/notitie-jongerenwerk"), old
    assert client.get("/documenten/bestaat-niet").status_code == 404


def test_adding_a_pdf_replaces_no_other_unlisted_document(tmp_path):
    # The bug: the listing order of unlisted PDFs counted the catalogue and the files before them, so adding one
    # file or record changed every unlisted document's entries and `update` reported them all as replaced.
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    (corpus / "pdf").mkdir(parents=True)
    (corpus / "catalogue.yaml").write_text("unlisted_access: public\ndocuments: []\n", encoding="utf-8")
    make_pdf(corpus / "pdf" / "b-notitie.pdf", [TEXT])
    make_pdf(corpus / "pdf" / "c-notitie.pdf", ["Een tweede notitie over de aanpak van overlast. " * 10])
    build_index(corpus, index)
    make_pdf(corpus / "pdf" / "a-notitie.pdf", ["Een derde notitie over demonstraties. " * 10])
    report = update_index(corpus, index)
    assert (report.added, report.replaced, report.removed) == (["a-notitie"], [], [])
