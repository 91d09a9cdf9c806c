"""Snippets: the query's words marked with <mark> in summaries and page text, everything else HTML-escaped."""
from __future__ import annotations

from itertools import groupby

from whoosh import highlight
from whoosh.analysis import Token


class MarkFormatter(highlight.HtmlFormatter):
    """Mark matched words with <mark> (text around them is HTML-escaped by the base class)."""

    def __init__(self):
        super().__init__(tagname="mark", between=" … ")

    def format_token(self, text, token, replace=False):
        return f"<mark>{highlight.htmlescape(highlight.get_text(text, token, replace))}</mark>"


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


def highlight_pinpoint(text: str, chars: dict, fragmenter, top: int) -> str:
    """Mark words at their stored character positions, as Whoosh's Highlighter does for fields with chars."""
    charlimit = fragmenter.charlimit
    tokens = []
    for word, positions in chars.items():
        for pos, startchar, endchar in positions:
            if charlimit and endchar > charlimit:
                break
            tokens.append(Token(text=word, pos=pos, startchar=startchar, endchar=endchar))
    tokens.sort(key=lambda t: t.startchar)
    tokens = [max(group, key=lambda t: t.endchar - t.startchar) for _, group in groupby(tokens, lambda t: t.startchar)]
    fragments = fragmenter.fragment_matches(text, tokens)
    fragments = highlight.top_fragments(fragments, top, highlight.BasicFragmentScorer(), highlight.FIRST, minscore=1)
    return MarkFormatter().format(fragments)


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
