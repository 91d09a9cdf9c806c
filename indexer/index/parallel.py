"""Write indexes as segments, in worker processes when that pays: each writes whole segments, nothing is merged."""
from __future__ import annotations

import functools
import gc
import itertools
import logging
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index

from .. import settings
from ..analysis import citations, compounds
from ..files import link_or_copy
from . import internals, store, wordmemo
from .analysed import AnalysedCache, with_articles, write_run
from .schema import build_schema
from .segments import MIN_PIECE_CHARS, Run
from .wordlist import SegmentWords
from .wordmemo import WordMemo

log = logging.getLogger("kennisbank.build")

# MB of postings Whoosh's own writer (where the direct writer does not apply) sorts in memory before it spills a
# sorted run to disk (Whoosh's default is 128). Spilled runs are pickled, read back and merged posting by posting
# in Python: on 300 synthetic documents (about 3,000 pages) 128 MB took 34.6-45.2 s and 256-384 MB 18.8-22.1 s
# (one outlier 41 s), peak memory 350 vs 440 MB. 256 is also what the benchmark's plain Whoosh baseline gets.
WRITER_LIMIT_MB = 256

# Segments are written by the direct posting writer (indexer.index.postings: the same files in less than half
# the time); False writes them through Whoosh's SegmentWriter (the benchmark's old path).
DIRECT_WRITER = True

# Below this much text to write (characters over all entries) worker processes cost more to start than they save.
# With the direct writer the 71 bench PDFs (579 pages, 3.8 million characters then; 2.5 million since schema 12,
# whose entries carry no second copy of their text) took 3.0 s in one process and 2.25 s in two spawned ones on idle
# cores, though 3.9 s of CPU against 3.0 (each worker imported, loaded the word lists and analysed every word once
# more). Forked workers (start_method) start with the modules and word lists: 2.2 s of CPU in two workers against
# 2.1 in one process, 1.35 s against 2.1 s wall (issue 18, stop 22).
MIN_PARALLEL_CHARS = 2_000_000
# The same for forked workers, which start in milliseconds: two segments of MIN_PIECE_CHARS (an update of one
# record on the bench PDFs writes about 475,000 characters: 0.19 s in one process, 0.11 s in two).
MIN_FORKED_CHARS = 2 * MIN_PIECE_CHARS


def cores() -> int:
    """Return the number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def index_jobs() -> int:
    """Return KENNISBANK_INDEX_JOBS (0 = every core); a value that is no whole number >= 0 warns and gives 1."""
    raw = settings.get("INDEX_JOBS")
    if raw.strip().isdigit():
        return int(raw)
    log.warning("KENNISBANK_INDEX_JOBS=%r is geen geheel getal van 0 of meer: de index wordt in één proces "
                "geschreven", raw)
    return 1


@dataclass
class Task:
    """One index to write at folder from runs of documents, kept ones linked from the previous generation's."""

    folder: Path
    runs: list[Run]
    previous: Path | None = None  # the same index in the previous generation, for kept runs

    @property
    def new(self) -> list[Run]:
        return [run for run in self.runs if run.keep is None]


def write_indexes(tasks: list[Task], jobs: int, memo: WordMemo | None = None, cpu: Counter | None = None,
                  cache: AnalysedCache | None = None) -> tuple[list[list[str]], int]:
    """Write every task's index; return the segment ids of each (in docnum order) and the processes used.

    New runs become segments written by worker processes (see start_method) when there are more than one, more
    than one core is asked for and enough text; otherwise here, in order. Kept runs' segment files are
    hard-linked: Whoosh never changes a segment file once written, so a generation shares no file another writes
    to. Where Whoosh's internals differ (indexer.index.internals), one plain writer per index writes everything in
    one segment.

    The analyzers start from `memo`'s words (an earlier build's), and the words they met are added to it, also
    those met in worker processes (each sends the words its analyzers met since its previous segment).
    `cpu` gets the CPU seconds of every process that wrote a segment added up (internals.write_segment).
    With `cache`, documents analysed before are taken from it and the others' analysis kept there (write_run).
    """
    cpu = Counter() if cpu is None else cpu
    memo = memo or WordMemo()
    memo.complete = all(run.keep is None for task in tasks for run in task.runs)
    if not internals.enabled():
        ready: dict[int, list] = {}  # both indexes may share one entry dict
        for task in tasks:
            docs = [doc for run in task.runs for doc in run.docs]
            with_articles(docs, cpu, ready)
            _plain_write(task.folder, docs)
        return [[] for _ in tasks], 1
    jobs = jobs or cores()
    new = [(t, run) for t, task in enumerate(tasks) for run in task.new]
    work = Path(tempfile.mkdtemp(prefix="segments-", dir=tasks[0].folder.parent)) if tasks else None
    processes = 1
    try:
        parts = [str(work / f"part-{n}") for n in range(len(new))]
        chars = sum(run.chars for _t, run in new)
        method = start_method()
        if jobs > 1 and len(new) > 1 and chars >= (MIN_FORKED_CHARS if method == "fork" else MIN_PARALLEL_CHARS):
            processes = min(jobs, len(new))
            if method == "fork":
                # Word lists and remembered words loaded once, here: every worker starts with them.
                memo.attach(_worker_schema())
                if not memo.complete:
                    # An update meets new words, and a word not remembered may be a compound: the lexicon of
                    # parts (0.2 s in a fresh process) is loaded here once, not in every worker. So is the
                    # pattern that finds the citations of a changed title (citations.prepare).
                    compounds.lexicon()
                    citations.prepare()
                gc.freeze()  # and the workers' cycle collectors leave this process's objects alone (not copied)
                # Forked workers find their documents in the memory they share with this process: sent, each
                # segment's texts were pickled here and unpickled there (at 5,000 documents about 250 MB).
                _forked_runs[:] = [run for _t, run in new]
            try:
                context = multiprocessing.get_context(method)
                with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
                    # Spawned workers read the remembered words themselves: one file read each, not a copy per segment.
                    memo_path = str(memo.path) if method != "fork" and memo.path is not None else None
                    futures = [pool.submit(_write_in_worker, part, n if method == "fork" else run,
                                           tasks[t].folder.name, cache, WRITER_LIMIT_MB, DIRECT_WRITER, memo_path)
                               for n, (part, (t, run)) in enumerate(zip(parts, new))]
                    segments = []
                    for future in futures:
                        (segment, hits), used, spent = future.result()
                        memo.add(_worker_schema(), used)
                        cpu.update(spent)
                        segments.append(segment)
                        _count(hits, memo, cache)
            finally:
                if method == "fork":
                    _forked_runs.clear()
                    gc.unfreeze()
                    WordMemo().attach(_worker_schema())  # this process keeps no index's words between builds
            store.pause_point("writing")
        else:
            schema = build_schema()  # one schema, so one word memo, for every segment written here
            memo.attach(schema)
            ready: dict[int, list] = {}
            segments = []
            for n, (part, (t, run)) in enumerate(zip(parts, new)):
                segment, hits = write_run(part, schema, run, tasks[t].folder.name, cache, cpu, ready=ready,
                                          limitmb=WRITER_LIMIT_MB, fast=DIRECT_WRITER,
                                          pause=functools.partial(store.pause_point, "writing") if n == 0 else None)
                segments.append(segment)
                _count(hits, memo, cache)
            memo.gather(schema)
        written = dict(zip((id(run) for _t, run in new), zip(parts, segments)))
        ids = [_assemble(task, written) for task in tasks]
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    return ids, processes


def _count(hits: int, memo: WordMemo, cache: AnalysedCache | None) -> None:
    # Documents whose analysis was kept did not meet their words: the memo keeps the words it had (WordMemo.save).
    memo.complete = memo.complete and not hits
    if cache is not None:
        cache.hits += hits


def _assemble(task: Task, written: dict) -> list[str]:
    """Put one index's segments in its folder, new ones moved and kept ones linked, and list them in order."""
    task.folder.mkdir()
    whoosh_index.create_in(str(task.folder), build_schema())
    kept = {s.segment_id(): s for s in internals.segments_of(str(task.previous))} if task.previous else {}
    segments = []
    for run in task.runs:
        if run.keep is None:
            part, segment = written[id(run)]
            for name in internals.segment_files(part, segment):
                os.replace(os.path.join(part, name), task.folder / name)
        else:
            segment = kept[run.keep]
            for name in internals.segment_files(str(task.previous), segment):
                link_or_copy(task.previous / name, task.folder / name)
        segments.append(segment)
    internals.commit_segments(str(task.folder), segments)
    return [s.segment_id() for s in segments]


def update_pieces(jobs: int) -> int:
    """Return how many runs an update cuts the documents it rewrites into (segments.update_runs): one per worker
    process where workers fork (and the direct writer writes), else one."""
    return (jobs or cores()) if start_method() == "fork" and internals.enabled() else 1


def start_method() -> str:
    """Return how worker processes start: 'fork' where that is safe (Linux, and this process runs no other thread,
    as in `kennisbank build`), so a worker starts with this process's modules and word lists instead of importing
    and loading them again (about 0.5 s of CPU each); 'spawn' otherwise (the web app or a test may hold threads,
    and a thread's locks would be copied held into the worker)."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork"
    return "spawn"


@functools.lru_cache(maxsize=1)
def _worker_schema():
    return build_schema()  # one per worker process, so its word memo serves every segment it writes


@functools.lru_cache(maxsize=1)
def _worker_memo(path: str) -> None:
    WordMemo.read(Path(path)).attach(_worker_schema())  # once per spawned worker
    wordmemo.keep_lexicon(Path(path).parent)


# How many of each analyzer's used words this worker process has sent already (they are sent once).
_sent: list[int] = []
# The documents of each new run, set in the parent before its workers fork (they inherit them; spawned ones are sent
# their documents).
_forked_runs: list = []


def _write_in_worker(part: str, run: Run | int, name: str, cache: AnalysedCache | None, limitmb: int,
                     fast: bool = True, memo_path: str | None = None):
    """Write one segment of `run` (or of the inherited run with that number) of index `name`; return it with its
    cache hits (write_run), the words each analyzer met that this process has not sent yet, and the CPU seconds it
    took (internals.write_segment)."""
    if isinstance(run, int):
        run = _forked_runs[run]
    schema = _worker_schema()
    if memo_path is not None:
        _worker_memo(memo_path)
    spent = Counter()
    written = write_run(part, schema, run, name, cache, spent, limitmb=limitmb, fast=fast)
    used = [a.used() for a in wordmemo.analyzers(schema)]
    if len(_sent) != len(used):
        _sent[:] = [0] * len(used)
    new = []
    for n, words in enumerate(used):
        start = _sent[n] if _sent[n] <= len(words) else 0  # the memo started over (MEMO_WORDS)
        new.append(dict(itertools.islice(words.items(), start, None)))
        _sent[n] = len(words)
    return written, new, spent


def _plain_write(folder: Path, docs: list[list[dict]]) -> None:
    """Write every entry with one Whoosh writer (its own segment logic): the path without internals (and without
    remembered words: the writer analyses with its own copy of the schema)."""
    folder.mkdir()
    schema = build_schema()
    writer = whoosh_index.create_in(str(folder), schema).writer(limitmb=WRITER_LIMIT_MB)
    try:
        # One segment: its last entry carries the spelling word list of every document (indexer.index.wordlist).
        entries = [entry for doc in docs for entry in doc]
        first = len(docs[0]) if docs else 0
        for n, entry in enumerate(SegmentWords(schema).entries(entries)):
            writer.add_document(**entry)
            if n + 1 == first:
                store.pause_point("writing")
        writer.commit()
    except BaseException:
        writer.cancel()
        raise


def link_index(source: Path, target: Path) -> None:
    """Make target a copy of the index at source by hard links (its files are never changed once written)."""
    target.mkdir()
    for path in sorted(source.iterdir()):
        if path.is_file() and not path.name.endswith(("_LOCK", ".lock")):
            link_or_copy(path, target / path.name)

