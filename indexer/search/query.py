"""Parse user text into Whoosh queries: Dutch operators and field names, bounded wildcards, no internal fields."""
from __future__ import annotations

import copy
import itertools
import re
import unicodedata

from whoosh import query as wq
from whoosh.matching import NullMatcher
from whoosh.qparser import (
    AndGroup,
    BoostPlugin,
    FieldsPlugin,
    MultifieldPlugin,
    OperatorsPlugin,
    OrGroup,
    PlusMinusPlugin,
    QueryParser,
    syntax,
)
from whoosh.qparser.plugins import Plugin, RegexTagger
from whoosh.searching import SearchContext

from ..analysis import citation_term, normalise_citations, normalise_dates
from .phrases import phrases_on_pages

MAX_QUERY_LENGTH = 1000
SEARCH_FIELDS = ("title", "summary", "author_text", "day", "content")  # the fields a word without field name searches

# Field names a user may type (Dutch first, English accepted), mapped to internal fields.
FIELD_ALIASES = {
    "titel": "title", "title": "title",
    "samenvatting": "summary", "summary": "summary",
    "tekst": "content", "text": "content",
    "auteur": "author_text", "author": "author_text",
    "type": "doctype_text", "documenttype": "doctype_text",
    "jaar": "year", "year": "year",
}


# Text fields with an English twin (filled for `language: en` records): a query searches both analyses.
ENGLISH_TWINS = {"title": "title_en", "summary": "summary_en", "content": "content_en", "page_text": "page_text_en"}


class QueryError(ValueError):
    """The request cannot be answered as asked; str() is a Dutch explanation for the user."""


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean_query(text: str) -> str:
    """Strip control and direction characters and fold whitespace; raise QueryError when too long."""
    text = unicodedata.normalize("NFC", text or "")
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"De zoekvraag is te lang ({len(text)} tekens); gebruik maximaal {MAX_QUERY_LENGTH} tekens.")
    return " ".join(_CONTROL.sub(" ", text).split())


class DutchFieldsPlugin(FieldsPlugin):
    """Field syntax for the user-facing Dutch field names only; any other `name:` stays plain text."""

    class AliasTagger(RegexTagger):
        def create(self, parser, match):
            name = FIELD_ALIASES.get(match.group("text").lower(), "__unknown__")
            return syntax.FieldnameNode(name, match.group(0))

    def taggers(self, parser):
        return [(self.AliasTagger(self.expr), 0)]

    def do_fieldnames(self, parser, group):
        # "__unknown__" is never in the schema, so the base class turns such names back into text.
        return super().do_fieldnames(parser, group)


class EnglishTwinsPlugin(Plugin):
    """A word in a field with an English twin (`titel:policies`) also searches the twin, analysed as English."""

    def __init__(self, twins):
        self.twins = twins

    def filters(self, parser):
        return [(self.do_twins, 105)]  # after field names are applied (100), before multifield expansion (110)

    def do_twins(self, parser, group):
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self.do_twins(parser, node)
            elif node.has_fieldname and node.fieldname in self.twins:
                twin = copy.copy(node)
                twin.set_fieldname(self.twins[node.fieldname], override=True)
                group[i] = syntax.OrGroup([node, twin])
        return group


def _twins(schema, languages=None) -> dict[str, str]:
    if languages is not None and "en" not in languages:
        return {}
    names = set(schema.names()) if schema is not None else set()
    return {field: twin for field, twin in ENGLISH_TWINS.items() if twin in names}


class DutchParser(QueryParser):
    """A word that analysis splits in several ("mid-term", "openbare-orde") is searched as a phrase, not as AND.

    A citation's query word gives its law's term and the term without law: either matches (indexer.analysis.citeterms).
    """

    def multitoken_query(self, spec, texts, fieldname, termclass, boost):
        if termclass is wq.Term and all(citation_term(t) for t in texts):
            return wq.Or([wq.Term(fieldname, t) for t in texts], boost=boost)
        if termclass is wq.Term:
            return self.phraseclass(fieldname, texts, boost=boost)
        return super().multitoken_query(spec, texts, fieldname, termclass, boost)


def _make_parser(fieldnames, schema, group, languages=None):
    twins = _twins(schema, languages)
    fieldnames = list(fieldnames) + [twins[f] for f in fieldnames if f in twins]
    parser = DutchParser(None, schema, group=group)
    parser.add_plugin(MultifieldPlugin(fieldnames))
    parser.remove_plugin_class(FieldsPlugin)
    parser.add_plugin(DutchFieldsPlugin(expr=r"(?P<text>[^\W\d_][\w]*):"))
    # Dutch operators next to the English ones; only in capitals, so "of" and "niet" stay words.
    parser.replace_plugin(OperatorsPlugin(And=r"(?<=\s)(AND|EN)(?=\s)", Or=r"(?<=\s)(OR|OF)(?=\s)",
                                          AndNot=r"(?<=\s)(ANDNOT|ENNIET)(?=\s)", Not=r"(^|(?<=(\s|[()])))(NOT|NIET)(?=\s)"))
    parser.remove_plugin_class(BoostPlugin)  # "^" is not a feature users need, and can skew ranking
    # "+" and "-" are operators only at the start of a word: "mid-term" and "openbare-ordeverstoringen" are words.
    parser.add_plugin(PlusMinusPlugin(plusexpr=r"(?<![^\s(])\+(?=[\w\"(])", minusexpr=r"(?<![^\s(])-(?=[\w\"(])"))
    if twins:
        parser.add_plugin(EnglishTwinsPlugin(twins))
    return parser


_OPERATOR_WORDS = re.compile(r"\b(AND|OR|NOT|ANDNOT|EN|OF|NIET|ENNIET)\b")

MIN_PREFIX = 3
MAX_EXPANSIONS = 200  # index terms one wildcard or range may stand for; bounds the work per query
MAX_EXPANDING_WORDS = 5  # wildcard or range words per query; with MAX_EXPANSIONS this bounds the terms searched


class CappedTerms:
    """Mixin for term-expanding queries (prefix, wildcard, range): use at most MAX_EXPANSIONS index terms.

    Whoosh expands such a query to every matching term of the index; everything that expands goes through
    expanded_terms() here, which stops after MAX_EXPANSIONS, and matcher() is Whoosh's, over those terms only.
    """

    def expanded_terms(self, ixreader, phrases=False):
        return itertools.islice(super().expanded_terms(ixreader, phrases), MAX_EXPANSIONS)

    def simplify(self, ixreader):
        fieldname = self.field()
        if fieldname not in ixreader.schema:
            return wq.NullQuery
        field = ixreader.schema[fieldname]
        terms = [wq.Term(fieldname, field.from_bytes(btext), boost=self.boost)
                 for btext in sorted({btext for _, btext in self.expanded_terms(ixreader)})]
        return terms[0] if len(terms) == 1 else wq.Or(terms) if terms else wq.NullQuery

    def estimate_size(self, ixreader):
        return sum(ixreader.doc_frequency(fieldname, btext) for fieldname, btext in self.expanded_terms(ixreader))

    def estimate_min_size(self, ixreader):
        return min((ixreader.doc_frequency(fieldname, btext) for fieldname, btext in self.expanded_terms(ixreader)),
                   default=0)

    def matcher(self, searcher, context=None):
        # As whoosh.query.MultiTerm.matcher, over the capped terms.
        terms = [wq.Term(fieldname, btext) for fieldname, btext in self.expanded_terms(searcher.reader()) if btext]
        if not terms:
            return NullMatcher()
        if len(terms) == 1:
            return terms[0].matcher(searcher, context)
        if self.constantscore:  # the score of each term does not matter: no weighting
            context = context.set(weighting=None) if context else SearchContext(weighting=None)
        return wq.Or(terms, boost=self.boost).matcher(searcher, context)


_CAPPED: dict[type, type] = {}


def _capped(q):
    if isinstance(q, CappedTerms):
        return q
    cls = q.__class__
    if cls not in _CAPPED:
        _CAPPED[cls] = type("Capped" + cls.__name__, (CappedTerms, cls), {})
    q.__class__ = _CAPPED[cls]
    return q


def _tame(q):
    """Bound wildcard expansion: no leading wildcards, short prefixes, or unbounded term lists."""
    if isinstance(q, (wq.Wildcard, wq.Prefix)):
        text = q.text
        stem = re.split(r"[*?]", text, maxsplit=1)[0]
        if len(stem) < MIN_PREFIX:
            raise QueryError("Een zoekwoord met * of ? moet met minstens drie letters beginnen, bijvoorbeeld extremis*.")
        return _capped(q)
    if isinstance(q, wq.MultiTerm):  # e.g. [a TO z]: a range over the whole vocabulary
        return _capped(q)
    if isinstance(q, wq.Every) and q.fieldname:
        # "*" or "titel:*": Whoosh would read every posting list of the field; all documents is the same answer.
        return wq.Every(boost=q.boost)
    if isinstance(q, wq.CompoundQuery):
        q.subqueries = [_tame(s) for s in q.subqueries]
    elif isinstance(q, wq.Not):
        q.query = _tame(q.query)
    return q


def parse_query(text: str, schema, *, any_word: bool = False, fields=SEARCH_FIELDS, languages=None):
    """Parse user text into a Whoosh query over the given fields (all words must match unless any_word).

    Fields with an English twin in the schema are searched in both languages, unless `languages` leaves out "en".
    """
    parser = _make_parser(fields, schema, OrGroup if any_word else AndGroup, languages)
    # "2 maart 2021" is one word, that day's term, not "maart" and "2021"; "artikel 10 lid 2 sub e" is one word too
    text = normalise_dates(normalise_citations(text))
    # Whoosh's parser can raise on odd operator mixes ("NIET OF APV" raised IndexError): user text must never
    # crash a search, so retry without syntax characters, then with operators read as plain words.
    plain = re.sub(r"[\"'()*?:^~+\-]", " ", text)
    for attempt in (text, plain, _OPERATOR_WORDS.sub(lambda m: m.group().lower(), plain)):
        try:
            q = parser.parse(attempt)
            break
        except Exception:
            continue
    else:
        q = wq.NullQuery
    q = _tame(q)
    _limit_expanding_words(q)
    return phrases_on_pages(q)


def index_languages(searcher) -> tuple[str, ...]:
    """Return the languages of an index's records: "nl", plus "en" when it holds English records."""
    # Membership stops at the first segment that has the term, where a document frequency asks every segment.
    return ("nl", "en") if ("language", "en") in searcher.reader() else ("nl",)


def _limit_expanding_words(q) -> None:
    """Refuse queries with more than MAX_EXPANDING_WORDS words using * or ? or a range: each costs a term scan."""
    words = {getattr(leaf, "text", None) or (getattr(leaf, "start", None), getattr(leaf, "end", None))
             for leaf in ([q] if isinstance(q, wq.MultiTerm) else q.leaves()) if isinstance(leaf, wq.MultiTerm)}
    if len(words) > MAX_EXPANDING_WORDS:
        raise QueryError(f"Gebruik in één zoekvraag hoogstens {MAX_EXPANDING_WORDS} zoekwoorden met * of ? "
                         "of een bereik [a TO b].")


def is_plain(text: str) -> bool:
    """Tell whether a query uses no operators, so widening it to any word keeps its meaning."""
    # "+" and "-" are operators only at the start of a word (as in the parser): "wob-verzoek" is a plain word.
    return not re.search(r"[\"()*?:]|(?<![^\s(])[+\-]|\b(AND|OR|NOT|EN|OF|NIET)\b", text)


def has_words(q) -> bool:
    """Tell whether a parsed query holds anything to search for."""
    return any(True for _ in q.leaves()) or isinstance(q, (wq.Term, wq.Prefix, wq.Wildcard, wq.Phrase))
