"""The seam between an article page and the search that led to it.

The search app owns what a result list is; this page only shows it. The
search app registers its provider at start-up (``provide``, called from
``articles/apps.py``), so reader pages never import search; the provider is
called as ``provider(request, article)`` and may return a dict with:

- ``terms``: words to mark in the article (e.g. jieba's segmentation of the query);
- ``mark``: a function (text -> HTML) that marks them as the results page did;
- ``nav``: {"prev_url", "next_url", "index", "total", "results_url"} for the
  previous/next result links, each key optional.

Without it (or when it returns None), the ``q`` parameter is split on spaces
into terms, marked where they occur as typed, and no result navigation is shown.

The same way, the search app registers ``provide_related(function)``:
``function(article)`` returns the reports related to it (a list of items with
``title``, ``date``, ``page``, ``url`` and ``thread``, the continued story's
first, in date order), or None when the index cannot answer; the page then
leaves the section out.
"""

from .highlight import mark_terms
from .presenters import split_terms

provider = None
related_provider = None


def provide(function):
    """Make ``function(request, article)`` the article page's search context (the search app, at start-up)."""
    global provider
    provider = function


def provide_related(function):
    """Make ``function(article)`` the article page's related reports (the search app, at start-up)."""
    global related_provider
    related_provider = function


def related_reports(article):
    """The reports related to ``article``, or None when no search app answers."""
    return related_provider(article) if related_provider else None


def article_search_context(request, article):
    query = request.GET.get("q", "").strip()
    found = provider(request, article) if provider else None
    found = dict(found or {})
    terms = found.get("terms")
    if terms is None:
        terms = split_terms(query)
    terms = list(terms)
    mark = found.get("mark") or (lambda text: mark_terms(text, terms))
    return {"query": query, "terms": terms, "mark": mark, "nav": found.get("nav")}
