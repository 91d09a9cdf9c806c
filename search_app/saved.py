"""Members' saved searches: save the current search, list and delete them, set the alert address, unsubscribe."""
from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from indexer.saved_searches import SavedSearchError, SavedSearchStore
from indexer.search import MAX_PER_PAGE, QueryError
from indexer.alerts import search_url

from . import indexes
from .params import search_request
from .security import csrf_valid, current_user, index_name
from .service import query_service

bp = Blueprint("saved", __name__)

SEEN_LIMIT = 1000  # documents a new saved search counts as known already (the rest would be "new" once)


def init_app(app):
    """Keep the saved-search store of the app's instance folder and register the pages."""
    app.extensions["kennisbank_saved"] = SavedSearchStore(app.config["INSTANCE_DIR"])
    app.register_blueprint(bp)


def saved_searches() -> SavedSearchStore:
    """Return the app's saved-search store."""
    return current_app.extensions["kennisbank_saved"]


def _members_only():
    if not current_user():
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")), code=303)
    return None


def _refused_form():
    """Return the answer to a form post that is not a member's with a valid CSRF token, or None when it is."""
    refused = _members_only()
    if refused:
        return refused
    if not csrf_valid(request.form.get("csrf_token")):
        return _page(error="Het formulier is verlopen. Probeer het opnieuw.", status=400)
    return None


@bp.get("/mijn-zoekopdrachten")
def mine():
    """List the member's saved searches, with a link to run each, a delete button and the alert address."""
    refused = _members_only()
    if refused:
        return refused
    return _page()


def _page(message: str | None = None, error: str | None = None, status: int = 200):
    member = current_user()
    store = saved_searches()
    searches = [(s, search_url("", s.request)) for s in store.of_member(member)]
    return render_template("saved.html", searches=searches, address=store.address(member) or "", q="",
                           message=message, error=error), status


@bp.post("/mijn-zoekopdrachten")
def save():
    """Save the search the form carries (query and filters) under a name; what it finds now is not new."""
    refused = _refused_form()
    if refused:
        return refused
    try:
        req = replace(search_request(request.form), page=1, per_page=MAX_PER_PAGE, sort="nieuwste")
        searcher, seen = indexes.searcher(index_name()), []
        while len(seen) < SEEN_LIMIT:
            results = query_service().search(searcher, req)
            seen += [h.document.id for h in results.hits]
            if req.page * req.per_page >= results.total:
                break
            req = replace(req, page=req.page + 1)
        stored = {"q": req.q, "filters": {k: v for k, v in req.filters.items() if v},
                  "date_from": req.date_from, "date_to": req.date_to, "current_only": req.current_only}
        saved = saved_searches().add(current_user(), request.form.get("naam", ""), stored, seen)
    except (QueryError, SavedSearchError) as exc:
        return _page(error=str(exc), status=400)
    return _page(message=f"Zoekopdracht '{saved.name}' bewaard. U krijgt een e-mail als er nieuwe documenten "
                         "voor zijn.")


@bp.post("/mijn-zoekopdrachten/<int:search_id>/verwijderen")
def delete(search_id):
    """Delete one of the member's saved searches."""
    refused = _refused_form()
    if refused:
        return refused
    if not saved_searches().delete(current_user(), search_id):
        abort(404)  # not this member's: the same answer as one that does not exist
    return _page(message="Zoekopdracht verwijderd.")


@bp.post("/mijn-zoekopdrachten/adres")
def set_address():
    """Set the address the member's alerts go to."""
    refused = _refused_form()
    if refused:
        return refused
    try:
        address = saved_searches().set_address(current_user(), request.form.get("adres", "")[:320])
    except SavedSearchError as exc:
        return _page(error=str(exc), status=400)
    return _page(message=f"Meldingen gaan naar {address}.")


@bp.route("/afmelden/<token>", methods=["GET", "POST"])
def unsubscribe(token):
    """Stop the alerts of one saved search, without logging in: a POST (the mail program's one click, or the
    button on this page) unsubscribes; a GET only asks, so a link checker that opens it changes nothing."""
    store = saved_searches()
    if request.method == "GET":
        found = store.by_token(token[:100])
        return render_template("unsubscribe.html", search=found, done=False, q=""), 200 if found else 404
    gone = store.unsubscribe(token[:100])
    return render_template("unsubscribe.html", search=gone, done=True, q=""), 200 if gone else 404
