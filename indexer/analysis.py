"""The Dutch analyzer, used at index and query time: tokenize -> lowercase -> stop words -> fold accents ->
split compounds (index time) -> stem with overrides. Plus the English analyzer for records with `language: en`.

Whoosh pickles analyzers into the index, so everything here must stay importable under these names, and no
filter may hold a word list (those are loaded lazily into module-level caches: see compounds.py, wordforms.py).
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.support.charset import accent_map

# Bump when analysis changes, so `build --if-needed` knows an index is stale.
ANALYSIS_VERSION = "2"

# Words with inner dots stay one token ("art.2.1"); a trailing "*" of a footnote is not part of the word.
TOKEN_PATTERN = r"\w+(\.?\w+)*"

# Letters that Unicode decomposition leaves alone but a searcher types without thinking.
_EXTRA_FOLDS = str.maketrans({"æ": "ae", "œ": "oe", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ð": "d",
                              "þ": "th", "ı": "i", "ĳ": "ij", "Æ": "AE", "Œ": "OE", "Ø": "O", "Ł": "L"})


def fold_text(text: str) -> str:
    """Strip every diacritic and expand ligatures: "crèche" -> "creche", "ﬁnanciën" -> "financien"."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_EXTRA_FOLDS)


class FoldFilter(Filter):
    """Fold all diacritics and ligatures (è, à, ç, ê, ë, ﬁ, æ ...) so accented and plain spellings meet."""

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold_text(t.text)
            yield t


class DecompoundFilter(Filter):
    """At index time, keep each compound and add its parts at the same position and characters.

    So `verbod` finds "internetverbod", while phrases and highlighting still see the whole word. Queries are
    not split: "internetverbod" asks for the compound itself, not for every text about internet and a ban.
    """

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__

    def __call__(self, tokens):
        from .compounds import split  # lazy: the word list loads only when something is indexed

        for t in tokens:
            if t.mode == "query" or t.stopped:
                yield t
                continue
            whole = t.text
            parts = split(whole)
            yield t
            for part in parts:
                t.text = part
                yield t
            t.text = whole


class DutchStemFilter(StemFilter):
    """Snowball's Dutch stemmer, after the maintainers' overrides (indexer/data/stems.txt) bring families together."""

    def __init__(self, cachesize=50000):
        super().__init__(lang="nl", cachesize=cachesize)

    def clear(self):
        from .wordforms import stem_with_overrides
        from whoosh.lang import stemmer_for_language

        snowball = stemmer_for_language("nl")
        # One cache over overrides and stemmer together: most tokens are words seen before.
        self._stem = lru_cache(maxsize=self.cachesize)(lambda word: stem_with_overrides(word, snowball))

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__


def dutch_analyzer():
    """Return the analyzer for Dutch text fields (stemmed, accent-folded, compounds split, Dutch stop words)."""
    # Accents are folded after the stop filter, or "één" would become the stop word "een".
    return (RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter()
            | StopFilter(stoplist=frozenset(), lang="nl")
            | FoldFilter() | DecompoundFilter() | DutchStemFilter())


def english_analyzer():
    """Return the analyzer for English text fields (records with `language: en`): English stop words and stems."""
    return (RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter()
            | StopFilter(stoplist=frozenset(), lang="en")
            | FoldFilter() | StemFilter(lang="en"))


def plain_analyzer():
    """Return the analyzer for unstemmed fields (the word list of spelling suggestions)."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | FoldFilter()


__all__ = ["ANALYSIS_VERSION", "CharsetFilter", "DecompoundFilter", "DutchStemFilter", "FoldFilter",
           "accent_map", "dutch_analyzer", "english_analyzer", "fold_text", "plain_analyzer"]
