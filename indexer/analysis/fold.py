"""The one accent fold, used by the analyzer, the compound splitter, suggestions and autocomplete alike."""
from __future__ import annotations

import unicodedata

# Letters that Unicode decomposition leaves alone but a searcher types without thinking.
_EXTRA_FOLDS = str.maketrans({"æ": "ae", "œ": "oe", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ð": "d",
                              "þ": "th", "ı": "i", "ĳ": "ij", "Æ": "AE", "Œ": "OE", "Ø": "O", "Ł": "L"})


def fold_text(text: str) -> str:
    """Strip every diacritic and expand ligatures: "crèche" -> "creche", "ﬁnanciën" -> "financien"."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_EXTRA_FOLDS)


def fold(text: str) -> str:
    """Lowercase and fold, as the analyzer sees a word: "Straße" -> "strasse", "Coördinator" -> "coordinator"."""
    return fold_text(text.lower())
