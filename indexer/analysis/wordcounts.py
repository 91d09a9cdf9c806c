"""Word counts of texts at index time, reusing the counts of a text that ends the next one asked."""
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
    """Return {word: count} of the expression's matches in a text (read-only), reusing the counts of a text
    counted just before that ends it after a line break: a document's word list is its title, summary and text
    joined by line breaks, right after the text itself was counted. Done for TOKEN_PATTERN only, whose matches
    hold no line break: the matches before the break and after it are exactly those of each part alone."""
    global _counted
    counted = _counted
    for text, pattern, counts in counted:
        if text is value and pattern == expression:
            return counts
    for text, pattern, counts in counted:
        cut = len(value) - len(text)
        if cut > 0 and pattern == expression and expression.pattern == TOKEN_PATTERN and value[cut - 1] == "\n" \
                and value.endswith(text):
            found = dict(counts)
            for word in map(re.Match.group, expression.finditer(value, 0, cut)):
                found[word] = found.get(word, 0) + 1
            break
    else:
        found = Counter(map(re.Match.group, expression.finditer(value)))
    _counted = ((value, expression, found), *counted[:COUNTED_TEXTS - 1])
    return found
