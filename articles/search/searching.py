"""The one function readers' searches go through: the local engine, or haystack on another backend.

The local Whoosh engine (``engine.search``) reads the index directory
directly and is the fast default. When HAYSTACK_CONNECTIONS names any other
engine (a cluster, docs/scaling.md), the index is not on this disk and the
search goes through haystack's SearchQuerySet instead.
"""

import logging

from .query import engine
from .store import uses_local_index

logger = logging.getLogger(__name__)
UNAVAILABLE = "检索服务暂时不可用，请稍后再试。"


def run_search(req, **kw):
    """``engine.search(req, **kw)`` or its haystack twin, by the configured engine."""
    if uses_local_index():
        return engine.search(req, **kw)
    from . import haystack_search

    try:
        return haystack_search.search(req, **kw)
    except Exception:  # noqa: BLE001 - any cluster failure: tell the reader, keep the page up
        logger.exception("search cluster failed for %r", req.q)
        result, _ = engine.begin(req)
        result.error = UNAVAILABLE
        return result
