"""The Whoosh schema: one 'doc' entry per document plus one 'page' entry per PDF page."""
from __future__ import annotations

from whoosh.analysis import RegexTokenizer
from whoosh.columns import NumericColumn
from whoosh.fields import BOOLEAN, COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from ..analysis import dutch_analyzer, english_analyzer, plain_analyzer
from .wordlist import WordList

SCHEMA_VERSION = "12"  # 7-9: the document's day as a search term; 10: page_prose; 11: a document's legal citations;
# 12: the spelling word list once per segment (indexer.index.wordlist)

# Field weights: a word in the title counts more than in the summary, which counts more than in body text. The
# author (a person or an organisation) is searched as free text too, below the title and summary: "NCTV" finds
# what the NCTV wrote, without an author's name outranking a document about the subject.
FIELD_BOOSTS = {"title": 4.0, "summary": 2.0, "author_text": 1.5, "day": 8.0, "content": 1.0}


def build_schema() -> Schema:
    """Return the schema shared by the public and the members index."""
    text = dutch_analyzer()
    english = english_analyzer()
    return Schema(
        uid=ID(unique=True, stored=True),        # "doc:<id>" or "page:<id>:<n>"
        kind=ID(stored=True),                    # "doc" or "page"
        id=ID(stored=True, sortable=True),       # document id, also on its pages
        title=TEXT(analyzer=text, stored=True, field_boost=FIELD_BOOSTS["title"]),
        summary=TEXT(analyzer=text, stored=True, field_boost=FIELD_BOOSTS["summary"]),
        # No word positions in the document-level text: ranking reads only frequencies, and a common word's
        # postings decode several times faster without them. Phrases are found in page_text (indexer.search.phrases).
        content=TEXT(analyzer=text, stored=False, phrase=False, field_boost=FIELD_BOOSTS["content"]),
        page_text=TEXT(analyzer=text, stored=True, chars=True),  # page entries only, for snippets
        page=NUMERIC(int, stored=True, sortable=True),
        page_section=STORED(),
        # How much of a page is running text, in percent (indexer.extract.pagekind): a column, not a term, read
        # for the pages of the documents shown, so a letter page ranks above an inventory page with the same words.
        page_prose=COLUMN(NumericColumn("B", default=100)),
        date=ID(stored=True, sortable=True),     # ISO date, sorts as text
        year=ID(stored=True, sortable=True),
        author=ID(stored=True, sortable=True),   # exact value, for facets and filters
        author_text=TEXT(analyzer=text, field_boost=FIELD_BOOSTS["author_text"]),  # free text, and with auteur:
        # The document's own date as that day's term (YYYY-MM-DD, as a typed date is searched): a search for
        # "19 oktober 2020" puts the letter of that day above letters that only mention it.
        # Only a day term is a token here: other query words ("2", "g" in "artikel 10 lid 2 sub g") must be
        # dropped from this field as the Dutch analyzer drops them, or no document could hold every word.
        day=TEXT(analyzer=RegexTokenizer(r"\d{4}-\d{2}-\d{2}"), phrase=False, field_boost=FIELD_BOOSTS["day"]),
        # The legal citations a document makes most often ("art. 10 lid 2 sub e Wob"), for the facet "Wetsartikel".
        article=KEYWORD(commas=True, lowercase=False),
        doctype_text=TEXT(analyzer=text),        # searchable with type:
        doctype=ID(stored=True, sortable=True),
        section=ID(stored=True, sortable=True),
        access=ID(stored=True),
        language=ID(stored=True),
        pages=STORED(),
        pdf=STORED(),
        source_url=STORED(),
        title_derived=BOOLEAN(stored=True),
        aliases=KEYWORD(stored=True),            # former ids, space-separated: their URLs redirect here
        derived=STORED(),                        # {field: source} for values read from the document itself
        order=NUMERIC(int, stored=True, sortable=True),
        ocr=STORED(),
        superseded_by=ID(stored=True),           # the id of the newer document that replaces this one, or ""
        # English twins of the text fields, filled for records with `language: en` (queries search both).
        title_en=TEXT(analyzer=english, field_boost=FIELD_BOOSTS["title"]),
        summary_en=TEXT(analyzer=english, field_boost=FIELD_BOOSTS["summary"]),
        content_en=TEXT(analyzer=english, phrase=False, field_boost=FIELD_BOOSTS["content"]),
        page_text_en=TEXT(analyzer=english),
        # Unstemmed words of title, summary and text: the word list of "Bedoelde u ...?" suggestions, each word once
        # per segment with the number of its documents that hold it.
        spelling=WordList(plain_analyzer(), sources=("title", "summary", "content")),
    )
