"""The seam between an article page and the search that led to it.

The search app owns what a result list is; this page only shows it. When the
search app provides ``articles.search.web.result_navigation.article_search_context(request,
article)`` it is called and may return a dict with:

- ``terms``: words to mark in the article (e.g. jieba's segmentation of the query);
- ``mark``: a function (text -> HTML) that marks them as the results page did;
- ``nav``: {"prev_url", "next_url", "index", "total", "results_url"} for the
  previous/next result links, each key optional.

Without it (or when it returns None), the ``q`` parameter is split on spaces
into terms, marked where they occur as typed, and no result navigation is shown.
"""

from importlib import import_module

from .highlight import mark_terms
from .presenters import split_terms

PROVIDER_MODULE = "articles.search.web.result_navigation"
PROVIDER_NAME = "article_search_context"


def _provider():
    try:
        module = import_module(PROVIDER_MODULE)
    except ImportError:
        return None
    return getattr(module, PROVIDER_NAME, None)


def article_search_context(request, article):
    query = request.GET.get("q", "").strip()
    provider = _provider()
    found = provider(request, article) if provider else None
    found = dict(found or {})
    terms = found.get("terms")
    if terms is None:
        terms = split_terms(query)
    terms = list(terms)
    mark = found.get("mark") or (lambda text: mark_terms(text, terms))
    return {"query": query, "terms": terms, "mark": mark, "nav": found.get("nav")}
