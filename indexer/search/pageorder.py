"""Which page of a document to show first: its score, weighed by place, and by words standing together in prose."""
from __future__ import annotations

# Each signal was measured alone and together on the real judged set (tests/relevance/real.py, 94 needs, 28 of
# them topic needs, 15 of which are answered on a later page of a long PDF); page@1 topic / overall:
#   place only (1 + 1/place):                                        0.786 / 0.872
#   + page kind alone, score x (1 - k + k x prose share), k 0.1-0.5: 0.750-0.821 / 0.862-0.883 (never better: a
#     need answered by a table row loses its page, and no need was won)
#   + proximity, ungated (a table row's words stand together too):  0.750-0.786 / 0.862-0.872
#   + proximity gated by page kind (below):                          0.857 / 0.894 (weights 1.5-3, power 2-3)
# So page kind is kept as what it proved to be worth: it tells whether words standing together are a sentence or
# heading of running text (worth a lot) or a table row, contents line or list item (worth nothing).
#
# Place: score x (1 + EARLY_PAGE_WEIGHT / place). A decision letter states what it is about on its first pages,
# while inventory lists and annexes further on repeat the same words in table rows. 0 -> 0.709, 1.0 -> 0.848 on
# the first 79 needs; 2.0 made citations fall; with proximity 0.5 and 1.5-2.0 lose topic needs.
EARLY_PAGE_WEIGHT = 1.0
# Proximity: score x (1 + PROXIMITY_WEIGHT x prose share x ((m - 1) / (n - 1)) ** PROXIMITY_POWER), m the most
# of the n query words that stand together somewhere on the page (within NEAR_SLACK extra words): all words
# together, as a phrase or heading, counts far more than two of three.
PROXIMITY_WEIGHT = 2.0
PROXIMITY_POWER = 2
NEAR_SLACK = 2
MAX_EVENTS = 4000  # word positions looked at per page (a page of a few thousand words holds them all)


def nearness(positions: dict[str, list[int]]) -> int:
    """Return the most distinct words that stand together: m words within m - 1 + NEAR_SLACK positions."""
    if len(positions) < 2:
        return len(positions)
    events = sorted((pos, word) for word, where in positions.items() for pos in where)[:MAX_EVENTS]
    widest = len(positions) - 1 + NEAR_SLACK
    best = 1
    for i, (start, _) in enumerate(events):
        seen: set[str] = set()
        for pos, word in events[i:]:
            if pos - start > widest:
                break
            seen.add(word)
            if len(seen) > best and pos - start <= len(seen) - 1 + NEAR_SLACK:
                best = len(seen)
        if best == len(positions):
            break
    return best


def page_weight(place: int, prose: float | None, near: int, words: int) -> float:
    """Return what a page's score is multiplied by.

    place: 1-based within the document; prose: share of running text 0..1 (indexer.extract.pagekind), None for an
    index without it (taken as prose); near: nearness() of its words; words: the query's distinct words.
    """
    weight = 1 + EARLY_PAGE_WEIGHT / place
    if words >= 2 and near >= 2:
        together = ((near - 1) / (words - 1)) ** PROXIMITY_POWER
        weight *= 1 + PROXIMITY_WEIGHT * together * (1.0 if prose is None else prose)
    return weight
