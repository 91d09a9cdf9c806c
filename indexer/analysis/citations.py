"""Legal citations read from text: "artikel 10, tweede lid, aanhef en onder e, van de Wob" is art. 10 lid 2 sub e Wob.

find_citations() yields each citation with its article, paragraph (lid), items (sub/onder) and law. Its terms are
hierarchical ("§10§", "§10§2§", "§10§2§e§"), and with a named law also scoped ("wob§10§2§e§"), so a search for
"artikel 10" finds every article 10 and "artikel 10 lid 2 sub e" only item e. Laws come from data/laws.txt.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Iterator

from .fold import fold_text

ORDINALS = {
    "eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "vijfde": 5, "zesde": 6, "zevende": 7, "achtste": 8,
    "negende": 9, "tiende": 10, "elfde": 11, "twaalfde": 12, "dertiende": 13, "veertiende": 14, "vijftiende": 15,
    "zestiende": 16, "zeventiende": 17, "achttiende": 18, "negentiende": 19, "twintigste": 20,
}
_ORDINAL = "|".join(sorted(ORDINALS, key=len, reverse=True))
MARK = "§"  # separates the parts of a citation term; no word holds it, and no filter of the analyzers changes it


@dataclass(frozen=True)
class Law:
    """One law of data/laws.txt: its key in terms, the name the facet shows, and every form that names it."""

    key: str
    name: str
    forms: tuple[str, ...]


@dataclass(frozen=True)
class Citation:
    """One citation in a text: characters start..end, article, paragraph, items and the law's key (or "")."""

    start: int
    end: int
    article: str
    lid: str = ""
    subs: tuple[str, ...] = ()
    law: str = ""
    label: bool = False  # the compact form ("10.2.e") of inventories and redaction marks, not a sentence citing it

    def paths(self) -> list[tuple[str, ...]]:
        """Return the citation's levels, widest first: (article,), (article, lid), (article, lid, item) per item."""
        out = [(self.article,)]
        if self.lid:
            out.append((self.article, self.lid))
        out += [(self.article, self.lid, sub) for sub in self.subs]
        return out

    def terms(self) -> list[str]:
        """Return the index terms of the citation: every level without law, and with its law when one is named."""
        out = [term(path) for path in self.paths()]
        if self.law:
            out += [term(path, self.law) for path in self.paths()]
        return out


def term(path: tuple[str, ...], law: str = "") -> str:
    """Return the term of one citation level: "§10§2§e§", or "wob§10§2§e§" within a law."""
    return law + MARK + MARK.join(path) + MARK


def display(path: tuple[str, ...], law: str = "") -> str:
    """Return a level as people write it: "art. 10 lid 2 sub e Wob" (law by its key, named from data/laws.txt)."""
    parts = [f"art. {path[0]}"]
    if len(path) > 1 and path[1]:
        parts.append(f"lid {path[1]}")
    if len(path) > 2:
        parts.append(f"sub {path[2]}")
    if law:
        known = laws_by_key().get(law)
        parts.append(known.name if known else law)
    return " ".join(parts)


def parse_term(text: str) -> tuple[tuple[str, ...], str] | None:
    """Return (path, law key) of a citation term, or None for any other term."""
    if MARK not in text or not text.endswith(MARK):
        return None
    law, _, rest = text.partition(MARK)
    path = tuple(rest[:-1].split(MARK))
    return (path, law) if path and path[0] and len(path) <= 3 else None


# ---------------------------------------------------------------- laws

_lock = threading.Lock()
_laws: tuple[tuple[Law, ...], "re.Pattern"] | None = None


def law_key(name: str) -> str:
    """Return the key of a law's name in terms: its folded letters and digits ("Wet veiligheidsregio's": ...)."""
    return re.sub(r"[^a-z0-9]", "", fold_text(name.lower()))


def parse_laws(text: str) -> tuple[Law, ...]:
    """Parse the lines of a laws file (forms separated by " | ", the first one the name); raise ValueError."""
    laws, seen = [], {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        forms = tuple(f.strip() for f in line.split("|") if f.strip())
        key = law_key(forms[0]) if forms else ""
        if not key:
            raise ValueError(f"regel {number}: geen naam van een wet")
        for form in forms:
            folded = " ".join(fold_text(form.lower()).split())
            if folded in seen and seen[folded] != key:
                raise ValueError(f"regel {number}: '{form}' hoort al bij een andere wet")
            seen[folded] = key
        laws.append(Law(key=key, name=forms[0], forms=forms))
    return tuple(laws)


def _form_pattern(form: str) -> str:
    out = []
    for ch in form:
        plain = fold_text(ch)
        if ch.isspace():
            out.append(r"\s+")
        elif plain != ch and len(plain) == 1:
            out.append(f"[{re.escape(ch)}{re.escape(plain)}]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _load() -> tuple[tuple[Law, ...], "re.Pattern"]:
    global _laws
    with _lock:
        if _laws is None:
            text = resources.files(__package__).joinpath("data/laws.txt").read_text(encoding="utf-8")
            laws = parse_laws(text)
            forms = sorted(((f, law.key) for law in laws for f in law.forms), key=lambda p: -len(p[0]))
            pattern = re.compile("|".join(f"(?:{_form_pattern(f)})" for f, _ in forms), re.IGNORECASE)
            _laws = (laws, pattern)
    return _laws


def laws_by_key() -> dict[str, Law]:
    """Return the laws of data/laws.txt by key."""
    return {law.key: law for law in _load()[0]}


def law_of(form: str) -> str:
    """Return the key of the law a written form names ("Algemene wet bestuursrecht" -> "awb"), or ""."""
    folded = " ".join(fold_text(form.lower()).split())
    for law in _load()[0]:
        if any(" ".join(fold_text(f.lower()).split()) == folded for f in law.forms):
            return law.key
    return ""


# ---------------------------------------------------------------- finding citations

_NUMBER = r"\d{1,4}(?:[.:]\d{1,3}){0,2}(?:[a-z]{1,2}(?!\w)|\s?(?:bis|ter|quater|quinquies)(?!\w))?"
_ITEM = r"(?:[a-z]|\d{1,2}°?)(?![\w°])"
_SEP = r"(?:\s*,\s*|\s+)"
_LID = (rf"(?:(?:lid|leden)\s*(?P<lid_n>\d{{1,2}})(?![\d.,]\d)"
        rf"|(?P<lid_o>{_ORDINAL})\s*lid|(?P<lid_e>\d{{1,2}})(?:e|de|ste)\s+lid)(?!\w)")
_SUB = rf"(?:aanhef\s+en\s+)?(?:sub|onder|onderdeel|letter)\s+(?P<subs>{_ITEM}(?:\s*(?:,|en|of)\s*{_ITEM})*)"
# The compact form of inventories and redaction marks: "10.2.e" (art. 10 lid 2 sub e), "5.1.2.e" (art. 5.1 lid 2).
def _compact(name: str) -> str:
    return rf"(?P<{name}_nums>\d{{1,3}}(?:\.\d{{1,2}}){{1,2}})\.(?P<{name}_sub>[a-i])(?![\w]|\.\w)"
_NUMBERED = re.compile(r"(?:versie|paragraaf|par\.|hoofdstuk|bijlage|nr\.|nummer|punt|§)\s*$", re.IGNORECASE)
# At most one line break between "artikel" and its number: a table header "artikel" over a numbered list is none.
_PREFIX = r"(?<![\w.§])(?:artikel(?:en)?|artt?\.|art(?=\s*\d))[^\S\n]*\n?[^\S\n]*"


def _citation_pattern(law_alternatives: str) -> "re.Pattern":
    law = rf"(?:{_SEP}?(?:van\s+(?:de|het|der)\s+)?(?P<law>{law_alternatives})(?![\w']))"
    # Every citation starts with "a" (artikel, art.) or a digit (10.2.e): tested once, in front, so the search
    # skips other places twice as fast.
    return re.compile(
        rf"(?=[a\d])(?:{_PREFIX}(?:{_compact('c')}|(?P<art>{_NUMBER})(?:{_SEP}{_LID})?(?:{_SEP}{_SUB})?){law}?"
        rf"|(?<![\w.§/-]){_compact('b')}(?:\s*,?\s*(?P<law2>{law_alternatives})(?![\w']))?)",
        re.IGNORECASE)


_pattern: "re.Pattern | None" = None


def prepare() -> None:
    """Compile the citation pattern now: 40 ms, or 60-130 ms in a freshly forked worker, where a process that
    forks its writers compiles it once for all of them (indexer.index.parallel)."""
    _citations()


def _citations() -> "re.Pattern":
    global _pattern
    if _pattern is None:
        _pattern = _citation_pattern(_load()[1].pattern)
    return _pattern


def find_citations(text: str) -> Iterator[Citation]:
    """Yield every legal citation of a text, in order."""
    for _start, _end, citation in citation_matches(text):
        if citation is not None:
            yield citation


def citation_matches(text: str) -> Iterator[tuple[int, int, Citation | None]]:
    """Yield (start, end, citation) for every match of the citation pattern, with None where it is no citation."""
    if not text:
        return
    for m in _citations().finditer(text):
        law_text = m.group("law") or m.group("law2")
        law = law_of(law_text) if law_text else ""
        compact = m.group("c_nums") or m.group("b_nums")
        if m.group("b_nums") and _NUMBERED.search(text, max(0, m.start() - 20), m.start()):
            yield m.start(), m.end(), None  # "versie 1.2.3.a", "paragraaf 4.1.2.b": a numbered part, not a citation
            continue
        if compact:
            nums, sub = compact.split("."), (m.group("c_sub") or m.group("b_sub")).lower()
            yield m.start(), m.end(), Citation(m.start(), m.end(), ".".join(nums[:-1]), nums[-1], (sub,), law,
                                               label=True)
            continue
        article = _clean_number(m.group("art"))
        lid = m.group("lid_n") or m.group("lid_e") or ""
        if m.group("lid_o"):
            lid = str(ORDINALS[m.group("lid_o").lower()])
        items = re.split(r"\s*,\s*|\s+(?:en|of)\s+", m.group("subs") or "", flags=re.IGNORECASE)
        subs = tuple(dict.fromkeys(s.lower().rstrip("°") for s in items if s))
        yield m.start(), m.end(), Citation(m.start(), m.end(), article, lid.lstrip("0") or lid, subs, law)


def _clean_number(number: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", number)).lower()
