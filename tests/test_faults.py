"""Faults: a build killed at any moment, a full disk, an unwritable index folder. The old index keeps serving."""
from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest

from indexer.cli import main
from indexer.index import store
from search_app import create_app
from tests.conftest import FILLER, PAGE3_WORD
from tests.pdfs import make_pdf

NEW_WORD = "wijkveiligheidsoverleg"
QUERIES = (PAGE3_WORD, "gemeente", "polarisatie", "jongerenwerkers", NEW_WORD)
CLI = [sys.executable, "-c", "from indexer.cli import main; main()"]


def make_app(corpus, index, tmp_path):
    return create_app({"TESTING": True, "CORPUS_DIR": str(corpus), "INDEX_DIR": str(index),
                       "INSTANCE_DIR": str(tmp_path / "instance"), "SECRET_KEY": "t"})


def served(client):
    """What a visitor gets: the generation in use and the hits (ids and pages) for each query."""
    out = {"generation": client.get("/api/health").get_json()["generation"]}
    for q in QUERIES:
        r = client.get("/api/search", query_string={"q": q})
        assert r.status_code == 200, (q, r.status_code)
        out[q] = [(h["id"], [p["page"] for p in h["pages"]]) for h in r.get_json()["hits"]]
    return out


def add_document(corpus):
    """Give the next build something new to index: a PDF with a word the current index does not have."""
    make_pdf(corpus / "pdf" / "wijk.pdf", [f"Het {NEW_WORD} komt maandelijks bijeen. " + FILLER])


def kill_at(step, corpus, index, command="build"):
    """Start a real `kennisbank build` (or update), wait until it pauses at the named step, SIGKILL it."""
    env = dict(os.environ, KENNISBANK_TEST_PAUSE_AT=step, KENNISBANK_TEST_PAUSE_SECONDS="60")
    proc = subprocess.Popen(CLI + [command, "--corpus", str(corpus), "--index", str(index)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    guard = threading.Timer(60, lambda: os.killpg(proc.pid, signal.SIGKILL))
    guard.start()
    try:
        seen = []
        for line in proc.stderr:
            seen.append(line)
            if line.strip() == f"PAUSED {step}":
                break
        else:
            pytest.fail(f"the build never paused at {step!r}: {''.join(seen)}")
        os.killpg(proc.pid, signal.SIGKILL)  # the build and any extraction workers it started
        assert proc.wait(timeout=10) == -signal.SIGKILL
    finally:
        guard.cancel()
        proc.stderr.close()


@pytest.mark.parametrize("command,step", [
    ("build", "extraction"), ("build", "writing"), ("build", "commit"), ("build", "switch"),
    ("update", "writing"), ("update", "switch"),
])
def test_killed_build_leaves_the_old_index_serving_and_the_next_build_needs_no_clean_up(
        corpus_copy, tmp_path, runner, command, step):
    corpus, index = corpus_copy
    client = make_app(corpus, index, tmp_path).test_client()
    before = served(client)
    assert before[PAGE3_WORD][0] == ("rapport-online-ordeverstoringen", [3]) and before[NEW_WORD] == []
    add_document(corpus)

    kill_at(step, corpus, index, command)

    assert served(client) == before  # the running app
    assert served(make_app(corpus, index, tmp_path).test_client()) == before  # and one started now
    r = runner.invoke(main, [command, "--corpus", str(corpus), "--index", str(index)])
    assert r.exit_code == 3, r.output  # built; 3 because the test corpus has unreadable PDFs
    after = served(client)
    assert after["generation"] != before["generation"]
    assert after[NEW_WORD] == [("wijk", [1])]
    assert after[PAGE3_WORD] == before[PAGE3_WORD]
    assert not list(index.glob("tmp-*")) and not list(index.glob(".CURRENT.*"))


@pytest.fixture
def small_disk(tmp_path):
    """A genuinely small filesystem (tmpfs, 3 MiB); skipped only where mounting is not allowed."""
    mount_point = tmp_path / f"disk-{uuid.uuid4().hex[:8]}"
    mount_point.mkdir()
    if not shutil.which("mount"):
        pytest.skip("no mount command here, so no small filesystem to fill")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount_point)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root with CAP_SYS_ADMIN): {r.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(folder: Path) -> Path:
    """Write a file until the filesystem is full; return it."""
    filler = folder / "filler"
    with open(filler, "wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError:
            pass
    return filler


@pytest.mark.parametrize("command", ["build", "update"])
def test_full_disk_is_reported_clearly_and_the_old_index_keeps_serving(corpus_copy, small_disk, tmp_path, runner,
                                                                       command):
    corpus, _ = corpus_copy
    index = small_disk / "index"
    r = runner.invoke(main, ["build", "--corpus", str(corpus), "--index", str(index)])
    assert r.exit_code == 3, r.output
    client = make_app(corpus, index, tmp_path).test_client()
    before = served(client)
    add_document(corpus)
    filler = fill(small_disk)

    r = runner.invoke(main, [command, "--corpus", str(corpus), "--index", str(index)])

    assert r.exit_code == 1
    assert "de schijf is vol" in r.output and "de bestaande index blijft in gebruik" in r.output
    assert "Traceback" not in r.output
    assert served(client) == before
    assert not list(index.glob("tmp-*"))  # the failed build gave its space back
    filler.unlink()
    r = runner.invoke(main, [command, "--corpus", str(corpus), "--index", str(index)])
    assert r.exit_code == 3, r.output
    assert served(client)[NEW_WORD] == [("wijk", [1])]


def test_read_only_index_folder_is_reported_clearly_and_keeps_serving(corpus_copy, small_disk, tmp_path, runner):
    corpus, _ = corpus_copy
    index = small_disk / "index"
    assert runner.invoke(main, ["build", "--corpus", str(corpus), "--index", str(index)]).exit_code == 3
    client = make_app(corpus, index, tmp_path).test_client()
    before = served(client)
    add_document(corpus)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        r = runner.invoke(main, ["build", "--corpus", str(corpus), "--index", str(index)])
        assert r.exit_code == 1
        assert "alleen-lezen" in r.output and "de bestaande index blijft in gebruik" in r.output
        assert served(client) == before
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)


def _limit_file_size(limit):
    def apply():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so writes fail with EFBIG instead of killing the build
    return apply


def test_write_failure_in_a_real_build_process_keeps_the_old_index(corpus_copy, tmp_path):
    # Runs everywhere (no mount needed): the build process may not write files larger than 4 KiB.
    corpus, index = corpus_copy
    client = make_app(corpus, index, tmp_path).test_client()
    before = served(client)
    add_document(corpus)
    r = subprocess.run(CLI + ["build", "--corpus", str(corpus), "--index", str(index)], capture_output=True,
                       text=True, preexec_fn=_limit_file_size(4096), timeout=120)
    assert r.returncode == 1, r.stderr
    assert "bouwen mislukt" in r.stderr and "de bestaande index blijft in gebruik" in r.stderr
    assert "Traceback" not in r.stderr
    assert served(client) == before
    assert not list(index.glob("tmp-*"))


def _delete_toc(gen):
    for toc in (gen / "public").glob("*.toc"):
        toc.unlink()  # the "_MAIN_26.toc missing" that paperless-ngx users report


def _garble_manifest(gen):
    (gen / store.MANIFEST).write_text("{niet af", encoding="utf-8")


@pytest.mark.parametrize("damage", [_delete_toc, _garble_manifest])
def test_unreadable_index_at_start_up_gives_a_dutch_page_and_health_says_so(corpus_copy, tmp_path, damage):
    corpus, index = corpus_copy
    damage(store.current_generation(index))
    client = make_app(corpus, index, tmp_path).test_client()
    r = client.get("/")
    assert r.status_code == 503 and "Zoekindex niet beschikbaar" in r.get_data(as_text=True)
    r = client.get("/api/health")
    assert r.status_code == 503 and r.get_json()["status"] == "unavailable"
    assert "onleesbaar" in r.get_json()["message"]
    r = client.get("/api/search?q=gemeente")
    assert r.status_code == 503 and "niet beschikbaar" in r.get_json()["error"]


@pytest.mark.parametrize("command", ["build", "update"])
def test_next_build_repairs_a_damaged_generation(corpus_copy, tmp_path, runner, command):
    corpus, index = corpus_copy
    _delete_toc(store.current_generation(index))
    r = runner.invoke(main, [command, "--corpus", str(corpus), "--index", str(index)])
    assert r.exit_code == 3, r.output
    assert "Index gebouwd" in r.output  # an update of a damaged index is a full build
    hits = make_app(corpus, index, tmp_path).test_client().get(f"/api/search?q={PAGE3_WORD}").get_json()["hits"]
    assert hits[0]["pages"][0]["page"] == 3
