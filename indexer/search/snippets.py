"""Snippets: the query's words marked with <mark> in summaries and page text, everything else HTML-escaped."""
from __future__ import annotations

import html
from bisect import bisect_right
from itertools import groupby

from whoosh import highlight
from whoosh.analysis import Token

from .passages import Passage, Seen, passages


class MarkFormatter(highlight.HtmlFormatter):
    """Mark matched words with <mark> (text around them is HTML-escaped by the base class)."""

    def __init__(self):
        super().__init__(tagname="mark", between=" … ")

    def format_token(self, text, token, replace=False):
        return f"<mark>{highlight.htmlescape(highlight.get_text(text, token, replace))}</mark>"


def strip_marks(snippet: str) -> str:
    """Return a snippet's plain text: marks dropped, HTML entities read back."""
    return html.unescape(snippet.replace("<mark>", "").replace("</mark>", ""))


def escape(text: str) -> str:
    """Return text with HTML special characters escaped."""
    return highlight.htmlescape(text)


SUMMARY_WHOLE = 400


def summary_fragmenter(summary: str):
    """Mark a short summary whole; cut a long one to the best passage (two could overlap and repeat words)."""
    if len(summary) <= SUMMARY_WHOLE:
        return highlight.WholeFragmenter()
    return highlight.ContextFragmenter(maxchars=300, surround=80)


def doc_snippet(hit) -> str:
    """Return the summary with query words marked, or its start when no word is in it."""
    summary = hit.get("summary") or ""
    try:
        hit.results.formatter = MarkFormatter()
        hit.results.fragmenter = summary_fragmenter(summary)
        marked = hit.highlights("summary", top=1)
    except Exception:
        marked = ""
    return marked or preview(summary)


def highlight_retokenized(text: str, words, analyzer, fragmenter, top: int) -> str:
    """Mark the words in a text by analysing it again, as Whoosh's Highlighter does for fields without chars."""
    tokens = analyzer(text, positions=True, chars=True, mode="index", removestops=False)
    tokens = highlight.set_matched_filter(tokens, frozenset(words))
    tokens = merge_matched(tokens)
    fragments = fragmenter.fragment_tokens(text, tokens)
    fragments = highlight.top_fragments(fragments, top, highlight.BasicFragmentScorer(), highlight.FIRST, minscore=1)
    return MarkFormatter().format(fragments)


def page_snippet(text: str, chars: dict, seen: Seen, maxchars: int = 240, surround: int = 70) -> str:
    """Mark words at their stored character positions in the best one or two passages of a page.

    The passages (indexer.search.passages) are sentences of running text, or single lines of a table, list or
    heading: a snippet never glues table cells together. A sentence of running text is preferred to a cell or a
    junk line with the same words; a passage the result already shows (in `seen`, which this updates) is skipped.
    The second passage is shown only when it holds a query word the first lacks.
    """
    tokens = []
    for word, positions in chars.items():
        for _pos, startchar, endchar in positions:
            if endchar <= len(text):
                tokens.append(Token(text=word, startchar=startchar, endchar=endchar))
    tokens.sort(key=lambda t: t.startchar)
    tokens = [max(group, key=lambda t: t.endchar - t.startchar) for _, group in groupby(tokens, lambda t: t.startchar)]
    if not tokens:
        return ""
    parts = passages(text, [t.startchar for t in tokens])
    starts = [p.start for p in parts]
    held: dict[int, list] = {}
    for t in tokens:
        i = bisect_right(starts, t.startchar) - 1
        if i < 0 or t.startchar >= parts[i].end:
            continue
        if t.endchar > parts[i].end:
            # A match that runs past its line (a citation wrapped over two table lines) takes the rest along.
            parts[i] = Passage(parts[i].start, t.endchar, parts[i].clean)
        held.setdefault(i, []).append(t)
    # What each passage would show (cut around its matches), unless the result shows that already.
    shown = {i: _fragment(text, parts[i], found, maxchars, surround) for i, found in held.items()}
    shown = {i: f for i, f in shown.items() if not seen.has(text[f.startchar:f.endchar])}
    ranked = sorted(shown, key=lambda i: (-_passage_score(parts[i], held[i]), i))
    if not ranked:
        return ""
    chosen = ranked[:1]
    words = {t.text for t in held[ranked[0]]}
    for i in ranked[1:]:
        if {t.text for t in held[i]} - words:
            chosen.append(i)
            break
    fragments = [shown[i] for i in sorted(chosen)]
    for f in fragments:
        seen.add(text[f.startchar:f.endchar])
    return MarkFormatter().format(fragments)


def _passage_score(passage: Passage, found: list) -> float:
    """Distinct query words count most, then matches; a sentence of running text beats a cell or junk line."""
    return (10 * len({t.text for t in found}) + len(found)) * (1.0 if passage.clean else 0.25)


def _fragment(text: str, passage: Passage, found: list, maxchars: int, surround: int) -> highlight.Fragment:
    """Return the passage as a fragment, cut to maxchars around its first match at word boundaries."""
    start, end = passage.start, passage.end
    if end - start > maxchars:
        start = max(start, found[0].startchar - surround)
        if start > passage.start:
            space = text.find(" ", start, found[0].startchar)
            start = space + 1 if space >= 0 else start
        end = min(end, start + maxchars)
        if end < passage.end:
            space = text.rfind(" ", max(start, found[0].endchar), end)
            end = space if space > 0 else end
    return highlight.Fragment(text, [t for t in found if start <= t.startchar and t.endchar <= end], start, end)


def merge_matched(tokens):
    """Yield the tokens with overlapping matched ones merged, so a compound and its parts are marked once."""
    pending = None
    for t in tokens:
        if t.matched and pending is not None and t.startchar <= pending.endchar:
            if t.endchar > pending.endchar:
                pending.text += t.text[pending.endchar - t.endchar:]
                pending.endchar = t.endchar
            continue
        if pending is not None:
            yield pending
            pending = None
        if t.matched:
            pending = t.copy()
        else:
            yield t
    if pending is not None:
        yield pending


def preview(text: str, limit: int = 300) -> str:
    """Return the start of a text, escaped, with an ellipsis when cut (the snippet when no word is in it)."""
    return escape(text[:limit] + ("…" if len(text) > limit else ""))
