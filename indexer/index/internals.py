"""The one module that reads Whoosh's private parts: posting blocks, length columns, block headers.

Ranking walks posting lists for every word of every generation; Whoosh's public matcher API does that one
posting at a time through several Python calls. The functions here read the same data a block at a time, which
is several times faster, but depend on the internals of the Whoosh release they were written for. On any other
release (or inside `public_api_only()`, which tests use to compare both) each function returns None, the
callers use the public API instead (slower, same answers), and a warning is logged once.
"""
from __future__ import annotations

import contextlib
import functools
import gc
import logging
import os
import pickle
import threading
import time
from array import array
from collections import Counter
from bisect import bisect_left
from itertools import accumulate, repeat

import whoosh
from whoosh.codec import whoosh3
from whoosh.columns import NumericColumn
from whoosh.index import TOC, clean_files, create_in, open_dir
from whoosh.scoring import WeightLengthScorer
from whoosh.system import _INT_SIZE, unpack_int
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from ..analysis.joined import forget as forget_scans
from .entries import feed
from .hashwriter import write_hash_tables
from .postings import SegmentPostings

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


def posting_scores(m, norms=None, offset: int = 0, scorer=None) -> dict[int, float] | None:
    """Return {docnum: score} of a term's leaf matcher, read a block at a time; None when not possible here.

    With norms (length byte per document, BM25F length part per byte) the score is whoosh.scoring.bm25 with its length
    part looked up: the same operations in the same order, so the same floats. `offset` is the first docnum of the
    matcher's segment (table and length bytes are numbered index-wide); `scorer` stands in for the matcher's own (one
    read without a scorer, with norms: its idf and K1 are the whole index's).
    """
    scorer = scorer or getattr(m, "scorer", None)
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
        if offset:
            ids = [d + offset for d in ids]
        if norms is not None:
            table.update({d: idf * ((w * (K1 + 1)) / (w + norm[lengths[d]])) for d, w in zip(ids, weights)})
        else:
            for docnum, weight in zip(ids, weights):
                table[docnum] = score(weight, length(docnum - offset))
        if m._lastblock:
            break
        m._next_block()
    return table


def length_bytes(reader, fieldname: str):
    """Return the stored length byte of a field for every document (0 for none), or None when not possible."""
    if not enabled():
        return None
    if not reader.is_atomic():  # several segments: theirs one after the other, as docnums run
        values = array("B")
        for leaf, _offset in reader.leaf_readers():
            part = length_bytes(leaf, fieldname)
            if part is None and not leaf.field_length(fieldname):  # no document of this segment has the field
                part = bytes(leaf.doc_count_all())
            if part is None:
                return None
            values.extend(part)
        return values if len(values) == reader.doc_count_all() else None
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
    with contextlib.suppress(Exception):  # not the layout expected: walk the blocks with Whoosh's own reader
        return _block_map_from_headers(m)
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
    """Return {docnum: (score, raw value)} for the sorted docnums that hold the term, jumping to their blocks
    (`blocks` from block_map(m); `score(m)` scores the posting the matcher stands on)."""
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


def write_segment(part_dir: str, schema, entries: list[dict], limitmb: int = 128, pause=None, fast: bool = True,
                  cpu: Counter | None = None, kept=None):
    """Write entries as one finished segment of a new index in a folder of its own; return the segment.

    The folder has its own temporary files (writers in other processes would share and remove the index folder's),
    and no table of contents lists the segment yet: move_segment_files and commit_segments do that. `pause()` is
    called after the first entry (fault tests stop a build there). With `fast` (where it applies) postings are
    gathered per term and written as blocks directly (indexer.index.postings), else through Whoosh's posting pool:
    the same files. `cpu` gets this process's CPU seconds of "analysis" (of the entries) and "files" added.
    `kept` (indexer.index.entries.Kept) holds entries' analysis as feed takes and gives it (direct writer only).
    """
    started = time.process_time()
    os.makedirs(part_dir, exist_ok=True)
    writer = SegmentWriter(create_in(part_dir, schema), _lk=False, limitmb=limitmb)
    # The writer took an unpickled copy of the schema: analyse with the caller's, whose analyzers keep their word memo.
    writer.schema = schema
    postings = SegmentPostings(schema, writer.perdocwriter) if fast and _direct(writer, entries) else None
    add = postings.add if postings is not None else (lambda _n, entry, _known, _made: writer.add_document(**entry))
    # The direct writer makes millions of objects but hardly a cycle: the cycle collector walked them again and again
    # (10% of the writing). Off while it writes, in the main thread only (it is off for the whole process).
    pausing = postings is not None and gc.isenabled() and threading.current_thread() is threading.main_thread()
    if pausing:
        gc.disable()
    try:
        direct = postings is not None
        feed(add, schema, entries, kept if direct else None, pause, scan=direct)
        if postings is not None:
            writer.docnum = len(entries)
            forget_scans()
        analysed = time.process_time()
        segment = _finalize(writer, postings)
        writer._finish()
        if cpu is not None:
            cpu.update(analysis=analysed - started, files=time.process_time() - analysed)
        return segment
    except BaseException:
        forget_scans()
        writer.cancel()
        raise
    finally:
        if pausing:
            gc.enable()


def _direct(writer, entries: list[dict]) -> bool:
    # The direct path writes what W3PostingsWriter writes (never inlined postings) for documents without
    # boosts, stored overrides, term vectors or spelling fields.
    codec = writer.codec
    return (enabled() and type(codec) is whoosh3.W3Codec and codec._inlinelimit <= 1 and writer.docnum == 0
            and not any(f.vector or f.separate_spelling() for f in writer.schema)
            and not any(name.startswith("_") for entry in entries for name in entry))


def _finalize(writer, postings):
    # SegmentWriter._finalize_segment, with the document lengths each posting's term info needs read from a length
    # table per field instead of a column lookup per posting (8% of it), or with the postings written directly.
    writer.perdocwriter.close()
    if postings is not None:
        fw, codec = writer.fieldwriter, writer.codec
        postings.write(fw._postfile, fw._tindex, fw._fieldmap, codec._blocklimit, codec._compression)
        fw._tindex._write_hashes = functools.partial(write_hash_tables, fw._tindex)  # same bytes, a table at a time
    else:
        lengths = _Lengths(writer.per_document_reader()) if writer.codec.length_stats else None
        writer.fieldwriter.add_postings(writer.schema, lengths, writer.pool.iter_postings())
        if lengths is not None:
            lengths.close()
    writer.fieldwriter.close()
    writer._close_segment()
    writer._assemble_segment()
    return writer.get_segment()


class _Lengths:
    """The document length reader a field writer asks for each posting, with each field's bytes read once."""

    def __init__(self, reader):
        self._reader, self._tables = reader, {}

    def doc_field_length(self, docnum, fieldname, default=0):
        table = self._tables.get(fieldname)
        if table is None:
            column = self._reader._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
            size = self._reader.doc_count_all()
            values = _one_byte_column(column, size) if column is not None else None
            table = self._tables[fieldname] = values if values is not None else False
        if table is False:  # no such column, or another layout: Whoosh's own lookup
            return self._reader.doc_field_length(docnum, fieldname, default)
        lbyte = table[docnum]  # as W3PerDocReader.doc_field_length: None for a length byte of 0
        return byte_to_length(lbyte) if lbyte else None

    def close(self):
        self._reader.close()


def segment_files(folder: str, segment) -> list[str]:
    """Return the names of a segment's files in an index folder (one compound file as Whoosh writes them)."""
    prefix = segment.segment_id() + "."  # "MAIN_<random id>."
    return sorted(name for name in os.listdir(folder) if name.startswith(prefix))


def entry_count(folder: str) -> int | None:
    """Return how many entries the index in folder holds, from its table of contents alone (None: not here)."""
    return sum(segment.doc_count_all() for segment in segments_of(folder)) if enabled() else None


def segments_of(folder: str) -> list:
    """Return the segments of the index in folder, in docnum order, as its table of contents lists them."""
    return list(open_dir(folder)._read_toc().segments)


def commit_segments(folder: str, segments: list) -> None:
    """Write the table of contents that makes these segments, in this order, the index at folder.

    The documents are numbered segment after segment, so the index holds the entries of one writer adding
    them in that order; each segment keeps its exact field length totals, which Whoosh adds up for BM25F.
    """
    ix = open_dir(folder)
    generation = ix._read_toc().generation + 1
    TOC(ix.schema, list(segments), generation).write(ix.storage, ix.indexname)
    clean_files(ix.storage, ix.indexname, generation, segments)
