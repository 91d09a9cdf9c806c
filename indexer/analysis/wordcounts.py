"""Word counts of texts at index time (the counts of a text counted a moment ago are given again), and term sums."""
from __future__ import annotations

import re
from collections import Counter

# The word pattern of the analyzers (indexer.analysis.analyzer): words with inner dots stay one token ("art.2.1").
# No match holds a line break.
TOKEN_PATTERN = r"\w+(\.?\w+)*"

# The texts whose words were counted last, with their counts: (text, expression, counts), newest first.
_counted: tuple = ()
COUNTED_TEXTS = 4


def word_counts(expression: "re.Pattern", value: str) -> dict[str, int]:
    """Return {word: count} of the expression's matches in a text (read-only), reusing the counts of one of the last
    texts counted when it is this very text: a document's content is counted for its own field and, a moment later,
    for the spelling word list (indexer.index.wordlist)."""
    global _counted
    for text, pattern, counts in _counted:
        if text is value and pattern == expression:
            return counts
    found = Counter(map(re.Match.group, expression.finditer(value)))
    _counted = ((value, expression, found), *_counted[:COUNTED_TEXTS - 1])
    return found


def term_frequencies(counts: dict[str, int], extra: list[tuple[str, float]], memo: dict, analysed) -> dict | None:
    """Return {term: [count, weight]} as Whoosh's Frequency format sums a token stream, from the counts of its words
    and the extra tokens a tokenizer adds (dates' and citations' terms, with their weights, in stream order); each
    word's (term, boost) pairs from memo, else analysed(word). Or None where the sum depends on an order unknown.

    Words' boosts are multiples of 1/1024 (MemoAnalyzer.analysed checks), so their sums are exact in any order. The
    extra terms are summed apart, in the stream's order: they are no words' terms (no word holds a date's dashes
    or a citation's mark), so no word's tokens come in between; one that is also a word's term after analysis
    is added in only when its sum is exact too (a compact citation weighs 0.1: else None)."""
    out, special, inexact = {}, {}, set()
    get, memo_get = out.get, memo.get
    for word, weight in extra:
        texts = memo_get(word)
        if texts is None:
            texts = analysed(word)
        for text, boost in texts:
            boost *= weight
            if not (boost * 1024).is_integer():
                inexact.add(text)
            entry = special.get(text)
            if entry is None:
                special[text] = [1, boost]
            else:
                entry[0] += 1
                entry[1] += boost
    for word, count in counts.items():
        texts = memo_get(word)
        if texts is None:
            texts = analysed(word)
        for text, boost in texts:
            entry = get(text)
            if entry is None:
                out[text] = [count, boost * count]
            else:
                entry[0] += count
                entry[1] += boost * count
    for text, (count, weight) in special.items():
        entry = get(text)
        if entry is None:
            out[text] = [count, weight]
        elif text in inexact:
            return None
        else:
            entry[0] += count
            entry[1] += weight
    return out
