"""Citations as terms: the tokenizer that adds them (index) or reads them (query), and a document's facet values.

At index time every citation adds its terms (indexer.analysis.citations) at the place of its first word, beside its
words, so phrases over the words still match. A query's citation is rewritten into one word (QUERY_WORD_...), which
the tokenizer reads back as the citation's terms: with a law, the law's own term or the term without law.
"""
from __future__ import annotations

import re
from collections import Counter

from whoosh.analysis import Token, Tokenizer

from .citations import Citation, display, find_citations, term
from .dates import DateTokenizer, dates_in, last_text_memo

QUERY_PREFIX = "wetsartikel_"  # a query word that stands for one citation: wetsartikel_10_2_e_wob
_QUERY_WORD = re.compile(r"wetsartikel_(?P<art>\d[0-9a-zDC]*)_(?P<lid>\d*)_(?P<sub>[0-9a-z]*)_(?P<law>[0-9a-z]*)")
_QUOTED = re.compile(r'"[^"]*"')
FACET_VALUES = 10  # citations kept per document for the facet "Wetsartikel"
# What one compact citation ("10.2.e" beside a blacked-out name, in an inventory row) weighs against a sentence that
# cites the article: an inventory with 60 such marks must not outrank the decision that explains the ground. Measured
# on the citation needs of tests/relevance/real_judgments.yaml (nDCG@10 0.891 at 1.0, 0.883 at 0.5 and 0.2, 0.898
# at 0.1): the decision explaining "artikel 10 lid 1 sub d Wob" comes first at 0.1, an inventory at 1.0.
LABEL_WEIGHT = 0.1


def query_word(citation: Citation) -> str:
    """Return the one query word for a citation (dots and colons of article numbers as D and C)."""
    article = citation.article.replace(".", "D").replace(":", "C")
    sub = citation.subs[0] if citation.subs else ""
    return f"{QUERY_PREFIX}{article}_{citation.lid}_{sub}_{citation.law}"


def query_terms(word: str) -> list[str] | None:
    """Return the terms a citation query word searches (with a law: its own term first), or None for other words."""
    m = _QUERY_WORD.fullmatch(word)
    if m is None:
        return None
    path: tuple[str, ...] = (m.group("art").replace("D", ".").replace("C", ":"),)
    if m.group("lid") or m.group("sub"):
        path += (m.group("lid"),)
    if m.group("sub"):
        path += (m.group("sub"),)
    return ([term(path, m.group("law"))] if m.group("law") else []) + [term(path)]


def normalise_citations(text: str) -> str:
    """Rewrite every citation of a query, outside quoted phrases, as its one query word."""
    if not text:
        return text
    out, pos = [], 0
    for quoted in _QUOTED.finditer(text):
        out.append(_rewrite(text[pos:quoted.start()]))
        out.append(quoted.group())
        pos = quoted.end()
    out.append(_rewrite(text[pos:]))
    return "".join(out)


def _rewrite(segment: str) -> str:
    out, pos = [], 0
    for citation in find_citations(segment):
        out.append(segment[pos:citation.start])
        out.append(query_word(citation))
        pos = citation.end
    out.append(segment[pos:])
    return "".join(out)


def citation_values(text: str, limit: int = FACET_VALUES) -> list[str]:
    """Return the citations of a text for the facet, most frequent first, at most `limit` (facet_values)."""
    return facet_values([citation_tally(text)], limit)


def citation_tally(text: str) -> tuple[list, list]:
    """Return what a text adds to its document's facet: ([(path, law, count)] of each citation's most precise level,
    [(path, law)] of each level a law is named with), as lists of tuples (kept by marshal: indexer.index.analysed).
    A document's texts (title, summary, content) are tallied apart, so a changed title is read again alone."""
    counts: Counter = Counter()
    laws: set[tuple] = set()
    for citation in find_citations(text):
        if _heading(text, citation):
            continue
        paths = citation.paths()
        for path in paths[-len(citation.subs) or -1:]:  # the most precise level: one per item
            counts[(path, citation.law)] += 1
        if citation.law:
            for path in paths:  # "artikel 10" quoted in an annex belongs to the Wob the decision cites
                laws.add((path, citation.law))
    return [(path, law, n) for (path, law), n in counts.items()], sorted(laws)


def facet_values(tallies: list[tuple[list, list]], limit: int = FACET_VALUES) -> list[str]:
    """Return a document's facet values from the tallies of its texts (citation_tally), most frequent first.

    Each value is a citation's most precise level ("art. 10 lid 2 sub e Wob"). A citation written without law
    counts for the law the same document names with that article (or a part of it), when it names exactly one
    ("10.2.e" in the margins of a Wob decision that cites "artikel 10, tweede lid, aanhef en onder e, van de Wob").
    """
    counts: Counter = Counter()
    laws: dict[tuple, set] = {}
    for found, named in tallies:
        for path, law, n in found:
            counts[(path, law)] += n
        for path, law in named:
            laws.setdefault(path, set()).add(law)
    merged: Counter = Counter()
    for (path, law), n in counts.items():
        named = laws.get(path, set())
        merged[(path, law or (next(iter(named)) if len(named) == 1 else ""))] += n
    best = sorted(merged.items(), key=lambda item: (-item[1], display(*item[0])))
    return [display(path, law) for (path, law), _ in best[:limit]]


def _heading(text: str, citation) -> bool:
    """Tell whether a bare "Artikel 1" stands alone on its line: the heading of a law's text quoted in an annex,
    which a document does not cite (such annexes gave "art. 1" to a third of the Wob decisions)."""
    if citation.lid or citation.subs or citation.law:
        return False
    start = text.rfind("\n", 0, citation.start) + 1
    end = text.find("\n", citation.end)
    return not text[start:citation.start].strip() and not text[citation.end:end if end >= 0 else len(text)].strip()


citations_in = last_text_memo(find_citations)  # find_citations(text) as a list, remembered for the last text


def index_tokens(value: str, words) -> list[tuple]:
    """Return what CitationTokenizer yields for a text at index time (start_pos and start_char 0), as tuples
    (text, startchar, endchar, boost, stacked, pos): the `words` regex's matches, each date's day term before and
    after its words (DateTokenizer), each citation's terms stacked after its first word."""
    dated, pending = [], iter(dates_in(value))
    current, emitted, closing = next(pending, None), None, None
    for match in words.finditer(value):
        start = match.start()
        while current is not None and start >= current[1]:
            current = next(pending, None)
        if closing is not None and closing is not current:
            dated.append((closing[2], closing[0], closing[1], 1.0, False))
            closing = None
        if current is not None and start >= current[0]:
            if emitted is not current:
                emitted = current
                dated.append((current[2], current[0], current[1], 1.0, False))
            closing = current
        dated.append((match.group(), start, match.end(), 1.0, False))
    if closing is not None:
        dated.append((closing[2], closing[0], closing[1], 1.0, False))
    out, pending = [], iter(citations_in(value))
    current, emitted = next(pending, None), None
    for pos, token in enumerate(dated):
        out.append((*token, pos))
        start = token[1]
        while current is not None and start >= current.end:
            current = next(pending, None)
        if current is not None and current.start <= start and emitted is not current:
            emitted = current
            boost = LABEL_WEIGHT if current.label else 1.0
            out += [(text, current.start, current.end, boost, True, pos) for text in current.terms()]
    return out


class CitationTokenizer(Tokenizer):
    """The word and date tokenizer, plus each citation's terms: beside its words when indexing, instead of the
    citation's query word in a query."""

    def __init__(self, expression: str):
        self.expression = expression
        self.dates = DateTokenizer(expression)

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__ and self.expression == other.expression

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True, start_pos=0,
                 start_char=0, tokenize=True, mode="", **kwargs):
        words = self.dates(value, positions=positions, chars=True, keeporiginal=keeporiginal,
                           removestops=removestops, start_pos=start_pos, start_char=start_char, tokenize=tokenize,
                           mode=mode, **kwargs)
        if not tokenize or (mode == "query" and QUERY_PREFIX not in value):
            yield from words
            return
        if mode == "query":
            for t in words:
                terms = query_terms(t.text)
                if terms is None:
                    yield t
                    continue
                for text in terms:
                    yield self._term(text, getattr(t, "original", t.text), t.startchar, t.endchar, getattr(t, "pos", 0), positions,
                                     chars, removestops, mode, kwargs)
            return
        pending = iter(citations_in(value))
        current, emitted = next(pending, None), None
        if current is None:
            yield from words
            return
        for t in words:
            start, pos = t.startchar - start_char, getattr(t, "pos", 0)
            yield t
            while current is not None and start >= current.end:
                current = next(pending, None)
            if current is not None and current.start <= start and emitted is not current:
                emitted = current
                original = value[current.start:current.end]
                for text in current.terms():
                    token = self._term(text, original, start_char + current.start, start_char + current.end, pos,
                                       positions, chars, removestops, mode, kwargs)
                    token.boost = LABEL_WEIGHT if current.label else 1.0
                    yield token

    @staticmethod
    def _term(text, original, startchar, endchar, pos, positions, chars, removestops, mode, kwargs):
        """Return a fresh token for one citation term, stacked on the position of the word it comes with."""
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.text, token.original, token.stopped, token.boost = text, original, False, 1.0
        token.startchar, token.endchar, token.stacked = startchar, endchar, True
        if positions:
            token.pos = pos
        return token
