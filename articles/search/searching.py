"""The one function readers' searches go through: the local engine, or haystack on another backend.

The local Whoosh engine (``engine.search``) reads the index directory
directly and is the fast default. When HAYSTACK_CONNECTIONS names any other
engine (a cluster, docs/scaling.md), the index is not on this disk and the
search goes through haystack's SearchQuerySet instead.
"""

import logging

from . import store
from .query import engine
from .store import uses_local_index

logger = logging.getLogger(__name__)
UNAVAILABLE = "检索服务暂时不可用，请稍后再试。"


def run_search(req, **kw):
    """``engine.search(req, **kw)`` or its haystack twin, by the configured engine.

    Never raises for a broken index or cluster: the reader gets a result
    whose ``error`` says search is unavailable (``unavailable`` set), and the
    log gets the traceback. A local searcher that failed is dropped, so the
    next search opens the index afresh (and works again once it is repaired).
    """
    if uses_local_index():
        try:
            return engine.search(req, **kw)
        except Exception:  # noqa: BLE001 - a damaged or missing index: tell the reader, keep the page up
            logger.exception("search index failed for %r; the next search reopens it", req.q)
            store.forget(kw.get("path"))
            return unavailable(req)
    from . import haystack_search

    try:
        return haystack_search.search(req, **kw)
    except Exception:  # noqa: BLE001 - any cluster failure: tell the reader, keep the page up
        logger.exception("search cluster failed for %r", req.q)
        return unavailable(req)


def run_page(req):
    """``run_search`` for a page of results: a page past the last one answers with the last one.

    Returns (result, the page number asked for if it was moved, else None).
    """
    result = run_search(req)
    if result.unavailable or not result.count or req.page <= result.pages:
        return result, None
    asked, req.page = req.page, result.pages
    return run_search(req), asked


def unavailable(req):
    result, _ = engine.begin(req)
    result.error = UNAVAILABLE
    result.unavailable = True
    return result
