"""A new segment's term table written as Whoosh's OrderedHashWriter writes it, but many rows and slots per write."""
from __future__ import annotations

import hashlib
import struct
from array import array

from whoosh.filedb.filetables import OrderedHashWriter, md5_hash

KEY_VALUE_LENGTHS = struct.Struct("!ii")  # before each key and value in the term table (whoosh.filedb.filetables)
try:
    # CPython's own MD5: for keys of a few bytes a third of OpenSSL's time (hashlib.md5 sets up an OpenSSL context
    # per call), 0.06 against 0.13 s for the 67,000 term keys of the 71 bench PDFs. The same digests.
    from _md5 import md5 as _md5
except ImportError:  # a Python built without it
    _md5 = hashlib.md5
_ARRAY_LIMITS = {"H": 2 ** 16, "i": 2 ** 31, "I": 2 ** 32, "q": 2 ** 63}  # GrowableArray's types, and what each holds


def add_terms(terms, rows: list[tuple[bytes, bytes]]) -> None:
    """Add (key, value) rows in key order to the term table, as OrderedHashWriter.add does one by one (its file
    position, the length header, key and value, the key's hash in its bucket), in one write."""
    if type(terms) is not OrderedHashWriter:
        for key, value in rows:
            terms.add(key, value)
        return
    if rows and rows[0][0] <= terms.lastkey:
        raise ValueError(f"Keys must increase: {terms.lastkey!r}..{rows[0][0]!r}")
    dbfile, hashfn, buckets, out = terms.dbfile, terms.hashfn, terms.buckets, bytearray()
    base, positions = dbfile.tell(), []
    md5 = terms.hashfn is md5_hash
    for key, value in rows:
        position = base + len(out)
        positions.append(position)
        # md5_hash's low 32 bits of the hex digest as an int are the digest's last 4 bytes: no hex text.
        h = int.from_bytes(_md5(key).digest()[12:], "big") if md5 else hashfn(key)
        buckets[h & 255].append((h, position))
        out += KEY_VALUE_LENGTHS.pack(len(key), len(value))
        out += key
        out += value
    dbfile.write(bytes(out))
    index = terms.index  # a GrowableArray: its array takes the positions at once where the last (largest) fits
    if positions and isinstance(index.array, array) and positions[-1] < _ARRAY_LIMITS.get(index.array.typecode, 0):
        index.array.extend(positions)
    else:
        index.extend(positions)  # one by one, changing the array's type where one does not fit
    if rows:
        terms.lastkey = rows[-1][0]


def write_hash_tables(terms) -> None:
    """Write a term table's 256 hash tables and note each in its directory, as HashWriter._write_hashes does (the
    same bytes), with each table packed and written at once: Whoosh packs and writes each slot on its own, two
    calls per slot and two slots per term (a tenth of writing a warm build's files)."""
    dbfile, directory = terms.dbfile, terms.directory
    for entries in terms.buckets:
        numslots = 2 * len(entries)
        directory.append((dbfile.tell(), numslots))
        if not numslots:
            continue
        hashes, positions = [0] * numslots, [0] * numslots  # (0, 0): an empty slot (no key starts at 0)
        for hashval, position in entries:
            slot = (hashval >> 8) % numslots
            while positions[slot]:  # linear probing, as Whoosh does
                slot = (slot + 1) % numslots
            hashes[slot], positions[slot] = hashval, position
        packed = [0] * (2 * numslots)
        packed[::2], packed[1::2] = hashes, positions
        dbfile.write(struct.pack(f"!{'Iq' * numslots}", *packed))
