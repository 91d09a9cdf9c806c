"""The Dutch analyzer, used at index and query time: tokenize (dates and legal citations as terms too) -> lowercase ->
stop words -> fold accents -> split compounds (index time) -> stem with overrides and word families. Plus the English
analyzer for `language: en`.

Whoosh pickles analyzers into the index. The filter classes therefore carry the stable path `indexer.analysis.X`
(set below; the package re-exports them), whatever module they live in, and no filter holds a word list: those
are loaded on first use into module-level caches (compounds.py, wordforms.py).
"""
from __future__ import annotations

import re
from functools import lru_cache

from whoosh.analysis import CompositeAnalyzer, Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.analysis.acore import Token
from whoosh.lang import stemmer_for_language

from .citeterms import LABEL_WEIGHT, CitationTokenizer, citations_in, index_tokens
from .compounds import split
from .dates import DateTokenizer, dates_in
from .families import family_stem
from .fold import fold_text
from .wordcounts import TOKEN_PATTERN, term_frequencies, word_counts
from .wordforms import stem_with_overrides

# Bump when analysis changes, so `build --if-needed` knows an index is stale.
# 4: compound parts weigh PART_WEIGHT; stricter splitting; fixed stems (-lijk, -baar, ...); word families.
# 5: legal citations as terms (indexer.analysis.citeterms).
# 6: a document's article facet from its title, summary and content tallied apart (citeterms.citation_tally).
ANALYSIS_VERSION = "6"

# What a compound part weighs against the word itself (Whoosh adds token boosts into a term's weight): "orde" in
# "ordeverstoringen" counts a quarter of "orde" standing alone, so whole words rank above parts.
PART_WEIGHT = 0.25

# Words with inner dots stay one token ("art.2.1"); a trailing "*" of a footnote is not part of the word
# (TOKEN_PATTERN, in indexer.analysis.wordcounts).

class StackedStopFilter(StopFilter):
    """Whoosh's stop filter, but a token marked `stacked` (a citation's terms) keeps the position of the word before it.

    So the words of "op grond van artikel 10" stay next to each other for phrases, with the citation's terms beside
    "artikel"; positions after stop words are renumbered as Whoosh does.
    """

    def __call__(self, tokens):
        stoplist, minsize, maxsize, renumber = self.stops, self.min, self.max, self.renumber
        pos = None
        for t in tokens:
            text = t.text
            if len(text) >= minsize and (maxsize is None or len(text) <= maxsize) and text not in stoplist:
                if renumber and t.positions:
                    if pos is None:
                        pos = t.pos
                    else:
                        pos += 0 if getattr(t, "stacked", False) else 1
                        t.pos = pos
                t.stopped = False
                yield t
            elif not t.removestops:
                t.stopped = True
                yield t


class FoldFilter(Filter):
    """Fold all diacritics and ligatures (è, à, ç, ê, ë, ﬁ, æ ...) so accented and plain spellings meet."""

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold_text(t.text)
            yield t


class DecompoundFilter(Filter):
    """At index time, keep each compound and add its parts at the same position and characters, at PART_WEIGHT.

    So `verbod` finds "internetverbod", while phrases and highlighting still see the whole word, and a text
    with "verbod" itself ranks above it. Queries are not split: "internetverbod" asks for the compound itself,
    not for every text about internet and a ban.
    """

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__

    def __call__(self, tokens):
        for t in tokens:
            if t.mode == "query" or t.stopped:
                yield t
                continue
            whole, boost = t.text, t.boost
            parts = split(whole)
            yield t
            for part in parts:
                t.text, t.boost = part, boost * PART_WEIGHT
                yield t
            t.text, t.boost = whole, boost


class DutchStemFilter(StemFilter):
    """Snowball's Dutch stemmer with the maintainers' overrides (data/stems.txt) and word families (data/families.txt)."""

    def __init__(self, cachesize=50000):
        super().__init__(lang="nl", cachesize=cachesize)

    def clear(self):
        snowball = stemmer_for_language("nl")

        def own(word: str) -> str:
            return stem_with_overrides(word, snowball)

        # One cache over overrides, stemmer and families together: most tokens are words seen before.
        self._stem = lru_cache(maxsize=self.cachesize)(lambda word: family_stem(word, own(word), own))

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__


# How many distinct words one analyzer remembers before it starts over (a few tens of MB at most).
MEMO_WORDS = 200_000


class MemoAnalyzer(CompositeAnalyzer):
    """A tokenizer and per-word filters that, at index time, analyse each distinct word once.

    Every filter after the tokenizer maps one word to zero or more words at the same position (stop words,
    folding, compounds, stems), so the analysed words of a word never depend on its neighbours: they are
    remembered per word (bounded by MEMO_WORDS) and only positions and characters are set per occurrence.
    Queries and every other call run the plain filter chain. The memo is never pickled into an index.

    `remember` hands it the words an earlier build analysed (indexer.index.wordmemo keeps them with the index): a
    word first met is taken from those before the filters run, and `used` tells which words this build met.
    """

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k not in ("_memo", "_inexact", "_known", "_terms")}

    def remember(self, known: dict) -> None:
        """Take {word: analysed(word)} of an earlier build with the same analysis; start a new memo of words used."""
        self.__dict__["_known"] = known
        self.__dict__["_memo"] = {}
        self.__dict__["_terms"] = {}

    def term_table(self) -> dict:
        """Return this process's {word: its one term at index time} for words of exactly one term, which
        indexer.index.wordlist fills and reads (a set made of one dict lookup per word); never pickled."""
        return self.__dict__.setdefault("_terms", {})

    def used(self) -> dict:
        """Return {word: analysed(word)} of every word met at index time since remember (or since creation)."""
        return self.__dict__.setdefault("_memo", {})

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        # Whoosh's field formats ask for boosts as well (token weights: 1.0 but for compact citations): the index path.
        if mode != "index" or keeporiginal or not removestops or not tokenize or kwargs.keys() - {"boosts"}:
            return super().__call__(value, positions=positions, chars=chars, keeporiginal=keeporiginal,
                                    removestops=removestops, start_pos=start_pos, start_char=start_char,
                                    tokenize=tokenize, mode=mode, **kwargs)
        return self._indexed(value, positions, chars, start_pos, start_char, kwargs.get("boosts", False))

    def analysed(self, word: str) -> tuple[tuple[str, float], ...]:
        """Return the (text, boost) the filters make of one word at index time (empty for a stop word), remembered."""
        memo = self.__dict__.setdefault("_memo", {})
        texts = memo.get(word)
        if texts is not None:
            return texts
        known = self.__dict__.get("_known")
        texts = known.get(word) if known else None
        if texts is None:
            token = Token(removestops=True, mode="index")
            token.text, token.boost, token.stopped = word, 1.0, False
            tokens = iter((token,))
            for item in self.items[1:]:
                tokens = item(tokens)
            texts = tuple((t.text, t.boost) for t in tokens)
        if not all((boost * 1024).is_integer() for _text, boost in texts):
            self._inexact = True  # frequencies() then checks every sum
        if len(memo) >= MEMO_WORDS:
            memo.clear()
        memo[word] = texts
        return texts

    def words(self, value: str):
        """Return the regex whose matches are exactly this analyzer's tokens of a text at index time, or None (the
        text has dates or citations, whose terms the tokenizer adds, or the tokenizer is of another kind)."""
        tokenizer = self.items[0]
        if type(tokenizer) is CitationTokenizer:
            return None if citations_in(value) or dates_in(value) else tokenizer.dates.words.expression
        return tokenizer.expression if type(tokenizer) is RegexTokenizer and not tokenizer.gaps else None

    def frequencies(self, value: str) -> dict[str, list] | None:
        """Return {term: [count, weight]} of a text at index time, as Whoosh's Frequency format sums the token
        stream, or None where this way does not apply. Each distinct word is analysed and counted once; a date adds
        its day term twice (before and after its words) and a citation its terms once, as the tokenizers do. The
        weights of words are sums of boosts like 1 and PART_WEIGHT, exact in any order; the terms of dates and
        citations (a compact citation weighs LABEL_WEIGHT) are summed in the token stream's order, and None is
        returned where such a sum would have to mix with a word's."""
        tokenizer = self.items[0]
        if type(tokenizer) is CitationTokenizer:
            expression = tokenizer.dates.words.expression
            extra = [(iso, 1.0) for _start, _end, iso in dates_in(value) for _twice in (0, 1)]
            extra += [(text, LABEL_WEIGHT if c.label else 1.0) for c in citations_in(value) for text in c.terms()]
        elif type(tokenizer) is RegexTokenizer and not tokenizer.gaps:
            expression, extra = tokenizer.expression, []
        else:
            return None
        if self.__dict__.get("_inexact"):  # some word's boosts are no multiples of 1/1024: sums depend on order
            return None
        return term_frequencies(word_counts(expression, value), extra, self.__dict__.setdefault("_memo", {}),
                                self.analysed)

    def positions(self, value: str) -> dict[str, list] | None:
        """Return {term: [weight, [(position, startchar, endchar), ...]]} of a text at index time, as Whoosh's
        Characters format gathers the token stream (see _indexed for the positions), or None for another tokenizer."""
        expression = self.words(value)
        if expression is not None:
            return self._word_positions(expression, value)
        if type(self.items[0]) is CitationTokenizer:
            tokens = index_tokens(value, self.items[0].dates.words.expression)
        else:
            return None
        memo, analysed, out, pos = self.__dict__.setdefault("_memo", {}), self.analysed, {}, None
        for word, start, end, weight, stacked, index in tokens:
            texts = memo.get(word)
            if texts is None:
                texts = analysed(word)
            if not texts:
                continue  # a stop word: the next word takes its position (StopFilter's renumbering)
            if pos is None or not stacked:
                pos = index if pos is None else pos + 1
            place = (pos, start, end)
            for text, boost in texts:
                boost *= weight
                entry = out.get(text)
                if entry is None:
                    out[text] = [boost, [place]]
                else:
                    entry[0] += boost
                    entry[1].append(place)
        return out

    def _word_positions(self, expression, value: str) -> dict[str, list]:
        # positions() of a text of plain words: each match is a token at its own index, weight 1.
        memo, analysed, out, pos = self.__dict__.setdefault("_memo", {}), self.analysed, {}, None
        get, memo_get = out.get, memo.get
        for index, match in enumerate(expression.finditer(value)):
            word = match.group()
            texts = memo_get(word)
            if texts is None:
                texts = analysed(word)
            if not texts:
                continue
            pos = index if pos is None else pos + 1
            place = (pos, *match.span())
            for text, boost in texts:
                entry = get(text)
                if entry is None:
                    out[text] = [boost, [place]]
                else:
                    entry[0] += boost
                    entry[1].append(place)
        return out

    def _indexed(self, value, positions, chars, start_pos, start_char, boosts):
        # The token stream of the plain chain: stop words removed and the positions after them renumbered
        # (StopFilter: the first kept word keeps its own position, each next one follows it). The tokenizer's
        # own tokens are used, so a tokenizer that adds terms (DateTokenizer's day terms) is memoised too. A
        # `stacked` token (a citation's terms) stands at the position of the word before it.
        t = Token(positions, chars, removestops=True, mode="index", boosts=boosts)
        t.boost, t.stopped = 1.0, False
        analysed, memo = self.analysed, self.__dict__.setdefault("_memo", {})
        pos = None
        for token in self.items[0](value, positions=positions, chars=chars, removestops=True, start_pos=start_pos,
                                   start_char=start_char, mode="index"):
            word = token.text
            texts = memo.get(word)
            if texts is None:
                texts = analysed(word)
            if not texts:
                continue
            if positions:
                if pos is None or not getattr(token, "stacked", False):
                    pos = token.pos if pos is None else pos + 1
                t.pos = pos
            if chars:
                t.startchar, t.endchar = token.startchar, token.endchar
            # A term's weight in the index: the tokenizer's (a compact citation weighs less, citeterms) times the
            # filters' (a compound part weighs PART_WEIGHT).
            for text, boost in texts:
                t.text, t.boost = text, token.boost * boost
                yield t


def dutch_analyzer():
    """Return the analyzer for Dutch text fields (stemmed, accent-folded, compounds split, Dutch stop words)."""
    # Accents are folded after the stop filter, or "één" would become the stop word "een".
    return MemoAnalyzer(CitationTokenizer(TOKEN_PATTERN), LowercaseFilter(),
                        StackedStopFilter(stoplist=frozenset(), lang="nl"),
                        FoldFilter(), DecompoundFilter(), DutchStemFilter())


def english_analyzer():
    """Return the analyzer for English text fields (records with `language: en`): English stop words and stems."""
    return MemoAnalyzer(CitationTokenizer(TOKEN_PATTERN), LowercaseFilter(),
                        StackedStopFilter(stoplist=frozenset(), lang="en"), FoldFilter(), StemFilter(lang="en"))


def plain_analyzer():
    """Return the analyzer for unstemmed fields (the word list of spelling suggestions)."""
    return MemoAnalyzer(RegexTokenizer(TOKEN_PATTERN), LowercaseFilter(), FoldFilter())


# The path pickled into every index: stable across moves inside the package (indexer/analysis/__init__.py).
for _cls in (CitationTokenizer, DateTokenizer, StackedStopFilter, FoldFilter, DecompoundFilter, DutchStemFilter, MemoAnalyzer):
    _cls.__module__ = "indexer.analysis"
