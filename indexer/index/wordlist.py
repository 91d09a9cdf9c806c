"""The word list of spelling suggestions: a segment's unstemmed words, each once, with how many documents hold it.

Suggestions ("Bedoelde u ...?", indexer.search.suggest) ask only whether a word is in the index, which words share
its first letters and how many documents hold each. A posting per word and document, as a text field has, answered
that at a quarter of a build's time (on 300 synthetic documents in one process: 8.8 s of CPU with it, 6.7 s without
the field, 7.7 s with this list; a third of all terms and postings). Here each segment holds each of its words once,
on its last entry, weighted by the number of its documents that hold the word: summed over the segments (the
searcher's `frequency`) that is the document count. The words come from the document entries' own fields
(`sources`), so no entry carries a second copy of its text. Only the documents of the segment count: an index's
list holds only its own documents' words, and a members-only word never reaches the public index.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from itertools import filterfalse

from whoosh.analysis import RegexTokenizer
from whoosh.fields import FieldType
from whoosh.formats import Frequency
from whoosh.system import pack_uint

from ..analysis import MemoAnalyzer
from ..analysis.analyzer import MEMO_WORDS
from ..analysis.wordcounts import word_counts
from .valuekeys import value_key


class WordList(FieldType):
    """A field of words with a count each: given {word: documents}, it indexes each word once with that weight;
    given a text, each word of it once (one document). Not scored, stored or searched by the query parser."""

    def __init__(self, analyzer, sources: tuple[str, ...]):
        super().__init__(Frequency(), analyzer, scorable=False, stored=False)
        self.sources = tuple(sources)  # the fields of a document entry whose words the list holds

    def index(self, value, **kwargs):
        counts = value if isinstance(value, Mapping) else dict.fromkeys(Terms(self.analyzer).of((value,)), 1)
        return [(word.encode("utf-8"), n, float(n), pack_uint(n)) for word, n in sorted(counts.items()) if n > 0]


class Terms:
    """The distinct terms an analyzer (a tokenizer of words, then filters) makes of texts: each distinct word is
    looked up in the analyzer's memo once per process, then in its term table (one set made of the lookups)."""

    def __init__(self, analyzer):
        self.analyzer = analyzer
        tokenizer = getattr(analyzer, "items", [None])[0]
        # Word by word where each match of the tokenizer is a word and the filters are remembered per word (the
        # schema's plain_analyzer); any other analyzer runs over the whole text.
        self.words = isinstance(analyzer, MemoAnalyzer) and type(tokenizer) is RegexTokenizer and not tokenizer.gaps
        self.expression = tokenizer.expression if self.words else None
        # {word: its one term}, kept by the analyzer: each process looks a word up in the memo once, not once per
        # segment. A word of no term or of several (none in plain_analyzer) is looked up wherever it is met.
        self.term_of = analyzer.term_table() if self.words else {}

    def of(self, texts) -> set[str]:
        if not self.words:
            return {token.text for text in texts for token in self.analyzer(text, mode="index")}
        term_of, found = self.term_of, set()
        if len(term_of) > MEMO_WORDS:
            term_of.clear()
        for text in texts:
            # A document's content was counted a moment ago for its own field: word_counts gives those counts again.
            words = word_counts(self.expression, text)
            terms = set(map(term_of.get, words))
            if None in terms:  # words not met yet (most documents have a few), or of no term or several
                terms.discard(None)
                for word in filterfalse(term_of.__contains__, words):  # (a set difference walks all of term_of)
                    made = self.analyzer.analysed(word)
                    if len(made) == 1:
                        term_of[word] = made[0][0]
                    terms.update(term for term, _boost in made)
            found |= terms
        return found


class SegmentWords:
    """The words of one segment's documents, gathered entry by entry while the segment is written."""

    def __init__(self, schema):
        self.fields = [(name, field.sources, Terms(field.analyzer)) for name, field in schema.items()
                       if isinstance(field, WordList)]
        self.counts = {name: Counter() for name, _sources, _terms in self.fields}

    def add(self, entry: dict, known: dict | None = None, made: dict | None = None) -> None:
        """Count the words of one entry's source fields (an entry without them, such as a page, adds nothing).

        With `made`, each list's terms of each source text go there under ("w", list name, value_key(text))
        (indexer.index.analysed), and those `known` holds under that key are not looked up again: after a changed
        title only the title's words are (the content's took 50 ms of a one-record update of the bench PDFs)."""
        for name, sources, terms in self.fields:
            texts = [text for text in map(entry.get, sources) if isinstance(text, str) and text]
            if not texts:
                continue
            if made is None:
                self.counts[name].update(terms.of(texts))
                continue
            parts = []
            for text in texts:
                key = ("w", name, value_key(text))
                found = known.get(key) if known else None
                if found is None:
                    # A tuple: marshal writes a set's words sorted, ten times as slowly (0.1 s per 100,000 words).
                    found = tuple(terms.of((text,)))
                made[key] = found
                parts.append(found)
            # Each word once per document: a word of the title is most often in the content too.
            self.counts[name].update(parts[0] if len(parts) == 1 else set().union(*parts))

    def carrying(self, entry: dict) -> dict:
        """Return a copy of the segment's last entry that carries every word list (the entry itself is left as it
        is: an entry dict can be shared by both indexes), its own words counted already."""
        carried = {name: dict(counts) for name, counts in self.counts.items() if counts}
        return {**entry, **carried} if carried else entry

    def entries(self, entries: list[dict]):
        """Yield the segment's entries, the last with the word lists; each entry's words are counted after the writer
        took it (its content's word counts are then at hand, indexer.analysis.wordcounts)."""
        if not self.fields:
            yield from entries
            return
        for n, entry in enumerate(entries):
            if n == len(entries) - 1:
                self.add(entry)
                yield self.carrying(entry)
            else:
                yield entry
                self.add(entry)
