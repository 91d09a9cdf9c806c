"""The one module that reads Whoosh's private parts: posting blocks, length columns, block headers.

Ranking walks posting lists for every word of every generation; Whoosh's public matcher API does that one
posting at a time through several Python calls. The functions here read the same data a block at a time, which
is several times faster, but depend on the internals of the Whoosh release they were written for. On any other
release (or inside `public_api_only()`, which tests use to compare both) each function returns None, the
callers use the public API instead (slower, same answers), and a warning is logged once.
"""
from __future__ import annotations

import collections
import contextlib
import functools
import logging
import pickle
import threading
from array import array
from bisect import bisect_left
from itertools import accumulate, repeat

import whoosh
from whoosh.codec import whoosh3
from whoosh.columns import NumericColumn
from whoosh.index import open_dir
from whoosh.multiproc import MpWriter, finish_subsegment
from whoosh.scoring import WeightLengthScorer
from whoosh.system import _INT_SIZE, unpack_int
from whoosh.writing import SegmentWriter

log = logging.getLogger("kennisbank.whoosh")

WRITTEN_FOR = (2, 7, 5)  # the whoosh-reloaded release whose internals this module reads (setup.cfg pins <2.8)
BLOCK_HEAD = 64          # bytes that hold a block's length and its pickled info tuple (about 30 bytes in whoosh3)

_state = threading.local()


def enabled() -> bool:
    """Tell whether the fast paths may run: the installed Whoosh is the release they were written for."""
    return not getattr(_state, "public_only", False) and release_supported(tuple(whoosh.__version__[:3]))


@functools.lru_cache(maxsize=None)
def release_supported(release: tuple) -> bool:
    """Tell whether this module was written for a Whoosh release; say so once in the log when it was not."""
    if release == WRITTEN_FOR:
        return True
    log.warning("Whoosh %s is not %s: ranking uses Whoosh's public API (same results, slower)",
                ".".join(map(str, release)), ".".join(map(str, WRITTEN_FOR)))
    return False


@contextlib.contextmanager
def public_api_only():
    """Use only Whoosh's public API in this thread while the block runs (tests compare both paths)."""
    before = getattr(_state, "public_only", False)
    _state.public_only = True
    try:
        yield
    finally:
        _state.public_only = before


def posting_scores(m, norms=None) -> dict[int, float] | None:
    """Return {docnum: score} of a term's leaf matcher, read a block at a time; None when not possible here.

    With norms (length byte per document, BM25F length part per byte) the score is whoosh.scoring.bm25 with its
    length part looked up: the same operations in the same order, so the same floats.
    """
    scorer = getattr(m, "scorer", None)
    if not (enabled() and isinstance(scorer, WeightLengthScorer) and hasattr(m, "_next_block")):
        return None
    score, length = scorer._score, scorer.dfl
    if norms is not None:
        idf, K1 = scorer.idf, scorer.K1
        lengths, norm = norms
    table = {}
    while m.is_active():
        if m._ids is None:
            if m._data is None:
                m._read_data()
            # Ids are stored as gaps: itertools.accumulate adds them up in C (whoosh's delta_decode is a generator).
            m._ids = m._data[0] if m._byteids else tuple(accumulate(m._data[0]))
        if m._weights is None:
            m._read_weights()
        ids, weights = m._ids[m._i:], m._weights[m._i:]
        if norms is not None:
            table.update({d: idf * ((w * (K1 + 1)) / (w + norm[lengths[d]])) for d, w in zip(ids, weights)})
        else:
            for docnum, weight in zip(ids, weights):
                table[docnum] = score(weight, length(docnum))
        if m._lastblock:
            break
        m._next_block()
    return table


def length_bytes(reader, fieldname: str):
    """Return the stored length byte of a field for every document (0 for none), or None when not possible."""
    if not enabled():
        return None
    try:
        column = reader._perdoc._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
    except AttributeError:  # another codec, or a reader over several segments
        return None
    if column is None:
        return None
    size = reader.doc_count_all()
    values = _one_byte_column(column, size) or column.load()
    return values if len(values) == size else None


def _one_byte_column(column, size: int):
    # Whoosh's load() unpacks the column value by value: 0.15 s per field at 220,000 entries, on the first search
    # of every generation. Its bytes are the values for the first _count documents; the rest have the default.
    if not (isinstance(column, NumericColumn.Reader) and column._typecode == "B" and column._fixedlen == 1):
        return None
    values = array("B", column._dbfile.get(column._basepos, column._count))
    if len(values) != column._count:
        return None
    values.extend(repeat(column._default, size - column._count))
    return values


def block_map(m) -> tuple[list[int], list[int]] | None:
    """Return the last docnum and the file offset of every block of a posting list, or None when not possible."""
    if not (enabled() and hasattr(m, "_goto") and hasattr(m, "_baseoffset")):
        return None
    try:
        return _block_map_from_headers(m)
    except Exception:  # not the layout expected: walk the blocks with Whoosh's own reader
        pass
    m.reset()
    maxids, offsets, position = [], [], m._baseoffset
    while True:
        maxids.append(m._maxid)
        offsets.append(position)
        if m._lastblock:
            return maxids, offsets
        position = m._nextoffset
        m._goto(position)


def _block_map_from_headers(m) -> tuple[list[int], list[int]]:
    # The header of a whoosh3 block is a signed int (its length, negative for the last block) and a pickled
    # (count, maxid, ...) tuple. pickle.loads ignores bytes after the pickle, so one small read per block does,
    # where _goto seeks and unpickles from a file object: half the time for a long list.
    get, loads, maxids, offsets, position = m._postfile.get, pickle.loads, [], [], m._baseoffset
    while True:
        head = get(position, BLOCK_HEAD)
        length = unpack_int(head[:_INT_SIZE])[0]
        maxids.append(loads(head[_INT_SIZE:])[1])
        offsets.append(position)
        if length < 0:
            return maxids, offsets
        position += _INT_SIZE + length


def postings_at(m, blocks: tuple[list[int], list[int]], docnums, score) -> dict:
    """Return {docnum: (score, raw value)} for the sorted docnums that hold the term, jumping to their blocks.

    `blocks` comes from block_map(m); `score(m)` scores the posting the matcher stands on.
    """
    maxids, offsets = blocks
    found, current = {}, 0  # a new matcher stands on block 0
    for docnum in docnums:
        k = bisect_left(maxids, docnum)
        if k == len(maxids):
            break
        if k != current:
            m._atend = False
            m._goto(offsets[k])
            current = k
        if m._ids is None:
            m._read_ids()
        i = bisect_left(m._ids, docnum)
        if i < m._blocklength and m._ids[i] == docnum:
            m._i = i
            found[docnum] = (score(m), m.value())
    return found


def write_part(folder: str, entries: list[dict], limitmb: int = 128) -> tuple:
    """In a worker process: analyse entries into a sub-segment of the (new) index at folder, sorted postings apart.

    Returns what merge_parts needs: the sorted posting run, the indexed field names and the sub-segment.
    Whoosh's own multiprocessing writer does the same, but deals documents to workers in whatever order they
    ask, and forks: here each worker gets one contiguous part and the caller chooses how processes start.
    """
    writer = SegmentWriter(open_dir(folder), _lk=False, limitmb=limitmb)
    try:
        for entry in entries:
            writer.add_document(**entry)
        return finish_subsegment(writer)
    except BaseException:
        writer.cancel()
        raise


def merge_parts(folder: str, parts: list[tuple]) -> None:
    """Merge the sub-segments of write_part, in the given order, into the one segment of a new index.

    Documents keep their order (part 1's, then part 2's ...), so docnums, stored fields and postings are those
    of one writer adding every entry in that order. Only the sorted postings are merged; nothing is analysed.
    """
    writer = MpWriter(open_dir(folder), procs=len(parts))
    try:
        segments = writer._merge_segments(None, None, None)  # a new index: none
        writer._merge_subsegments(parts, None)
        # The merge sums the lengths of the copied documents as stored, one byte each and so rounded; BM25F
        # divides by the exact total a single writer keeps: take the parts' exact totals instead.
        totals = collections.defaultdict(int)
        for _run, _names, segment in parts:
            for name, length in segment._fieldlengths.items():
                totals[name] += length
        writer.get_segment()._fieldlengths = totals
        writer._close_segment()
        writer._assemble_segment()
        writer._commit_toc(segments + [writer.get_segment()])
        writer._finish()
    except BaseException:
        writer.cancel()
        raise
