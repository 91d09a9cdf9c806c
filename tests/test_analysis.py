"""The Dutch analyzer: inflected forms, accents, compounds and footnote stars meet at index and query time."""
from __future__ import annotations

import pickle

import pytest
from whoosh.filedb.filestore import RamStorage

from whoosh.analysis import CompositeAnalyzer

from indexer.analysis import (DecompoundFilter, DutchStemFilter, FoldFilter, MemoAnalyzer, dutch_analyzer,
                              english_analyzer, fold_text, plain_analyzer)
from indexer.index.schema import build_schema
from indexer.search import build_vocabulary


def terms(text: str, mode: str = "query") -> list[str]:
    return [t.text for t in dutch_analyzer()(text, mode=mode)]


def index_tokens(text: str) -> list[tuple[str, int, int, int]]:
    """(text, position, startchar, endchar) of every token the index stores for a text."""
    return [(t.text, t.pos, t.startchar, t.endchar)
            for t in dutch_analyzer()(text, mode="index", positions=True, chars=True)]


@pytest.mark.parametrize("a, b", [
    ("gemeente", "gemeenten"),
    ("handreiking", "handreikingen"),
    ("coordinator", "Coördinator"),
    ("gemeenten", "gemeenten*"),
    ("Israel", "Israël"),
    ("ordeverstoring", "ordeverstoringen"),
    # Families the Snowball stemmer alone leaves apart (stems.txt brings them together).
    ("gemeente", "gemeentes"),
    ("polarisatie", "polarisaties"),
    ("extremisme", "extremist"),
    ("extremisme", "extremistisch"),
    ("extremisme", "extremistische"),
    ("extremisme", "extremisten"),
    ("terrorisme", "terroristen"),
])
def test_forms_meet(a, b):
    assert terms(a) == terms(b)


@pytest.mark.parametrize("plain, accented", [
    ("creche", "crèche"), ("a", "à"), ("facade", "façade"), ("enquete", "enquête"), ("financien", "ﬁnanciën"),
    ("aero", "ærø"), ("oeuvre", "œuvre"), ("strasse", "straße"), ("Lodz", "Łódź"), ("prive", "privé"),
])
def test_every_diacritic_and_ligature_is_folded(plain, accented):
    assert fold_text(accented) == plain
    assert terms(plain + " beleid") == terms(accented + " beleid")


def test_dutch_stop_words_go_english_words_stay():
    assert terms("de gemeente en het beleid") == terms("gemeente beleid")
    assert terms("have") != []  # "have" is not a Dutch stop word


def test_een_with_accents_is_not_the_stop_word():
    # Accent folding runs after the stop filter, so "één" (one) survives while "een" (a) is dropped.
    assert terms("één") != []
    assert terms("een") == []


@pytest.mark.parametrize("compound, part", [
    ("internetverbod", "verbod"),
    ("ordeverstoringen", "verstoring"),
    ("contraterrorisme", "terrorisme"),
    ("dreigingsbeeld", "beeld"),
    ("jongerenwerkers", "werkers"),
])
def test_compound_parts_are_indexed_at_the_same_position_and_characters(compound, part):
    text = f"Het {compound} werkt"
    tokens = index_tokens(text)
    whole = [t for t in tokens if t[0] == terms(compound)[0]]
    parts = [t for t in tokens if t[0] == terms(part)[0]]
    assert whole and parts, tokens
    # Same position (phrases still see one word) and the whole word's characters (highlighting marks it all).
    assert parts[0][1:] == whole[0][1:]
    assert whole[0][2:] == (4, 4 + len(compound))
    assert [t[1] for t in tokens] == [whole[0][1]] * 3 + [whole[0][1] + 1]


def test_queries_are_not_split():
    # "internetverbod" asks for the compound itself, not for every text about the internet and a ban.
    assert terms("internetverbod") == ["internetverbod"]


def test_word_lists_stay_out_of_the_pickled_schema():
    # A lexicon held on a filter was pickled into every index's table of contents (2.6 KB became 8 MB).
    terms("internetverbod", mode="index")  # loads the word list into the module cache
    assert len(pickle.dumps(build_schema())) < 20_000


def test_english_analyzer_stems_english_and_drops_english_stop_words():
    english = [t.text for t in english_analyzer()("The municipalities and their policies")]
    assert english == [t.text for t in english_analyzer()("municipality policy")]


@pytest.mark.parametrize("text, message", [
    ("gemeentes gemeente", "woord => woord"),
    ("*isme => ist", "on both sides"),
    ("=> gemeente", "woord => woord"),
])
def test_bad_override_lines_are_named(text, message):
    from indexer.analysis.wordforms import parse_rules
    with pytest.raises(ValueError, match=message):
        parse_rules(text)


def test_override_rules_longest_ending_wins_and_short_words_are_left_alone():
    from indexer.analysis.wordforms import parse_rules
    words, suffixes = parse_rules("# families\n*isme => *ist\n*ismen => *ist\ngemeentes => gemeente\n")
    assert words == {"gemeentes": ("gemeente", False)}
    assert suffixes[0] == ("ismen", "ist", False)
    assert terms("isme") != terms("ist")  # "isme" alone is too short for a suffix rule


@pytest.mark.parametrize("typed, title", [("strasse", "Straße en plein"), ("aero", "Ærø als voorbeeld"),
                                          ("coordinator", "Coördinator terrorismebestrijding")])
def test_suggestions_while_typing_fold_as_the_index_does(typed, title):
    # Reproduces a bug: autocomplete had its own fold, which left "straße" and "ærø" unchanged.
    schema = build_schema()
    ix = RamStorage().create_index(schema)
    with ix.writer() as w:
        w.add_document(uid="doc:x", kind="doc", id="x", title=title, summary="")
    with ix.searcher() as s:
        assert fold_text(title.split()[0].lower()) == typed  # the index folds it so
        assert [x.text for x in build_vocabulary(s).complete(typed) if x.kind == "titel"] == [title]


def test_the_pickled_analyzer_names_the_stable_class_paths():
    # Indexes pickle the filters by class path: it must not change when modules move inside the package.
    data = pickle.dumps(dutch_analyzer())
    assert b"indexer.analysis" in data and b"indexer.analysis.analyzer" not in data
    assert all(cls.__module__ == "indexer.analysis" for cls in (FoldFilter, DecompoundFilter, DutchStemFilter))
    assert [t.text for t in pickle.loads(data)("Ordeverstoringen")] == [t.text for t in dutch_analyzer()("Ordeverstoringen")]


# Dates too: the day terms the date tokenizer adds go through the memo as well (merge of issues 14 and 18).
MEMO_TEXT = ("De burgemeester en de Burgemeester: ordeverstoringen, ordeverstoringen! Een internetverbod of twee "
             "Coördinator art.2.1 van de APV; de een, de ander. Handreikingen handreikingen 2024 x ñ één. "
             "Besluit van 2 maart 2021, brief van 02-03-2021 en 2021-03-02.")


@pytest.mark.parametrize("make", [dutch_analyzer, english_analyzer, plain_analyzer])
@pytest.mark.parametrize("options", [dict(positions=True, chars=True, mode="index"), dict(mode="index"),
                                     dict(positions=True, chars=True, boosts=True, mode="index"),
                                     dict(positions=True, chars=True, mode="index", start_pos=7, start_char=30),
                                     dict(positions=True, mode="query"),
                                     dict(positions=True, mode="index", removestops=False)])
def test_the_word_memo_yields_exactly_the_tokens_of_the_plain_filter_chain(make, options):
    # The memo skips the filters for words seen before: positions after stop words, compound parts at the
    # position and characters of their compound, and repeated words must come out as the plain chain makes them.
    memo = make()
    plain = CompositeAnalyzer(*memo.items)

    def tokens(analyzer):
        # Positions and characters count only where asked for: Whoosh reads nothing else of a token.
        positions, chars = options.get("positions"), options.get("chars")
        return [(t.text, getattr(t, "pos", None) if positions else None,
                 getattr(t, "startchar", None) if chars else None, getattr(t, "endchar", None) if chars else None,
                 t.stopped) for t in analyzer(MEMO_TEXT, **options)]
    expected = tokens(plain)
    assert tokens(memo) == expected
    assert tokens(memo) == expected  # now every word comes from the memo
    if make is dutch_analyzer and options["mode"] == "index":  # the compound part is there to be compared
        assert any(text == "verstor" for text, *_ in expected)


def test_the_word_memo_is_bounded_and_never_pickled(monkeypatch):
    monkeypatch.setattr("indexer.analysis.analyzer.MEMO_WORDS", 3)
    analyzer = dutch_analyzer()
    words = "burgemeester gemeente handreiking demonstratie ordeverstoring polarisatie".split()
    list(analyzer(" ".join(words), mode="index"))
    assert 0 < len(analyzer._memo) <= 3
    copy = pickle.loads(pickle.dumps(analyzer))
    assert isinstance(copy, MemoAnalyzer) and "_memo" not in copy.__dict__
    assert len(pickle.dumps(analyzer)) == len(pickle.dumps(dutch_analyzer()))


@pytest.mark.parametrize("field", ["content", "page_text", "spelling"])
def test_indexing_a_field_goes_through_the_word_memo(field):
    # Reproduces a bug: Whoosh's field formats also pass boosts=True, which sent every indexed word down the
    # plain filter chain, so the memo was never used in a real build.
    schema = build_schema()
    postings = list(schema[field].index(MEMO_TEXT))
    assert postings and 0 < len(schema[field].analyzer.__dict__.get("_memo", {})) <= len(MEMO_TEXT.split())
    plain = CompositeAnalyzer(*schema[field].analyzer.items)
    schema[field].analyzer = plain
    assert list(schema[field].index(MEMO_TEXT)) == postings
