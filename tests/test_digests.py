"""PDF digests remembered by stat (indexer.files.DigestMemo), and `update` still seeing every edit."""
from __future__ import annotations

import hashlib
import os

import pytest

from indexer.extract import CACHE_DIRNAME
from indexer.extract.cache import DIGESTS_FILE
from indexer.files import DigestMemo
from indexer.index import store
from indexer.index.update import update_index
from indexer.search import SearchRequest, search
from tests.conftest import FILLER
from tests.pdfs import make_pdf


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def age(path, seconds: int = 3600) -> None:
    """Make a file's modification time an hour older (its change time becomes now: still a fresh file)."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 10**9))


@pytest.fixture
def trusting(monkeypatch):
    """A memo that trusts files changed just now, to test the stat check alone (a test cannot wait two seconds
    for every file it writes)."""
    monkeypatch.setattr(DigestMemo, "RACY_NS", -60 * 10**9)


def test_an_unchanged_file_is_not_read_again_also_in_a_new_process(tmp_path, trusting):
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4 eerste versie")
    memo = DigestMemo(tmp_path / "memo.tsv")
    assert memo.sha256(pdf) == sha(pdf) and memo.hashed == 1
    assert memo.sha256(pdf) == sha(pdf) and memo.hashed == 1
    memo.save()
    again = DigestMemo(tmp_path / "memo.tsv")  # what the next `update` loads
    assert again.sha256(pdf) == sha(pdf) and again.hashed == 0


def test_new_bytes_of_the_same_size_are_hashed_again(tmp_path, trusting):
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4 eerste versie")
    memo = DigestMemo(tmp_path / "memo.tsv")
    first = memo.sha256(pdf)
    memo.save()
    pdf.write_bytes(b"%PDF-1.4 tweede versie")  # same length
    age(pdf)  # even with a modification time set back, the change time tells
    memo = DigestMemo(tmp_path / "memo.tsv")
    assert memo.sha256(pdf) == sha(pdf) != first and memo.hashed == 1


def test_another_file_put_in_place_is_hashed_again(tmp_path, trusting):
    pdf, other = tmp_path / "a.pdf", tmp_path / "b.pdf"
    pdf.write_bytes(b"%PDF-1.4 eerste versie")
    other.write_bytes(b"%PDF-1.4 andere versie")
    memo = DigestMemo(tmp_path / "memo.tsv")
    memo.sha256(pdf)
    memo.save()
    os.replace(other, pdf)
    assert DigestMemo(tmp_path / "memo.tsv").sha256(pdf) == sha(pdf)


def test_a_file_changed_just_before_hashing_is_not_trusted_later(tmp_path):
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4 net geschreven")
    memo = DigestMemo(tmp_path / "memo.tsv")
    memo.sha256(pdf)
    memo.save()
    # Written within the same clock tick, a second change could leave the stat equal: such a file is hashed again.
    again = DigestMemo(tmp_path / "memo.tsv")
    assert again.sha256(pdf) == sha(pdf) and again.hashed == 1


def test_a_damaged_memo_costs_only_a_new_hash(tmp_path, trusting):
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4 inhoud")
    (tmp_path / "memo.tsv").write_text("geen\tgetallen\thier\n", encoding="utf-8")
    memo = DigestMemo(tmp_path / "memo.tsv")
    assert memo.sha256(pdf) == sha(pdf) and memo.hashed == 1


def ids(index_dir, q):
    with store.open_index(store.current_generation(index_dir), "all").searcher() as s:
        return [h.document.id for h in search(s, SearchRequest(q=q, per_page=100)).hits]


def test_update_after_edits_to_the_catalogue_and_a_pdf_sees_each_one(corpus_copy, trusting):
    corpus, index = corpus_copy
    for pdf in (corpus / "pdf").glob("*.pdf"):
        age(pdf)
    catalogue = corpus / "catalogue.yaml"
    first = update_index(corpus, index)  # the index's own digests now hold every PDF of this corpus
    assert first.unchanged or first.mode == "update"
    memo = DigestMemo(index / CACHE_DIRNAME / DIGESTS_FILE)
    assert all(memo.sha256(pdf) == sha(pdf) for pdf in (corpus / "pdf").glob("*.pdf")) and memo.hashed == 0

    text = catalogue.read_text(encoding="utf-8")
    assert "title: Digitale handreiking polarisatie" in text
    catalogue.write_text(text.replace("Digitale handreiking polarisatie", "Verkeersveiligheidsplan"), encoding="utf-8")
    report = update_index(corpus, index)
    assert report.mode == "update" and len(report.replaced) == 1
    assert ids(index, "verkeersveiligheidsplan") == report.replaced == ["handreiking-polarisatie"]

    # A second edit of the same length right after: the catalogue is read whole every time, never judged by stat.
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace("Verkeersveiligheidsplan",
                                                                       "Verkeersveiligheidsplam"), encoding="utf-8")
    report = update_index(corpus, index)
    assert ids(index, "verkeersveiligheidsplam") == report.replaced and ids(index, "verkeersveiligheidsplan") == []

    # A PDF rewritten in place with new words is read again, although its digest was remembered.
    target = corpus / "pdf" / "rapport.pdf"
    make_pdf(target, ["Een nieuwe tekst over het fietsenstallingsbeleid. " + FILLER])
    age(target)
    report = update_index(corpus, index)
    assert report.extracted == 1 and report.replaced == ["rapport-online-ordeverstoringen"]
    assert ids(index, "fietsenstallingsbeleid") == report.replaced
