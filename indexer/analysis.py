"""The Dutch analyzer, used at index and query time: tokenize -> lowercase -> stop words -> fold accents -> stem.

Whoosh pickles analyzers into the index, so everything here must stay importable under these names.
"""
from __future__ import annotations

from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.support.charset import accent_map

# Bump when analysis changes, so `build --if-needed` knows an index is stale.
ANALYSIS_VERSION = "1"

# Words with inner dots stay one token ("art.2.1"); a trailing "*" of a footnote is not part of the word.
TOKEN_PATTERN = r"\w+(\.?\w+)*"


def dutch_analyzer():
    """Return the analyzer for Dutch text fields (stemmed, accent-folded, Dutch stop words only)."""
    # Accents are folded after the stop filter, or "één" would become the stop word "een".
    return (RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter()
            | StopFilter(stoplist=frozenset(), lang="nl")
            | CharsetFilter(accent_map) | StemFilter(lang="nl"))


def plain_analyzer():
    """Return the analyzer for unstemmed fields (titles for suggestions, exact-ish matching)."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)
