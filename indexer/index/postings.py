"""A segment's postings gathered per field and term while documents are added, then written as whoosh3 blocks."""
from __future__ import annotations

import functools
import pickle
import struct
import zlib
from array import array
from collections import defaultdict
from operator import sub

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.fields import FieldType, UnknownFieldError
from whoosh.formats import Characters, Frequency, Positions
from whoosh.system import pack_int, pack_uint, pack_ushort
from whoosh.util.numeric import byte_to_length
from whoosh.util.numeric import length_to_byte as _length_to_byte

from ..analysis import MemoAnalyzer
from .hashwriter import add_terms
from .valuekeys import value_key

# A term's info record in the term table, as whoosh.codec.whoosh3.W3TermInfo packs it: flags (inlined or not),
# total weight, document frequency, shortest and longest length byte, highest weight, first and last docnum.
TERM_INFO = struct.Struct("!BfIBBfII")
EXTENT = struct.Struct("!qi")  # after the term info: where its postings start, how many bytes (pack_long, pack_int)
# Terms with at most this many postings have their blocks made once per distinct list of postings (SegmentPostings.write).
SHARED_POSTINGS = 8
# A block whose pickle is shorter than this is stored as it is. Whoosh means to skip compressing pickles under 20
# bytes but compresses every block (W3PostingsWriter._write_block sets the level again after the check). On the 71
# bench PDFs most blocks are under 128 bytes (most terms are in one document): zlib made those under 32 bytes half
# as long again, those of 64-95 bytes 2% shorter, 96-127 16% shorter; left as they are, the index is 1.3% smaller
# and a warm build about 8% faster. The level sits in each block's info, which Whoosh's reader follows. 0 writes
# Whoosh's own bytes (tests compare them). Raised from 128 to 512 (issue 18, stop 27): zlib spent 12% of a build's
# CPU, mostly setting up for blocks of a few hundred bytes; 1,000 synthetic documents in one process took 3.5% less
# CPU (23.6 against 22.8 s, 3 rounds in turn) for an index 5.7% larger. Not compressing at all took 10% less for 41%.
MIN_COMPRESS = 512
# The pickle protocol of a block's postings (ids, weights, values), which Whoosh's reader unpickles whatever the
# protocol. Whoosh pickles with protocol 2, which has no opcode for bytes: each value is pickled as a call of
# _codecs.encode on a latin-1 string, 4.3 µs and 79 bytes for a one-posting block of page text where protocol 3
# takes 0.8 µs and 37 bytes, and unpickling it at query time 3.8 µs against 0.8. 2 writes Whoosh's own bytes
# (tests compare them). The info tuple before it (numbers only) stays protocol 2, as Whoosh writes it.
DATA_PROTOCOL = 3

# Whoosh's length byte of a length (a bisect per call), asked for twice per term and block: a few hundred distinct
# lengths per segment.
length_to_byte = functools.lru_cache(maxsize=4096)(_length_to_byte)


class SegmentPostings:
    """Every posting of one new segment, kept per field as {term: [(docnum, weight, value), ...]} in docnum order.

    Whoosh's SegmentWriter puts each posting as a tuple into one pool, sorts the whole pool (spilling pickled runs
    to disk when it is large) and hands the postings one by one to its block writer through several method calls
    and checks each. Here the documents arrive in docnum order and a term has one posting per document and field,
    so each term's list is already sorted: only the terms are sorted, once, and each block of postings is
    pickled, compressed and described with the same operations Whoosh's W3PostingsWriter performs, so the files
    hold the same bytes (tests compare them with Whoosh's own writer), but for small blocks left uncompressed
    (MIN_COMPRESS) and postings pickled with a later protocol (DATA_PROTOCOL), which Whoosh reads back the same.
    """

    def __init__(self, schema, perdoc):
        self.schema, self.perdoc = schema, perdoc
        self.tables: dict[str, defaultdict] = {}
        self.lengths: dict[str, dict[int, int]] = {}  # field -> {docnum: its length as the length column gives it}

    def add(self, docnum: int, fields: dict, known: dict | None = None, made: dict | None = None) -> None:
        """Index, store and measure one document, as SegmentWriter.add_document does (no boosts, no vectors).

        With `made`, each indexed field's postings go there as (length, terms, weights, values) under the key
        ("f", field name, value_key(value)) (indexer.index.analysed), and those `known` holds under that key are
        not analysed again."""
        schema, perdoc = self.schema, self.perdoc
        names = sorted(fields)
        for name in names:
            if name not in schema:
                raise UnknownFieldError(f"No field named {name!r} in {schema}")
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    key = ("f", name, value_key(value)) if made is not None else None
                    postings = known.get(key) if known and key[2] is not None else None
                    if postings is None:
                        postings = self._analyse(name, field, value)
                    if key is not None and key[2] is not None:
                        made[key] = postings
                    length = self._index(docnum, name, field, postings)
                perdoc.add_field(name, field, value if field.stored else None, length)
                column = field.column_type
                if column:
                    perdoc.add_column_value(name, column, field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()

    @staticmethod
    def _analyse(name: str, field, value) -> tuple:
        """Return a field value's postings as (length, terms, weights, values), as the field's format gives them."""
        if type(field).index is FieldType.index:
            # FieldType.index, but the terms kept as text: encoded once per term when written, not per posting
            # (UTF-8 keeps the order of the text).
            if not isinstance(value, (str, list, tuple)):
                raise ValueError(f"{value!r} is not unicode or sequence")
            made = _fast_postings(field, value)
            if made is not None:
                return made
            items = field.format.word_values(value, field.analyzer, mode="index")
        else:
            items = field.index(value)
        terms, weights, values, length = [], [], [], 0
        for text, freq, weight, vbytes in items:
            terms.append(text)
            weights.append(weight * 1.0)  # * the field boost SegmentWriter applies
            values.append(vbytes)
            length += freq
        return length, terms, weights, values

    def _index(self, docnum: int, name: str, field, postings: tuple) -> int:
        table = self.tables.get(name)
        if table is None:
            table = self.tables[name] = defaultdict(list)
        length, terms, weights, values = postings
        for text, weight, value in zip(terms, weights, values):
            table[text].append((docnum, weight, value))
        if not field.scorable:
            return 0
        if length:
            self.lengths.setdefault(name, {})[docnum] = byte_to_length(length_to_byte(length)) or None
        return length

    def write(self, postfile, terms, fieldmap: dict, blocklimit: int, compression: int) -> None:
        """Write every term's postings into the postings file and its info into the term table, field by field
        in name order and terms in byte order, as W3FieldWriter does; `fieldmap` gets each field's number."""
        offset = postfile.tell()
        for name in sorted(self.tables):
            table = self.tables[name]
            if not table:
                continue
            fieldid = pack_ushort(fieldmap.setdefault(name, len(fieldmap)))
            fixed = self.schema[name].format.fixed_value_size()
            lengths = self.lengths.get(name, {})
            # Each document's length byte (length_to_byte), looked up once per term instead of computed four times.
            length_bytes = {docnum: length_to_byte(length) for docnum, length in lengths.items()}
            out, rows = bytearray(), []
            # A term in few documents often has the very postings of another term (a frequency of 1 in the same
            # documents, a compound's part at the compound's place): its blocks and term info are made once.
            made_for = {}
            for text in sorted(table):  # (keys alone: a sort of texts compares faster than one of pairs)
                start = offset + len(out)
                posts = table[text]
                if len(posts) <= SHARED_POSTINGS:
                    key = tuple(posts)
                    made = made_for.get(key)
                    if made is None:
                        block = bytearray()
                        made = made_for[key] = (_write_term(block, posts, fixed, lengths.get, length_bytes,
                                                            blocklimit, compression), bytes(block))
                    info = made[0]
                    out += made[1]
                else:
                    info = _write_term(out, posts, fixed, lengths.get, length_bytes, blocklimit, compression)
                key = fieldid + (text.encode("utf-8") if isinstance(text, str) else text)
                rows.append((key, info + EXTENT.pack(start, offset + len(out) - start)))
            postfile.write(bytes(out))
            offset += len(out)
            add_terms(terms, rows)
        self.tables.clear()


def _fast_postings(field, value) -> tuple | None:
    """Return a text's postings as (length, terms, weights, values) from the analyzer's counts in one pass, as the
    field's format.word_values gives them (weights times the field boost: the same floats); None where this way
    does not apply."""
    fmt, analyzer = field.format, field.analyzer
    if not (isinstance(value, str) and isinstance(analyzer, MemoAnalyzer)):
        return None
    boost, kind = fmt.field_boost, type(fmt)
    if kind is Frequency:
        counts = analyzer.frequencies(value)
        if counts is None:
            return None
        counted = counts.values()
        return (sum(n for n, _weight in counted), list(counts), [weight * boost for _n, weight in counted],
                [_UINTS[n] if n < 256 else pack_uint(n) for n, _weight in counted])
    if kind is Characters or kind is Positions:
        places = analyzer.positions(value)
        if places is None:
            return None
        encode = _characters if kind is Characters else (lambda p: fmt.encode([place[0] for place in p]))
        found = places.values()
        return (sum(len(p) for _weight, p in found), list(places), [weight * boost for weight, _p in found],
                [encode(p) for _weight, p in found])
    return None


_UINTS = [pack_uint(n) for n in range(256)]


def _uint(n: int) -> bytes:
    return _UINTS[n] if n < 256 else pack_uint(n)


def _characters(places: list) -> bytes:
    """Characters.encode: the count, then the pickled (position, start, length) of each place as deltas."""
    if len(places) == 1:
        pos, start, end = places[0]
        return _UINTS[1] + pickle.dumps([(pos, start, end - start)], 2)
    deltas = [(pos - before[0], start - before[2], end - start)
              for before, (pos, start, end) in zip([(0, 0, 0), *places], places)]
    return _uint(len(deltas)) + pickle.dumps(deltas, 2)


def _write_term(out: bytearray, posts: list, fixed, length_of, length_bytes: dict, blocklimit: int,
                compression: int) -> bytes:
    """Append one term's blocks to out (W3PostingsWriter); return its packed term info without the extent.
    `length_of` gives a document's length, `length_bytes` its length byte (none: 0)."""
    dumps, compress = pickle.dumps, zlib.compress
    total, df, minlength, maxlength, maxweight, minid = 0, 0, None, 0, 0, None
    out += WHOOSH3_HEADER_MAGIC
    count = len(posts)
    if count == 1:  # most terms: the same operations on one posting, without building lists
        docnum, weight, value = posts[0]
        stored = array("f", (weight,))[0]
        if fixed is None or fixed < 0:
            vs = (value,) if value else ()
        else:
            vs = value if fixed else None
        data = dumps(((docnum,), None if stored == 1.0 else stored, vs), DATA_PROTOCOL)
        comp = compression if len(data) >= MIN_COMPRESS else 0
        if comp:
            data = compress(data, comp)
        top = weight if weight > 0 else 0
        byte = length_bytes.get(docnum, 0)  # the shortest and longest length: both this one (none: 0 and 0)
        info = dumps((1, docnum, top, comp, byte, byte), 2)
        out += pack_int(-(len(info) + len(data)))
        out += info
        out += data
        return TERM_INFO.pack(False, stored, 1, byte, byte, top, docnum, docnum)
    for first in range(0, count, blocklimit):
        ids, weights, values = zip(*posts[first:first + blocklimit])
        n = len(ids)
        stored = array("f", weights)
        if stored.count(1.0) == n:
            mini = None
        elif stored.count(stored[0]) == n:
            mini = stored[0]
        else:
            mini = tuple(stored)
        values = list(filter(None, values))
        if fixed is None or fixed < 0:
            vs = tuple(values)
        else:
            vs = b"".join(values) if fixed else None
        data = dumps(((ids[0], *map(sub, ids[1:], ids[:-1])), mini, vs), DATA_PROTOCOL)
        comp = compression if len(data) >= MIN_COMPRESS else 0
        if comp:
            data = compress(data, comp)
        top = max(weights)
        top = top if top > 0 else 0
        known = list(filter(None, map(length_of, ids)))
        low, high = (min(known), max(known)) if known else (None, 0)
        info = dumps((n, ids[-1], top, comp, length_to_byte(low), length_to_byte(high)), 2)
        size = len(info) + len(data)
        out += pack_int(-size if first + blocklimit >= count else size)
        out += info
        out += data
        # W3TermInfo.add_block
        total += sum(stored)
        df += n
        minlength = low if minlength is None else min(minlength, low)
        maxlength, maxweight = max(maxlength, high), max(maxweight, top)
        if minid is None:
            minid = ids[0]
    maxid = posts[-1][0]
    return TERM_INFO.pack(False, total, df, 0 if minlength is None else length_to_byte(minlength),
                          length_to_byte(maxlength), maxweight, minid, maxid)
