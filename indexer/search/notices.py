"""What the results page says about the query itself: words that were not searched, and widening that found nothing."""
from __future__ import annotations

import re

from .synonyms import Expansion

# A word as the user typed it, without operators, field names, quotes and wildcards around it.
_FIELD = re.compile(r"^[^\W\d_]\w*:")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "EN", "OF", "NIET", "ENNIET"}
_EDGES = "\"'()*?+-^~.,;!"


def ignored_words(text: str, analyzer) -> list[str]:
    """Return the words of a query that analysis drops entirely (single characters, stop words), in typed order.

    A word counts as searched when any part of it survives ("wob-verzoek", "art.10"); operators are not words.
    """
    ignored: list[str] = []
    for raw in text.split():
        word = _FIELD.sub("", raw).strip(_EDGES)
        if not word or raw in _OPERATORS:
            continue
        if "*" in raw or "?" in raw:
            continue  # a wildcard word is expanded, never dropped
        if not any(True for _ in analyzer(word, mode="query")) and word.lower() not in (w.lower() for w in ignored):
            ignored.append(word)
    return ignored


def _listing(words: list[str]) -> str:
    quoted = [f"“{w}”" for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " en " + quoted[-1]


def ignored_notice(words: list[str]) -> str | None:
    """Return the Dutch sentence naming the words that were not searched, or None."""
    if not words:
        return None
    if len(words) == 1:
        return (f"Het woord {_listing(words)} is niet gezocht: losse tekens, getallen van één cijfer en veelvoorkomende "
                "woorden als “de” en “van” tellen niet mee.")
    return (f"De woorden {_listing(words)} zijn niet gezocht: losse tekens, getallen van één cijfer en veelvoorkomende "
            "woorden als “de” en “van” tellen niet mee.")


def widened_notice(expansion: Expansion, found: bool) -> str | None:
    """Return the sentence about abbreviations and synonyms; with nothing found it must not read as a success."""
    notice = expansion.notice()
    if notice is None or found:
        return notice
    parts = "; ".join(f"{typed} ook als " + " of ".join(f"“{o}”" for o in others)
                      for typed, others in expansion.widened)
    return f"Ook verbreed met afkortingen en synoniemen ({parts}) is niets gevonden."
