"""The Dutch analyzer, used at index and query time: tokenize (dates as one term too) -> lowercase -> stop words -> fold accents ->
split compounds (index time) -> stem with overrides. Plus the English analyzer for records with `language: en`.

Whoosh pickles analyzers into the index. The filter classes therefore carry the stable path `indexer.analysis.X`
(set below; the package re-exports them), whatever module they live in, and no filter holds a word list: those
are loaded on first use into module-level caches (compounds.py, wordforms.py).
"""
from __future__ import annotations

from functools import lru_cache

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang import stemmer_for_language

from .compounds import split
from .dates import DateTokenizer
from .fold import fold_text
from .wordforms import stem_with_overrides

# Bump when analysis changes, so `build --if-needed` knows an index is stale.
ANALYSIS_VERSION = "3"

# Words with inner dots stay one token ("art.2.1"); a trailing "*" of a footnote is not part of the word.
TOKEN_PATTERN = r"\w+(\.?\w+)*"

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
        snowball = stemmer_for_language("nl")
        # One cache over overrides and stemmer together: most tokens are words seen before.
        self._stem = lru_cache(maxsize=self.cachesize)(lambda word: stem_with_overrides(word, snowball))

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__


def dutch_analyzer():
    """Return the analyzer for Dutch text fields (stemmed, accent-folded, compounds split, Dutch stop words)."""
    # Accents are folded after the stop filter, or "één" would become the stop word "een".
    return (DateTokenizer(TOKEN_PATTERN) | LowercaseFilter()
            | StopFilter(stoplist=frozenset(), lang="nl")
            | FoldFilter() | DecompoundFilter() | DutchStemFilter())


def english_analyzer():
    """Return the analyzer for English text fields (records with `language: en`): English stop words and stems."""
    return (DateTokenizer(TOKEN_PATTERN) | LowercaseFilter()
            | StopFilter(stoplist=frozenset(), lang="en")
            | FoldFilter() | StemFilter(lang="en"))


def plain_analyzer():
    """Return the analyzer for unstemmed fields (the word list of spelling suggestions)."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | FoldFilter()


# The path pickled into every index: stable across moves inside the package (indexer/analysis/__init__.py).
for _cls in (DateTokenizer, FoldFilter, DecompoundFilter, DutchStemFilter):
    _cls.__module__ = "indexer.analysis"
