"""Turn URL parameters into a SearchRequest, shared by the HTML pages and the JSON API."""
from __future__ import annotations

from indexer.search import FACET_FIELDS, QueryError, SearchRequest


def _int(args, name: str, default: int, label: str) -> int:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise QueryError(f"'{raw[:40]}' is geen geldig getal voor {label}.") from None


def search_request(args, default_per_page: int = 10) -> SearchRequest:
    """Build a SearchRequest from request.args; raise QueryError (Dutch) for values that make no sense."""
    return SearchRequest(
        q=args.get("q", ""),
        page=_int(args, "page", 1, "de pagina"),
        per_page=_int(args, "per_page", default_per_page, "het aantal per pagina"),
        sort=args.get("sort") or "relevantie",
        filters={name: [v for v in args.getlist(name) if v][:20] for name in FACET_FIELDS},
        date_from=args.get("from") or None,
        date_to=args.get("to") or None,
        current_only=args.get("actueel") in ("1", "ja", "on"),
    )
