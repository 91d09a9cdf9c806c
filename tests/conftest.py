"""Shared fixtures: a tiny corpus with generated PDFs, its built index, the app, a client and a CLI runner."""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.index import store
from indexer.index.build import build_index
from search_app import create_app
from tests.members import add_member
from tests.pdfs import make_pdf

REPO = Path(__file__).resolve().parent.parent
BUNDLED_CORPUS = REPO / "corpus"

FILLER = ("De gemeente werkt samen met politie en Openbaar Ministerie aan de aanpak van maatschappelijke onrust. "
          "Burgers en organisaties worden betrokken bij dialoog en preventie. ")

# Page 3 of the report holds a word that occurs nowhere else in the corpus.
PAGE3_WORD = "kwartiermakersoverleg"

CATALOGUE = textwrap.dedent("""\
    unlisted_access: public
    theme:
      title: Testthema
      intro: Een klein testcorpus over maatschappelijk ongenoegen.
    documents:
      - id: rapport-online-ordeverstoringen
        title: Online aangejaagde ordeverstoringen
        summary: Een rapport over de aanpak van online aangejaagde ordeverstoringen door gemeenten.
        date: 2023-04-01
        author: NHL Stenden
        doctype: Rapport
        section: Onderzoeksrapporten en publicaties
        pdf: rapport.pdf
      - id: handreiking-polarisatie
        title: Digitale handreiking polarisatie
        summary: Wat gemeenten kunnen doen tegen polarisatie.
        date: 2024-04-17
        author: VAR
        doctype: Handboek
        section: Praktische hulp
        pdf: handreiking.pdf
      - id: dreigingsbeeld
        title: Dreigingsbeeld Terrorisme Nederland
        summary: Het dreigingsbeeld van de Nationaal Coördinator Terrorismebestrijding en Veiligheid.
        date: 2024-06-11
        author: NCTV
        doctype: Algemeen
        section: Onderzoeksrapporten en publicaties
      - id: kapotte-pdf
        title: Een document met een kapotte PDF
        summary: De PDF van dit document is beschadigd.
        date: 2022-01-01
        author: Onbekend
        section: Onderzoeksrapporten en publicaties
        pdf: kapot.pdf
    """)


def write_corpus(root: Path) -> Path:
    """Create the test corpus under root: catalogue, good PDFs, and the bad files a real corpus gets."""
    pdf = root / "pdf"
    pdf.mkdir(parents=True)
    (root / "catalogue.yaml").write_text(CATALOGUE, encoding="utf-8")
    make_pdf(pdf / "rapport.pdf", [
        "Inleiding. " + FILLER * 3,
        "Hoofdstuk 1. De rol van de burgemeester bij online oproepen. " + FILLER * 3,
        f"Hoofdstuk 2. Het {PAGE3_WORD} van de gemeenten in de regio. " + FILLER * 2,
        "Hoofdstuk 3. Conclusies over handhaving. " + FILLER * 3,
    ], title="Rapport online ordeverstoringen")
    make_pdf(pdf / "handreiking.pdf", [
        "Handreiking polarisatie. " + FILLER,
        "Signalering van spanningen in de wijk. " + FILLER,
    ])
    make_pdf(pdf / "los-document.pdf", ["Een losse notitie over jongerenwerkers in Zuidoost. " + FILLER],
             title="Losse notitie jongerenwerk")
    (pdf / "kapot.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + b"\x00garbage" * 20)
    (pdf / "leeg.pdf").write_bytes(b"")
    (pdf / "geen-pdf.pdf").write_text("<html><body>Dit is geen PDF</body></html>", encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def built_corpus(tmp_path_factory):
    """A test corpus and its index, built once for the session (read-only for tests)."""
    root = tmp_path_factory.mktemp("kb")
    corpus = write_corpus(root / "corpus")
    index = root / "index"
    report = build_index(corpus, index)
    return corpus, index, report


@pytest.fixture(scope="session")
def bundled_index(tmp_path_factory):
    """The bundled corpus of the repository, built into a temporary index."""
    index = tmp_path_factory.mktemp("bundled") / "index"
    build_index(BUNDLED_CORPUS, index)
    return index


@pytest.fixture
def bundled_searcher(bundled_index):
    """A searcher on the public index of the bundled corpus."""
    with store.open_index(store.current_generation(bundled_index), "public").searcher() as s:
        yield s


@pytest.fixture
def corpus_copy(tmp_path, built_corpus):
    """A private, writable copy of the test corpus and its index, for tests that change them."""
    corpus, index, _ = built_corpus
    shutil.copytree(corpus, tmp_path / "corpus")
    shutil.copytree(index, tmp_path / "index")
    return tmp_path / "corpus", tmp_path / "index"


@pytest.fixture
def app(built_corpus, tmp_path):
    """The app over the test corpus."""
    corpus, index, _ = built_corpus
    return create_app({"TESTING": True, "CORPUS_DIR": str(corpus), "INDEX_DIR": str(index),
                       "INSTANCE_DIR": str(tmp_path / "instance"), "SECRET_KEY": "test"})


@pytest.fixture
def client(app):
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def bundled_client(bundled_index, tmp_path):
    """A test client of the app over the bundled corpus."""
    app = create_app({"TESTING": True, "CORPUS_DIR": str(BUNDLED_CORPUS), "INDEX_DIR": str(bundled_index),
                      "INSTANCE_DIR": str(tmp_path / "instance"), "SECRET_KEY": "test"})
    return app.test_client()


@pytest.fixture
def runner():
    """A click runner for the kennisbank CLI."""
    return CliRunner()


@pytest.fixture(scope="module")
def instance_template(tmp_path_factory):
    """An instance folder with one member, made once (hashing is slow on purpose)."""
    path = tmp_path_factory.mktemp("instance-template")
    add_member(path)
    return path


@pytest.fixture
def instance(tmp_path, instance_template):
    """A private copy of the instance folder with one member."""
    shutil.copytree(instance_template, tmp_path / "instance")
    return tmp_path / "instance"
