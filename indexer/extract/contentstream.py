"""The one module that reads pdfminer's internals: page content streams tokenised by one regex, operators by table."""
from __future__ import annotations

import functools
import logging
import re

import pdfminer
from pdfminer import settings as pdfminer_settings
from pdfminer.converter import PDFLayoutAnalyzer
from pdfminer.layout import LTChar
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.psparser import (KEYWORD_ARRAY_BEGIN, KEYWORD_ARRAY_END, KEYWORD_DICT_BEGIN, KEYWORD_DICT_END,
                               KEYWORD_PROC_BEGIN, KEYWORD_PROC_END, KWD, LIT, PSKeyword, keyword_name,
                               literal_name)
from pdfminer.pdftypes import stream_value

log = logging.getLogger("kennisbank.extract")

# The pdfminer.six release whose parser (psparser.PSBaseParser, PSStackParser, pdfinterp.PDFContentParser) and
# interpreter loop (PDFPageInterpreter.execute) this module reproduces; setup.cfg pins pdfminer.six to it at most.
# On any other release FastInterpreter is pdfminer's own interpreter, and a warning is logged once.
WRITTEN_FOR = "20260107"
ENABLED = True  # tests and the sameness check switch the fast path off to compare with pdfminer's own
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


def enabled() -> bool:
    """Tell whether the fast path may run: switched on, and the installed pdfminer.six is the release it copies."""
    return ENABLED and not pdfminer_settings.STRICT and release_supported(pdfminer.__version__)


@functools.lru_cache(maxsize=None)
def release_supported(release: str) -> bool:
    """Tell whether this module was written for a pdfminer.six release; say so once in the log when it was not."""
    if release == WRITTEN_FOR:
        return True
    log.warning("pdfminer.six %s is not %s: content streams are read by pdfminer's own parser (same text, slower)",
                release, WRITTEN_FOR)
    return False


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


class FastInterpreter(PDFPageInterpreter):
    """pdfminer's PDFPageInterpreter, its content streams read by content_objects and its operators looked up in a
    table per class instead of by name for each operator; a page content_objects is unsure of goes to pdfminer."""

    def execute(self, streams) -> None:
        if not enabled():
            return super().execute(streams)
        valid = []
        for obj in streams:
            stream = stream_value(obj)
            if stream.objid is None or stream.objid in self.parent_stream_ids:
                return super().execute(streams)  # pdfminer logs these and leaves them out
            valid.append(stream)
        try:
            objects = content_objects([stream.get_data() for stream in valid])
        except Exception:  # Unsure, or damaged data pdfminer may fail on at its own moment
            return super().execute(streams)
        self.stream_ids.clear()
        self.stream_ids.update(stream.objid for stream in valid)
        table = _operators(type(self))
        stack = self.argstack
        for obj in objects:
            if obj.__class__ is not PSKeyword:
                stack.append(obj)
                continue
            entry = table.get(obj)
            if entry is None:
                entry = table[obj] = _operator(type(self), obj)
            func, nargs = entry
            if func is None:
                continue
            if nargs:
                if len(stack) >= nargs:
                    args = stack[-nargs:]
                    del stack[-nargs:]
                    func(self, *args)
                else:
                    stack.clear()  # pdfminer pops what there is and skips the operator
                    continue
            else:
                func(self)
            stack = self.argstack  # operators such as sc pop by themselves (PDFPageInterpreter.pop makes a new list)


@functools.lru_cache(maxsize=None)
def _operators(cls) -> dict:
    return {}


def _operator(cls, keyword: PSKeyword) -> tuple:
    """The method pdfminer's execute calls for an operator, and how many operands it takes (None when none)."""
    name = keyword_name(keyword)
    method = "do_{}".format(name.replace("*", "_a").replace('"', "_w").replace("'", "_q"))
    func = getattr(cls, method, None)
    if func is None:
        return None, 0
    return func, func.__code__.co_argcount - 1


class FastChars:
    """For a PDFLayoutAnalyzer: the characters of a horizontal string made as pdfminer's render_string_horizontal,
    render_char and LTChar.__init__ make them (the same floats by the same operations), in one loop, with each
    font's text and width per character id looked up once."""

    def render_string_horizontal(self, seq, matrix, pos, font, fontsize, scaling, charspace, wordspace, rise, dxscale,
                                 ncs, graphicstate):
        if (not enabled() or type(self).render_char is not PDFLayoutAnalyzer.render_char
                or not all(isinstance(obj, (int, float, bytes)) for obj in seq)):  # pdfminer warns on the rest
            return super().render_string_horizontal(seq, matrix, pos, font, fontsize, scaling, charspace, wordspace,
                                                    rise, dxscale, ncs, graphicstate)
        fonts = self.__dict__.setdefault("glyphs_by_font", {})
        glyphs = fonts.get(font)
        if glyphs is None:
            glyphs = fonts[font] = {}
        add = self.cur_item.add
        new = LTChar.__new__
        fontname = font.fontname
        (a, b, c, d, e, f) = matrix
        upright = a * d * scaling > 0 and b * c <= 0
        descent = font.get_descent() * fontsize
        (x, y) = pos
        needcharspace = False
        for obj in seq:
            if isinstance(obj, (int, float)):
                x -= obj * dxscale
                needcharspace = True
                continue
            for cid in font.decode(obj):
                if needcharspace:
                    x += charspace
                glyph = glyphs.get(cid)
                if glyph is None:
                    glyph = glyphs[cid] = self._glyph(font, cid)
                (text, textwidth) = glyph
                # utils.translate_matrix, LTChar.__init__ (horizontal), utils.apply_matrix_rect, LTComponent.set_bbox
                te = x * a + y * c + e
                tf = x * b + y * d + f
                item = new(LTChar)
                item._text = text
                item.matrix = (a, b, c, d, te, tf)
                item.fontname = fontname
                item.ncs = ncs
                item.graphicstate = graphicstate
                item.adv = adv = textwidth * fontsize * scaling
                bx0, by0, bx1, by1 = (0, descent + rise, adv, descent + rise + fontsize)
                item.upright = upright
                left1, bottom1 = a * bx0 + c * by0 + te, b * bx0 + d * by0 + tf
                right1, bottom2 = a * bx1 + c * by0 + te, b * bx1 + d * by0 + tf
                right2, top1 = a * bx1 + c * by1 + te, b * bx1 + d * by1 + tf
                left2, top2 = a * bx0 + c * by1 + te, b * bx0 + d * by1 + tf
                x0 = min(left1, left2, right1, right2)
                y0 = min(bottom1, bottom2, top1, top2)
                x1 = max(left1, left2, right1, right2)
                y1 = max(bottom1, bottom2, top1, top2)
                item.x0, item.y0, item.x1, item.y1 = x0, y0, x1, y1
                item.width = x1 - x0
                item.height = item.size = y1 - y0
                item.bbox = (x0, y0, x1, y1)
                add(item)
                x += adv
                if cid == 32 and wordspace:
                    x += wordspace
                needcharspace = True
        return (x, y)

    def _glyph(self, font, cid: int) -> tuple:
        """A character's text and width, as pdfminer's render_char finds them."""
        try:
            text = font.to_unichr(cid)
            assert isinstance(text, str), str(type(text))
        except PDFUnicodeNotDefined:
            text = self.handle_undefined_char(font, cid)
        return text, font.char_width(cid)
