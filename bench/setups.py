"""The two setups under test, behind one small interface.

A setup has ``index_dir`` (what to measure on disk), a way to build (plain:
``build()`` in-process; ours: ``manage.py rebuild_index``, see bench.run) and
``search(query)`` which does what a results
page needs: the count, the first ten results with highlighted snippets and,
for ours, the year facet.
"""

import shutil
from datetime import datetime, time
from pathlib import Path

from django.conf import settings


class PlainSetup:
    name = "plain"

    def __init__(self):
        from . import plain

        plain.install()
        self.alias = plain.ALIAS
        self.index_dir = Path(settings.HAYSTACK_CONNECTIONS[self.alias]["PATH"])

    def build(self, limit=None):
        from django.core.management import call_command
        from haystack import connections

        shutil.rmtree(self.index_dir, ignore_errors=True)
        if limit is None:
            # What a tutorial reader runs: rebuild_index (clear + update_index).
            call_command("update_index", using=[self.alias], verbosity=0, workers=0)
        else:
            # A bounded corpus: the same backend.update() batches of 1000
            # that update_index makes, over the first ``limit`` articles.
            backend = connections[self.alias].get_backend()
            index = connections[self.alias].get_unified_index().get_indexes()
            (index,) = index.values()
            qs = index.index_queryset().order_by("pk")
            pks = list(qs.values_list("pk", flat=True)[:limit])
            for start in range(0, len(pks), 1000):
                backend.update(index, list(qs.filter(pk__in=pks[start : start + 1000])))
        return self._doc_count()

    def _doc_count(self):
        from haystack import connections

        backend = connections[self.alias].get_backend()
        backend.setup()
        return backend.index.refresh().doc_count()

    def search(self, query):
        from haystack.query import SearchQuerySet

        sqs = SearchQuerySet(using=self.alias).auto_query(query.q).highlight()
        if query.kind:
            sqs = sqs.filter(kind=query.kind)
        if query.date_from:
            sqs = sqs.filter(issue_date__gte=datetime.combine(query.date_from, time.min))
        if query.date_to:
            sqs = sqs.filter(issue_date__lte=datetime.combine(query.date_to, time.max))
        count = sqs.count()
        results = list(sqs[:10])
        snippets = [(r.highlighted or {}).get("text", [""])[0] if r.highlighted else "" for r in results]
        return count, [r.pk for r in results], snippets, None


class OursSetup:
    """Our engine (articles/search): built by ``manage.py rebuild_index`` (bench.run), searched through the
    function the results page calls."""

    name = "ours"

    def __init__(self):
        self.index_dir = Path(settings.PHNEWS_INDEX_DIR)

    def doc_count(self):
        from whoosh import index as whoosh_index

        from articles.search.engines.local.store import INDEX_NAME

        index = whoosh_index.open_dir(str(self.index_dir), indexname=INDEX_NAME)
        try:
            return index.doc_count()
        finally:
            index.close()

    def search(self, query):
        from articles.search.engines.local.engine import forget_matches
        from articles.search.engines.local.evaluate import forget_common_terms
        from articles.search.service import SearchRequest, search

        # Every timed search is a first search with nothing cached: the
        # harness repeats each query, and the engine reuses a repeated
        # search's match set (for paging and result navigation) and the
        # posting sets of common terms, which would time cache hits. The
        # per-index columns stay loaded, as in a running server.
        forget_matches()
        forget_common_terms()
        request = SearchRequest(
            q=query.q, kind=query.kind, date_from=query.date_from, date_to=query.date_to, page_size=10
        )
        # Through haystack's default connection (its PATH is PHNEWS_INDEX_DIR, our
        # index), as the results page runs it; facets on (months, kinds, columns).
        result = search(request, facets=True)
        if result.error:
            raise RuntimeError(f"{query.describe()}: {result.error}")
        return result.count, [hit.id for hit in result.hits], [hit.snippet for hit in result.hits], result.months


SETUPS = {"plain": PlainSetup, "ours": OursSetup}
