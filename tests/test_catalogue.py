"""The catalogue: the bundled one is valid and complete; broken ones say file, line and field."""
from __future__ import annotations

import json

import pytest

from indexer.corpus import CatalogueError, load_catalogue
from tests.conftest import BUNDLED_CORPUS

SEED = BUNDLED_CORPUS.parent.parent / "shared" / "seed" / "documents.json"


def test_bundled_catalogue_has_the_13_public_documents():
    catalogue = load_catalogue(BUNDLED_CORPUS)
    assert len(catalogue.records) == 13
    assert all(r.access == "public" for r in catalogue.records)
    assert len({r.id for r in catalogue.records}) == 13
    assert catalogue.theme["intro"].startswith("Gemeenten, Openbaar Ministerie")


@pytest.mark.skipif(not SEED.is_file(), reason="../shared/seed is not present here")
def test_bundled_summaries_are_verbatim_from_the_seed():
    seed = json.loads(SEED.read_text(encoding="utf-8"))["documents"]
    records = load_catalogue(BUNDLED_CORPUS).records
    for item, record in zip(seed, records):
        assert record.summary == item["summary"]
        assert record.date.isoformat() == item["date"]
        assert record.title_derived == (item["known_title"] is None)
        if item["known_title"]:
            assert record.title == item["known_title"]


GOOD = """\
documents:
  - id: a
    title: A
    summary: S
    date: 2024-01-01
"""


@pytest.mark.parametrize("text, expected", [
    ("documents:\n  - id: a\n    title: [unclosed\n", "regel 3"),
    (GOOD.replace("    title: A\n", ""), "veld 'title': verplicht veld ontbreekt"),
    (GOOD.replace("2024-01-01", "2024-13-01"), "regel 5, veld 'date': ongeldige datum"),
    (GOOD + GOOD.replace("documents:\n", ""), "regel 6, veld 'id': id 'a' komt al voor op regel 2"),
    (GOOD + "    pdf: ontbreekt.pdf\n", "regel 6, veld 'pdf': bestand"),
    (GOOD + "    access: geheim\n", "veld 'access'"),
    (GOOD + "    colour: red\n", "veld 'colour': onbekend veld"),
    ("title: no documents\n", "lijst 'documents'"),
])
def test_broken_catalogue_names_file_line_and_field(tmp_path, text, expected):
    (tmp_path / "catalogue.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(tmp_path)
    message = str(info.value)
    assert "catalogue.yaml" in message
    assert expected in message
