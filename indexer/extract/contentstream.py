"""pdfminer's content-stream parser reproduced: one regex over a page's decoded streams, the same objects out."""
from __future__ import annotations

import re

from pdfminer.psparser import (KEYWORD_ARRAY_BEGIN, KEYWORD_ARRAY_END, KEYWORD_DICT_BEGIN, KEYWORD_DICT_END,
                               KEYWORD_PROC_BEGIN, KEYWORD_PROC_END, KWD, LIT, PSKeyword, literal_name)

# content_objects yields what pdfminer.pdfinterp.PDFContentParser.nextobject (psparser.PSBaseParser's tokeniser,
# PSStackParser's arrays and dicts) yields for pdfminer.six 20260107; indexer.extract.internals checks the release.
BUFSIZ = 4096  # pdfminer reads a content stream in pieces of this size (PSBaseParser.BUFSIZ)
# One token at a time, after white space (PDF white space as Python's bytes \s, plus NUL, which pdfminer skips
# between tokens) and comments. Groups, as pdfminer's _parse_main tells them apart by their first byte:
#  1 a number, a keyword (true, false and operators) or a name: the bytes of the whole token
#  2 a literal string without nested parentheses (its content; escapes still in it)
#  3 "(" that starts a string with nested parentheses, read by _nested_string
#  4 "<<"   5 a hex string's content (the byte after it is left for the next token, as pdfminer does)
#  6 ">>" or ">" (pdfminer drops a lone ">")   7 any other byte: a one-byte keyword such as [ ] { } ' "
#  8 the end of the data
_NAME = rb"[^#/%\[\]()<>{}\s]"
_TOKEN = re.compile(
    rb"[\s\x00]*(?:%[^\r\n]*[\s\x00]*)*(?:"
    rb"([-+0-9][0-9]*(?:\.[0-9]*)?|\.[0-9]*|[A-Za-z]" + _NAME + rb"*|/" + _NAME +
    rb"*(?:#[0-9a-fA-F]{0,2}" + _NAME + rb"*)*)"
    rb"|\(([^()\\]*(?:\\[\s\S][^()\\]*)*)\)"
    rb"|(\()|(<<)|<([\s0-9a-fA-F]*)|(>>?)|([\s\S])|(\Z))")
_STRING_SPECIAL = re.compile(rb"[()\\]")
_ESCAPE = re.compile(rb"\\(?:([0-7]{1,3})|(\r\n)|([\s\S]))")
_ESCAPES = {b"b": b"\b", b"t": b"\t", b"n": b"\n", b"f": b"\f", b"r": b"\r", b"(": b"(", b")": b")",
            b"\\": b"\\"}
_NAME_HEX = re.compile(rb"#([0-9a-fA-F]{0,2})")
_SPACE = b" \t\n\r\f\v"
_NOTHING = object()  # a token pdfminer reads and drops ("-", ".", "+.")
_BI, _ID = KWD(b"BI"), KWD(b"ID")
_CLOSERS = {KEYWORD_ARRAY_END: "a", KEYWORD_DICT_END: "d", KEYWORD_PROC_END: "p"}
_OPENERS = {KEYWORD_ARRAY_BEGIN: "a", KEYWORD_DICT_BEGIN: "d", KEYWORD_PROC_BEGIN: "p"}
_MEMO_LIMIT = 200_000


class Unsure(Exception):
    """The content holds something this module does not reproduce with certainty: pdfminer's parser reads it."""


_memo: dict = {}  # token bytes -> what pdfminer makes of it (number, bool, PSKeyword, PSLiteral or _NOTHING)


def _word(token: bytes):
    """What pdfminer's tokeniser makes of a number, keyword or name (group 1 of _TOKEN)."""
    first = token[:1]
    if first == b"/":
        name = token[1:]
        if b"#" in name:
            name = _NAME_HEX.sub(lambda m: bytes((int(m[1], 16),)) if m[1] else b"", name)
        try:
            return LIT(str(name, "utf-8"))
        except UnicodeDecodeError:
            return LIT(name)
    if first.isalpha():
        if token == b"true":
            return True
        if token == b"false":
            return False
        return KWD(token)
    try:
        return float(token) if b"." in token else int(token)
    except ValueError:
        return _NOTHING


def _string(content: bytes, start: int) -> bytes:
    """A literal string's bytes from its content (escapes resolved as pdfminer's _parse_string_1 does)."""
    if b"\\" not in content:
        return content
    if b"\\\r\n" in content:
        for m in _ESCAPE.finditer(content):
            # pdfminer looks for the \n of an escaped \r\n only inside the piece it read: at a piece's end it keeps it
            if m[2] and (start + m.start() + 1) % BUFSIZ == BUFSIZ - 1:
                raise Unsure("escaped line end across a read boundary")
    return _ESCAPE.sub(_unescape, content)


def _unescape(m) -> bytes:
    if m[1]:
        code = int(m[1], 8)
        if code > 255:
            raise Unsure("octal escape over 255")  # pdfminer fails an assertion here
        return bytes((code,))
    if m[2]:
        return b""
    return _ESCAPES.get(m[3], b"")


def _nested_string(data: bytes, start: int) -> int:
    """The end (after its closing parenthesis) of the string whose "(" is at start; Unsure when it is unclosed."""
    depth, pos = 1, start + 1
    while True:
        m = _STRING_SPECIAL.search(data, pos)
        if m is None:
            raise Unsure("string not closed in its stream")
        at = m.start()
        char = data[at]
        if char == 92:  # backslash: the next byte never opens or closes
            pos = at + 2
            if pos > len(data):
                raise Unsure("string not closed in its stream")
            continue
        depth += 1 if char == 40 else -1
        pos = at + 1
        if not depth:
            return pos


def _hex(content: bytes) -> bytes:
    digits = content.translate(None, _SPACE)
    if len(digits) % 2:
        return bytes.fromhex(digits[:-1].decode()) + bytes((int(digits[-1:], 16),))
    return bytes.fromhex(digits.decode())


def content_objects(datas: list[bytes]) -> list:
    """The objects pdfminer's PDFContentParser.nextobject yields for the content streams of a page, in order:
    operands (numbers, bools, names, strings, lists, dicts) and operators (PSKeyword). Unsure where the content
    holds what this function does not reproduce with certainty (inline images, a token across two streams, ...)."""
    memo = _memo
    if len(memo) > _MEMO_LIMIT:
        memo.clear()
    out: list = []
    cur = out  # where the next object goes: the page's list, or an open array, dict or procedure
    curtype = None
    context: list = []
    for data in datas:
        end = len(data)
        pos = 0
        while True:
            for m in _TOKEN.finditer(data, pos):
                kind = m.lastindex
                if kind == 1:
                    token = m[1]
                    obj = memo.get(token)
                    if obj is None:
                        obj = memo[token] = _word(token)
                    if m.end() == end and token[:1] == b"/" and (len(token) == 1 or b"#" in token):
                        raise Unsure("name across the end of a stream")
                    if obj is _NOTHING:
                        continue
                    if obj is _BI or obj is _ID:
                        raise Unsure("inline image")
                elif kind == 2:
                    obj = _string(m[2], m.start(2))
                elif kind == 5:
                    if m.end() == end:
                        raise Unsure("hex string across the end of a stream")
                    obj = _hex(m[5])
                elif kind == 6:
                    if m[6] == b">":
                        if m.end() == end:
                            raise Unsure("'>' at the end of a stream")
                        continue
                    obj = KEYWORD_DICT_END
                elif kind == 7:
                    obj = KWD(m[7])
                elif kind == 4:
                    obj = KEYWORD_DICT_BEGIN
                elif kind == 8:
                    pos = end
                    break
                else:  # kind 3: a string with nested parentheses
                    pos = _nested_string(data, m.start(3))
                    cur.append(_string(data[m.start(3) + 1:pos - 1], m.start(3) + 1))
                    break
                if obj.__class__ is PSKeyword:
                    opened = _OPENERS.get(obj)
                    if opened is not None:
                        context.append((curtype, cur))
                        curtype, cur = opened, []
                        continue
                    closed = _CLOSERS.get(obj)
                    if closed is not None:
                        if closed != curtype:
                            continue  # pdfminer drops a closer that does not match (PSTypeError, not strict)
                        objs = cur
                        curtype, cur = context.pop()
                        if closed == "d":
                            if len(objs) % 2:
                                raise Unsure("dict with an odd number of objects")  # pdfminer raises
                            obj = {literal_name(k): v for k, v in zip(objs[::2], objs[1::2]) if v is not None}
                        else:
                            obj = objs
                cur.append(obj)
            else:
                pos = end
            if pos >= end:
                break
    return out  # objects of arrays or dicts left open at the end are dropped, as by pdfminer
