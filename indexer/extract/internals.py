"""The one module that reproduces pdfminer's internals: its interpreter loop, character making, line grouping."""
from __future__ import annotations

import functools
import logging

import pdfminer
from pdfminer import settings as pdfminer_settings
from pdfminer.converter import PDFLayoutAnalyzer
from pdfminer.layout import LTAnno, LTChar, LTTextLineHorizontal
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.psparser import PSKeyword, keyword_name
from pdfminer.pdftypes import stream_value

from .contentstream import content_objects

log = logging.getLogger("kennisbank.extract")

# The pdfminer.six release whose parser (psparser, pdfinterp.PDFContentParser), interpreter loop
# (PDFPageInterpreter.execute), character making (PDFTextDevice.render_string_horizontal, PDFLayoutAnalyzer.render_char,
# LTChar) and line grouping (LTLayoutContainer.group_objects, LTTextLineHorizontal.add) this module and
# indexer.extract.contentstream reproduce; setup.cfg pins pdfminer.six to it at most. On any other release every
# class here behaves as pdfminer's own (same text, slower), and a warning is logged once.
WRITTEN_FOR = "20260107"
ENABLED = True  # tests and bench/content_sameness.py switch the fast paths off to compare with pdfminer's own


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


class Char(LTChar):
    """An LTChar made by render_string_horizontal, with the same attributes (its text in a public one): pdfminer,
    and this project, read characters through isinstance(obj, LTChar) and get_text()."""

    def get_text(self) -> str:
        return self.text


def render_string_horizontal(device, seq, matrix, pos, font, fontsize, scaling, charspace, wordspace, rise, dxscale,
                             ncs, graphicstate) -> tuple | None:
    """For a PDFLayoutAnalyzer (device): the characters of a horizontal string made as pdfminer's
    render_string_horizontal, render_char and LTChar.__init__ make them (the same floats by the same operations), in
    one loop, with each font's text and width per character id looked up once. None where pdfminer's own should
    make them (the fast path off, render_char overridden, or something in seq that pdfminer warns about)."""
    if (not enabled() or type(device).render_char is not PDFLayoutAnalyzer.render_char
            or not all(isinstance(obj, (int, float, bytes)) for obj in seq)):
        return None
    fonts = device.__dict__.setdefault("glyphs_by_font", {})
    glyphs = fonts.get(font)
    if glyphs is None:
        glyphs = fonts[font] = {}
    made: list = []
    add = made.append
    new = Char.__new__
    fontname = font.fontname
    (a, b, c, d, e, f) = matrix
    upright = a * d * scaling > 0 and b * c <= 0
    descent = font.get_descent() * fontsize
    (x, y) = pos
    needcharspace = False
    try:
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
                    glyph = glyphs[cid] = _glyph(device, font, cid)
                (text, textwidth) = glyph
                # utils.translate_matrix, LTChar.__init__ (horizontal), utils.apply_matrix_rect, LTComponent.set_bbox
                te = x * a + y * c + e
                tf = x * b + y * d + f
                item = new(Char)
                item.text = text
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
    finally:  # what was made is added, as pdfminer adds each character when it is made
        container = device.cur_item
        if hasattr(container, "add_all"):  # indexer.extract.boxorder's Page and Figure
            container.add_all(made)
        else:
            for item in made:
                container.add(item)
    return (x, y)


def _glyph(device, font, cid: int) -> tuple:
    """A character's text and width, as pdfminer's render_char finds them."""
    try:
        text = font.to_unichr(cid)
        assert isinstance(text, str), str(type(text))
    except PDFUnicodeNotDefined:
        text = device.handle_undefined_char(font, cid)
    return text, font.char_width(cid)


def group_objects(laparams, chars: list):
    """Yield the text lines of a page's characters as pdfminer's LTLayoutContainer.group_objects does without
    vertical text (laparams.detect_vertical off): its tests written out, the same comparisons of the same floats."""
    line_overlap, char_margin, word_margin = laparams.line_overlap, laparams.char_margin, laparams.word_margin
    obj0 = None
    members: list = []
    for obj1 in chars:
        if obj0 is not None:
            # obj0.is_voverlap(obj1) and min(heights) * line_overlap < obj0.voverlap(obj1)
            #     and obj0.hdistance(obj1) < max(widths) * char_margin
            halign = (obj1.y0 <= obj0.y1 and obj0.y0 <= obj1.y1
                      and min(obj0.height, obj1.height) * line_overlap
                      < min(abs(obj0.y0 - obj1.y1), abs(obj0.y1 - obj1.y0))
                      and (0 if obj1.x0 <= obj0.x1 and obj0.x0 <= obj1.x1 else
                           min(abs(obj0.x0 - obj1.x1), abs(obj0.x1 - obj1.x0)))
                      < max(obj0.width, obj1.width) * char_margin)
            if halign and members:
                members.append(obj1)
            elif members:
                yield Line(word_margin, members)
                members = []
            elif halign:
                members = [obj0, obj1]
            else:
                yield Line(word_margin, [obj0])
        obj0 = obj1
    yield Line(word_margin, members or [obj0])


class Line(LTTextLineHorizontal):
    """An LTTextLineHorizontal made with its characters at once: the word spaces and bounding box that
    LTTextLineHorizontal.add, adding them one by one, gives it."""

    def __init__(self, word_margin: float, chars: list) -> None:
        super().__init__(word_margin)
        objs = self._objs
        (x0, y0, x1, y1), last = self.bbox, self._x1
        for obj in chars:
            if word_margin and last < obj.x0 - word_margin * max(obj.width, obj.height):
                objs.append(LTAnno(" "))
            last = obj.x1
            objs.append(obj)
            x0, y0, x1, y1 = min(x0, obj.x0), min(y0, obj.y0), max(x1, obj.x1), max(y1, obj.y1)
        self._x1 = last
        self.set_bbox((x0, y0, x1, y1))
