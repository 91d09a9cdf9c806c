"""Superseded documents: `vervangt` in the catalogue, "Vervangen door" on results and pages, ranking, the filter."""
from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.corpus import CatalogueError, load_catalogue
from indexer.index.build import build_index
from search_app import create_app
from tests.members import add_member, login

# The old guide mentions the words more often, so without `vervangt` it would rank first.
CATALOGUE = textwrap.dedent("""\
    documents:
      - id: demonstraties-2020
        title: Handreiking demonstraties 2020
        summary: Handreiking demonstraties voor gemeenten; demonstraties en demonstratierecht, handreiking.
        date: 2020-01-15
      - id: demonstraties-2024
        title: Handreiking demonstraties 2024
        summary: De nieuwe handreiking over demonstraties.
        date: 2024-09-01
        vervangt: demonstraties-2020
      - id: monitor-2022
        title: Monitor polarisatie 2022
        summary: Cijfers over polarisatie en demonstraties.
        date: 2022-10-01
      - id: monitor-2023
        title: Monitor polarisatie 2023
        summary: Nieuwe cijfers over polarisatie.
        date: 2023-10-01
        access: members
        vervangt: [monitor-2022]
""")


@pytest.fixture(scope="module")
def replaced_app(tmp_path_factory):
    """The app over a corpus in which two documents replace older ones (one of them members-only)."""
    root = tmp_path_factory.mktemp("superseded")
    (root / "corpus" / "pdf").mkdir(parents=True)
    (root / "corpus" / "catalogue.yaml").write_text(CATALOGUE, encoding="utf-8")
    build_index(root / "corpus", root / "index")
    add_member(root / "instance")
    return create_app({"TESTING": True, "CORPUS_DIR": str(root / "corpus"), "INDEX_DIR": str(root / "index"),
                       "INSTANCE_DIR": str(root / "instance"), "SECRET_KEY": "test"})


def ranked(client, q, **params):
    return [h["id"] for h in client.get("/api/search", query_string={"q": q, **params}).get_json()["hits"]]


@pytest.mark.parametrize("q", ["handreiking demonstraties", '"handreiking demonstraties"', "demonstratie*"])
def test_a_replaced_document_ranks_below_its_successor(replaced_app, q):
    # Word queries are ranked from score tables, phrases and wildcards by Whoosh: both demote it.
    ids = ranked(replaced_app.test_client(), q)
    assert ids.index("demonstraties-2024") < ids.index("demonstraties-2020")


def test_results_and_document_page_say_what_replaces_it(replaced_app):
    client = replaced_app.test_client()
    page = client.get("/?q=demonstraties").get_data(as_text=True)
    assert ('<strong>Vervangen door</strong> <a href="/documenten/demonstraties-2024">Handreiking demonstraties '
            "2024</a> (1 september 2024)") in page
    assert "1 resultaat is vervangen door een nieuwer document" in page
    doc = client.get("/documenten/demonstraties-2020").get_data(as_text=True)
    assert '<a href="/documenten/demonstraties-2024">Handreiking demonstraties 2024</a>' in doc
    hit = next(h for h in client.get("/api/search?q=demonstraties").get_json()["hits"]
               if h["id"] == "demonstraties-2020")
    assert hit["superseded_by"] == "demonstraties-2024"


def test_only_current_documents_filter(replaced_app):
    client = replaced_app.test_client()
    assert "demonstraties-2020" not in ranked(client, "demonstraties", actueel="1")
    page = client.get("/?q=demonstraties&actueel=1").get_data(as_text=True)
    assert "Vervangen documenten zijn verborgen" in page and "Toon ook vervangen documenten" in page
    assert client.get("/api/search?q=demonstraties&actueel=1").get_json()["current_only"] is True


def test_a_public_document_is_not_marked_replaced_by_a_members_only_one(replaced_app):
    # The public index must not name a members' document, not even by its id.
    anonymous = replaced_app.test_client()
    assert "monitor-2023" not in anonymous.get("/?q=polarisatie").get_data(as_text=True)
    assert "Vervangen door" not in anonymous.get("/documenten/monitor-2022").get_data(as_text=True)
    member = replaced_app.test_client()
    assert login(member).status_code == 303
    assert ranked(member, "polarisatie") == ["monitor-2023", "monitor-2022"]


@pytest.mark.parametrize("records, message", [
    ("  - id: a\n    title: A\n    summary: s\n    date: 2024-01-01\n    vervangt: bestaat-niet\n",
     "'bestaat-niet' is geen ander document in de catalogus"),
    ("  - id: a\n    title: A\n    summary: s\n    date: 2024-01-01\n    vervangt: b\n"
     "  - id: b\n    title: B\n    summary: s\n    date: 2024-01-01\n    vervangt: a\n",
     "vervangen in een kring"),
    ("  - id: a\n    title: A\n    summary: s\n    date: 2024-01-01\n    vervangt: c\n"
     "  - id: b\n    title: B\n    summary: s\n    date: 2024-01-01\n    vervangt: c\n"
     "  - id: c\n    title: C\n    summary: s\n    date: 2024-01-01\n",
     "'c' wordt al vervangen door 'a'"),
])
def test_broken_and_circular_references_are_named(tmp_path, records, message):
    (tmp_path / "catalogue.yaml").write_text("documents:\n" + records, encoding="utf-8")
    with pytest.raises(CatalogueError, match=message) as info:
        load_catalogue(tmp_path)
    assert "veld 'vervangt'" in str(info.value)
    r = CliRunner().invoke(main, ["check", "--corpus", str(tmp_path)])
    assert r.exit_code == 1 and message in r.output
