"""Stage 4 of the data flow: the Flask-free query service. It takes a searcher and a request, returns dataclasses.

Parsing (query), ranking from score tables (ranking, tables, phrases), facets, snippets, matching pages,
spelling suggestions, similar documents and suggestions while typing, and the JSON shape shared by the API and
the CLI (serialize).
"""
from .cache import built_cache, searcher_cache, share_cache, warm
from .documents import count_documents, get_document, list_documents
from .facets import FACET_FIELDS, FACETS
from .model import Document, Facet, FacetValue, Hit, PageHit, SearchRequest, SearchResults, SimilarDocument, Suggestion
from .pages import document_pages
from .query import QueryError
from .serialize import results_to_dict
from .service import MAX_PAGE, MAX_PER_PAGE, SORTS, QueryService, search
from .similar import similar_documents
from .synonyms import EMPTY, Table, load_table
from .vocabulary import Vocabulary, build_vocabulary

__all__ = ["EMPTY", "FACETS", "FACET_FIELDS", "MAX_PAGE", "MAX_PER_PAGE", "SORTS", "Document", "Facet", "FacetValue",
           "Hit", "PageHit", "QueryError", "QueryService", "SearchRequest", "SearchResults", "SimilarDocument",
           "Suggestion", "Table", "Vocabulary", "build_vocabulary", "built_cache", "count_documents",
           "document_pages", "get_document", "list_documents", "load_table", "results_to_dict", "search",
           "searcher_cache", "share_cache", "similar_documents", "warm"]
