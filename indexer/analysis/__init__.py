"""Stage 2 of the data flow: the one Dutch analyzer, used at index and query time alike, and the one fold.

Whoosh pickles the analyzers into every index by class path: `indexer.analysis.CitationTokenizer`, `DateTokenizer`,
`StackedStopFilter`, `FoldFilter`, `DecompoundFilter`, `DutchStemFilter` and `MemoAnalyzer` (the chain itself) must
stay importable from this package.
"""
from .analyzer import (
                       ANALYSIS_VERSION,
                       CitationTokenizer,
                       DateTokenizer,
                       DecompoundFilter,
                       DutchStemFilter,
                       FoldFilter,
                       MemoAnalyzer,
                       StackedStopFilter,
                       dutch_analyzer,
                       english_analyzer,
                       plain_analyzer,
)
from .citations import display as citation_display
from .citations import parse_term as citation_term
from .citeterms import citation_tally, citation_values, facet_values, normalise_citations
from .dates import normalise_dates
from .fold import fold, fold_text

__all__ = ["ANALYSIS_VERSION", "CitationTokenizer", "DateTokenizer", "DecompoundFilter", "DutchStemFilter",
           "FoldFilter", "MemoAnalyzer", "StackedStopFilter", "citation_display", "citation_tally", "citation_term",
           "citation_values", "facet_values", "normalise_citations",
           "dutch_analyzer", "english_analyzer", "fold", "fold_text", "normalise_dates", "plain_analyzer"]
