"""Turn URL parameters into a SearchRequest, shared by the HTML pages and the JSON API."""
from __future__ import annotations

from indexer.search import FACET_FIELDS, QueryError, SearchRequest

MAX_DIGITS = 9  # no integer parameter needs more; int() of a huge digit string is slow and may raise
MAX_FILTER_VALUES = 20  # filter values in one request, over all facets
MAX_FILTER_LENGTH = 200  # characters of one filter value (the longest real author or section is far shorter)
# Characters of all filter values together. Every facet, chip, sort and page link repeats the search, so with
# the query's own cap (1000) this bounds each link, and a page grows with the number of links, not with the
# square of the input.
MAX_FILTER_CHARS = 500


def parse_int(raw: str | None) -> int | None:
    """Return a whole number written in plain ASCII digits (optionally negative), else None.

    str.isdigit() accepts '²' and other digits int() refuses, and int() accepts '١٢' and ' 1_0 ': neither says
    what a URL parameter may hold, so this does.
    """
    if raw is None:
        return None
    digits = raw[1:] if raw.startswith("-") else raw
    if not digits or len(digits) > MAX_DIGITS or not (digits.isascii() and digits.isdigit()):
        return None
    return int(raw)


def _int(args, name: str, default: int, label: str) -> int:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    value = parse_int(raw)
    if value is None:
        raise QueryError(f"'{raw[:40]}' is geen geldig getal voor {label}.")
    return value


def _filters(args) -> dict[str, list[str]]:
    """Return the filter values per facet, each value once; refuse too many or too long values (Dutch)."""
    filters: dict[str, list[str]] = {}
    count = chars = 0
    for name in FACET_FIELDS:
        values = list(dict.fromkeys(v for v in args.getlist(name) if v))
        for v in values:
            if len(v) > MAX_FILTER_LENGTH:
                raise QueryError(f"Een filterwaarde mag hoogstens {MAX_FILTER_LENGTH} tekens hebben "
                                 f"('{v[:40]}...' heeft er {len(v)}).")
        count += len(values)
        chars += sum(len(v) for v in values)
        filters[name] = values
    if count > MAX_FILTER_VALUES:
        raise QueryError(f"Gebruik hoogstens {MAX_FILTER_VALUES} filterwaarden tegelijk (nu {count}).")
    if chars > MAX_FILTER_CHARS:
        raise QueryError(f"De filterwaarden samen mogen hoogstens {MAX_FILTER_CHARS} tekens hebben (nu {chars}).")
    return filters


def search_request(args, default_per_page: int = 10) -> SearchRequest:
    """Build a SearchRequest from request.args; raise QueryError (Dutch) for values that make no sense."""
    return SearchRequest(
        q=args.get("q", ""),
        page=_int(args, "page", 1, "de pagina"),
        per_page=_int(args, "per_page", default_per_page, "het aantal per pagina"),
        sort=args.get("sort") or "relevantie",
        filters=_filters(args),
        date_from=args.get("from") or None,
        date_to=args.get("to") or None,
        current_only=args.get("actueel") in ("1", "ja", "on"),
    )


def search_params(req: SearchRequest, **changes) -> dict[str, list[str]]:
    """Return the URL parameters of a parsed search, with some changed (None removes one).

    Links are built from what was parsed (bounded by the caps above), never from the raw query string, so an
    unknown or repeated parameter is not copied into every link of the page.
    """
    params: dict[str, list] = {}
    if req.q:
        params["q"] = [req.q]
    if req.per_page and req.per_page != 10:
        params["per_page"] = [str(req.per_page)]
    for name in FACET_FIELDS:
        if req.filters.get(name):
            params[name] = list(req.filters[name])
    if req.date_from:
        params["from"] = [req.date_from]
    if req.date_to:
        params["to"] = [req.date_to]
    if req.current_only:
        params["actueel"] = ["1"]
    if req.sort and req.sort != "relevantie":
        params["sort"] = [req.sort]
    if req.page and req.page != 1:
        params["page"] = [str(req.page)]
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return params
