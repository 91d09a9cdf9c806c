"""Clean extracted page text: NFKC, no control characters or soft hyphens, rejoined line-end hyphens, garbage test."""
from __future__ import annotations

import functools
import re
import unicodedata

# Soft hyphen, C0/C1 controls except tab and newline, zero-width characters and the BOM.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200d\u2060\ufeff]")
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})
# A word (possibly itself hyphenated) broken at a line end: "opsporings-\ndiensten".
_LINE_END_HYPHEN = re.compile(r"(\w+(?:-\w+)*)-[ \t]*(\n\s*)([^\W\d_][\w]*(?:-\w+)*)")
_CID = re.compile(r"\(cid:\d+\)")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Words after which a line-end hyphen is a Dutch suspended hyphen: "beveiligings- en opsporingsdiensten".
SUSPENSION_WORDS = frozenset({"en", "of", "en/of", "tot", "noch", "and", "or", "to"})
_VOWELS = set("aeiouyáéíóúäëïöüàèìòùâêîôû")


def clean_text(text: str, vocabulary: frozenset[str] | set[str] = frozenset()) -> str:
    """Normalise page text: NFKC (ligatures), no soft hyphens or controls, line-end hyphens rejoined."""
    text = unicodedata.normalize("NFKC", text).translate(_HYPHENS)
    text = re.sub(r"\u00ad[ \t]*\n\s*", "", text)  # a soft hyphen at a line end is a typesetting break
    text = _CONTROL.sub("", text)
    text = _CID.sub("", text)
    text = text.replace("\ufffd", "")
    text = rejoin_hyphens(text, vocabulary)
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def page_vocabulary(texts) -> set[str]:
    """Return the lowercased words (hyphenated ones whole) that occur unbroken inside lines of these texts."""
    words: set[str] = set()
    for text in texts:
        for line in unicodedata.normalize("NFKC", text).translate(_HYPHENS).splitlines():
            words.update(w.lower() for w in _WORD.findall(line.rstrip("-")))
    return words


def rejoin_hyphens(text: str, vocabulary: frozenset[str] | set[str] = frozenset()) -> str:
    """Rejoin words hyphenated at a line end; keep real and suspended hyphens ("Noord-Holland", "beveiligings- en")."""
    return _LINE_END_HYPHEN.sub(lambda m: _rejoin(m, vocabulary), text)


def _rejoin(m: re.Match, vocabulary) -> str:
    # Across a blank line (another text box: the next column, a table cell) before a capital, the hyphen ends a
    # box and a new sentence starts: "even-" + "Een meerderheid" stays apart (issue 14).
    if m.group(2).count("\n") >= 2 and m.group(3)[0].isupper():
        return m.group(0)
    return _join(m.group(1), m.group(3), vocabulary)


def _join(left: str, right: str, vocabulary) -> str:
    head = left.rsplit("-", 1)[-1]
    tail = right.split("-", 1)[0]
    if right.lower() in SUSPENSION_WORDS:
        return f"{left}- {right}"
    if any(c.isdigit() for c in head):  # "2019-2020", "COVID-19-maatregelen"
        return f"{left}-{right}"
    if "-" in left or "-" in right:  # part of a chain such as "up-to-date" or "Noord-Brabants-"
        return f"{left}-{right}"
    if tail[0].isupper() and not (head.isupper() and tail.isupper()):
        return f"{left}-{right}"  # "Noord-Holland", "anti-Amerikaans"
    joined, hyphenated = (head + tail).lower(), f"{head}-{tail}".lower()
    if joined in vocabulary:
        return left + right
    if hyphenated in vocabulary:
        return f"{left}-{right}"
    if is_known_word(joined):
        return left + right
    if head[-1].lower() in _VOWELS and tail[0].lower() in _VOWELS:
        return f"{left}-{right}"  # Dutch writes a hyphen where vowels clash: "politie-inzet", "zee-egel"
    return left + right  # most line-end hyphens in Dutch text break a single (compound) word


@functools.lru_cache(maxsize=65536)
def is_known_word(word: str) -> bool:
    """Tell whether a word occurs in the Dutch or English word frequency lists (wordfreq)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "nl") > 0 or zipf_frequency(word, "en") > 0


def is_garbage(raw: str) -> bool:
    """Tell whether a page's raw text is mostly unmapped glyphs ((cid:NN), U+FFFD, private use) rather than text."""
    chars = [c for c in raw if not c.isspace()]
    if not chars:
        return False
    cid = sum(len(m) for m in _CID.findall(raw))
    bad = cid + sum(1 for c in chars if c == "\ufffd" or unicodedata.category(c) in ("Co", "Cs"))
    return bad >= 0.2 * len(chars)


def letter_count(text: str) -> int:
    """Count the letters in a text (to tell an empty or image-only page from one with a text layer)."""
    return sum(1 for c in text if c.isalpha())
