"""The Dutch analyzer: inflected forms, accents and footnote stars meet at index and query time."""
from __future__ import annotations

import pytest

from indexer.analysis import dutch_analyzer


def terms(text: str) -> list[str]:
    return [t.text for t in dutch_analyzer()(text)]


@pytest.mark.parametrize("a, b", [
    ("gemeente", "gemeenten"),
    ("handreiking", "handreikingen"),
    ("coordinator", "Coördinator"),
    ("gemeenten", "gemeenten*"),
    ("Israel", "Israël"),
    ("ordeverstoring", "ordeverstoringen"),
])
def test_forms_meet(a, b):
    assert terms(a) == terms(b)


def test_dutch_stop_words_go_english_words_stay():
    assert terms("de gemeente en het beleid") == terms("gemeente beleid")
    assert terms("have") != []  # "have" is not a Dutch stop word


def test_een_with_accents_is_not_the_stop_word():
    # Accent folding runs after the stop filter, so "één" (one) survives while "een" (a) is dropped.
    assert terms("één") != []
    assert terms("een") == []
