"""Rollback is consistent: a generation serves exactly the documents and the PDF versions it was built with."""
from __future__ import annotations

from click.testing import CliRunner

from indexer.cli import main
from indexer.index.build import build_index
from indexer.index.update import update_index
from search_app import create_app
from tests.pdfs import make_pdf

CATALOGUE = """unlisted_access: public
documents:
  - id: notitie
    title: Notitie over overlast
    summary: Over overlast.
    date: 2024-01-02
    pdf: notitie.pdf
"""


def _pdf(client, doc_id: str) -> bytes:
    with client.get(f"/documenten/{doc_id}/pdf") as r:  # closes the served file
        assert r.status_code == 200, doc_id
        return r.data


def test_after_rollback_a_document_and_its_pdf_answer_as_that_generation_was_built(tmp_path):
    # The bug: after rollback a document page answered 200 while its PDF answered 404 (the file was gone).
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    (corpus / "pdf").mkdir(parents=True)
    (corpus / "catalogue.yaml").write_text(CATALOGUE, encoding="utf-8")
    make_pdf(corpus / "pdf" / "notitie.pdf", ["Eerste versie van de notitie over overlast. " * 5])
    make_pdf(corpus / "pdf" / "los.pdf", ["Een losse notitie over jongerenwerk in de wijk. " * 5])
    build_index(corpus, index)
    first = (corpus / "pdf" / "notitie.pdf").read_bytes()

    make_pdf(corpus / "pdf" / "notitie.pdf", ["Tweede versie, met een nieuw hoofdstuk over handhaving. " * 5])
    (corpus / "pdf" / "los.pdf").unlink()
    update_index(corpus, index)
    app = create_app({"TESTING": True, "CORPUS_DIR": str(corpus), "INDEX_DIR": str(index),
                      "INSTANCE_DIR": str(tmp_path / "instance"), "SECRET_KEY": "test"})
    client = app.test_client()
    assert client.get("/documenten/los").status_code == 404
    assert _pdf(client, "notitie") == (corpus / "pdf" / "notitie.pdf").read_bytes()

    assert CliRunner().invoke(main, ["rollback", "--index", str(index)]).exit_code == 0
    assert client.get("/documenten/los").status_code == 200
    assert _pdf(client, "los").startswith(b"%PDF")
    assert _pdf(client, "notitie") == first  # the version that generation indexed


def test_a_pdf_linked_from_outside_the_pdf_folder_is_not_stored_or_served(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    (corpus / "pdf").mkdir(parents=True)
    (corpus / "catalogue.yaml").write_text(CATALOGUE, encoding="utf-8")
    make_pdf(tmp_path / "geheim.pdf", ["Geheime notitie buiten de corpusmap. " * 5])
    (corpus / "pdf" / "notitie.pdf").symlink_to(tmp_path / "geheim.pdf")
    build_index(corpus, index)
    assert not list((index / "pdf-store").glob("*.pdf"))
    app = create_app({"TESTING": True, "CORPUS_DIR": str(corpus), "INDEX_DIR": str(index),
                      "INSTANCE_DIR": str(tmp_path / "instance"), "SECRET_KEY": "test"})
    with app.test_client().get("/documenten/notitie/pdf") as r:
        assert r.status_code == 404


def test_pdfs_whose_real_path_is_in_the_pdf_folder_are_stored(tmp_path):
    # The store resolves each folder once and only links one by one (an update resolved every PDF's path):
    # a corpus/pdf that is itself a link, and a link to another PDF in that folder, are still kept.
    corpus, index, elsewhere = tmp_path / "corpus", tmp_path / "index", tmp_path / "pdfs-elders"
    elsewhere.mkdir()
    corpus.mkdir()
    (corpus / "pdf").symlink_to(elsewhere)
    (corpus / "catalogue.yaml").write_text(CATALOGUE, encoding="utf-8")
    make_pdf(elsewhere / "origineel.pdf", ["De notitie over overlast in de wijk. " * 5])
    (elsewhere / "notitie.pdf").symlink_to(elsewhere / "origineel.pdf")
    build_index(corpus, index)
    assert len(list((index / "pdf-store").glob("*.pdf"))) == 1  # one content, read under two names
    app = create_app({"TESTING": True, "CORPUS_DIR": str(corpus), "INDEX_DIR": str(index),
                      "INSTANCE_DIR": str(tmp_path / "instance"), "SECRET_KEY": "test"})
    assert _pdf(app.test_client(), "notitie") == (elsewhere / "origineel.pdf").read_bytes()
