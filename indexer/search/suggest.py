"""'Bedoelde u ...?': spelling suggestions from the unstemmed words of the index being searched.

Correction works on unstemmed words (the `spelling` field): a stemmed query cannot be corrected, because
"radikalisering" stems too far from "radicalisering". Whoosh's own `correct_query` is not used: in
whoosh-reloaded 2.7.5 it raised TypeError for "mid-term review" and "auteur:VAR". A suggestion is offered only
when it finds results, and a failure here never breaks the search it belongs to.
"""
from __future__ import annotations

import logging
import re
from typing import Callable

from whoosh import query as wq

from ..analysis import fold_text
from .query import SEARCH_FIELDS
from .synonyms import EMPTY, Table, table_words

SPELLING_FIELD = "spelling"
OPERATORS = frozenset("AND OR NOT ANDNOT EN OF NIET ENNIET".split())
# A word to check: letters only, not a field name or value (auteur:VAR), not negated or a wildcard.
_WORD = re.compile(r"(?<![\w:*?+\-])[^\W\d_]{4,}(?![\w:*?])")
log = logging.getLogger("kennisbank")


def edit_distance(a: str, b: str) -> int:
    """Return the Damerau-Levenshtein distance (adjacent swaps count as one edit: "polarisatei")."""
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _known(searcher, word: str, folded: str, schema) -> bool:
    """Tell whether a word already finds something: as written, as a stem, or as part of a compound."""
    # A term in the index is in at least one entry (nothing is deleted in place: indexer.index.segments), and
    # membership stops at the first segment that has it, where a document frequency asks every segment.
    reader = searcher.reader()
    if (SPELLING_FIELD, folded) in reader:
        return True
    stems = [t.text for t in schema[SEARCH_FIELDS[0]].analyzer(word, mode="query")]
    return any((field, stem) in reader for field in SEARCH_FIELDS for stem in stems)


# Candidates share the first two letters with the typed word: typos there are rare, and the prefix keeps the
# scan to a small slice of the word list (whoosh's Levenshtein automaton took ~20 ms a word to build).
PREFIX = 2


def _correct(searcher, folded: str) -> str | None:
    """Return the closest word of the index (fewest edits, then most documents), or None."""
    maxdist = 1 if len(folded) <= 5 else 2
    candidates = []
    for raw in searcher.reader().expand_prefix(SPELLING_FIELD, folded[:PREFIX]):
        term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        if term == folded or abs(len(term) - len(folded)) > maxdist or len(term) < 3:
            continue
        distance = edit_distance(folded, term)
        if distance <= maxdist:
            # The word list holds each word once per segment, weighted by its documents there
            # (indexer.index.wordlist): the summed weight is the number of documents that hold the word.
            candidates.append((distance, -searcher.frequency(SPELLING_FIELD, term), term))
    return min(candidates)[2] if candidates else None


def _same_case(template: str, word: str) -> str:
    if template.isupper():
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def suggest(searcher, text: str, finds: Callable[[str], bool], synonyms: Table = EMPTY) -> str | None:
    """Return the query with misspelt words corrected, when that finds results; otherwise None.

    Words of the abbreviation table (`synonyms`) are never corrected: they widen the query instead.
    """
    try:
        schema = searcher.schema
        if SPELLING_FIELD not in schema.names() or not text:
            return None
        known_forms = None
        out, pos, changed = [], 0, False
        for match in _WORD.finditer(text):
            word = match.group()
            if word in OPERATORS:
                continue
            folded = fold_text(word.lower())
            if _known(searcher, word, folded, schema):
                continue
            if known_forms is None:
                known_forms = table_words(synonyms)
            if folded in known_forms:
                continue
            better = _correct(searcher, folded)
            if better:
                out += [text[pos:match.start()], _same_case(word, better)]
                pos, changed = match.end(), True
        if not changed:
            return None
        suggestion = "".join(out) + text[pos:]
        return suggestion if finds(suggestion) else None
    except Exception:  # a suggestion is a courtesy: it must never break the search it belongs to
        log.exception("spelling suggestion failed for %r", text)
        return None


def any_hit(searcher, q, filter_query) -> bool:
    """Tell whether a query finds at least one document under a filter."""
    if q is None or q is wq.NullQuery:
        return False
    return searcher.search(q, filter=filter_query, limit=1).scored_length() > 0
