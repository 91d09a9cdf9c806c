"""Keys of index entry values: by them the analysis cache (indexer.index.analysed) finds what a value became."""
from __future__ import annotations

import hashlib

# Texts at least this long are keyed by a hash of their bytes, shorter ones by themselves.
LONG = 64
# {text: key} of the long texts keyed since forget(): a document's text is keyed for its own field, its word list
# and its article facet, hashed once (a str caches its own hash, so finding it here costs no pass over it).
_memo: dict[str, bytes] = {}


def value_key(value):
    """Return a key that is equal for equal values (one field's): a short text itself, a 16-byte BLAKE2b of a long
    one, a number with its type, "" for None; None for a value that is not keyed (any other type)."""
    kind = type(value)
    if kind is str:
        if len(value) < LONG:
            return value
        key = _memo.get(value)
        if key is None:
            key = _memo[value] = hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        return key
    if value is None:
        return ""
    if kind is int or kind is float or kind is bool:
        return (kind.__name__, value)
    return None


def forget() -> None:
    """Drop the remembered keys (they hold the texts)."""
    _memo.clear()
