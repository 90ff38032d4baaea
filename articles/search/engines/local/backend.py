"""The haystack backend of the local index: the door readers' searches and haystack's writes go through.

Subclasses haystack's own Whoosh backend and overrides what must differ:

- ``search`` evaluates haystack's query tree itself (``query.engine``):
  ``ChineseWhooshSearchQuery.build_query`` hands over the ``SQ`` tree instead
  of a query string, so nothing the reader typed reaches Whoosh's query
  parser, and the tree is evaluated from posting blocks and columns. Asked
  to highlight (``SearchQuerySet.highlight()``), it fills each result's
  ``highlighted`` as haystack's backends do, with ``query/highlight.py``:
  {"title": [the title marked], "body": [a marked snippet]};
- ``build_schema`` returns the phnews schema (bigrams, unigrams, jieba words,
  stored result fields) instead of haystack's English StemmingAnalyzer one;
- ``update``/``remove``/``clear`` take the single-writer lock of
  ``articles.search.engines.local.store`` and write with our writer, never failing
  silently (a swallowed LockError would leave a stale document behind);
- ``rebuild`` (what ``manage.py rebuild_index`` runs, see
  articles/management/commands/rebuild_index.py) writes the whole index
  with several writer processes and swaps it in atomically;
- ``update_all`` (what ``manage.py update_index`` runs, see
  articles/management/commands/update_index.py) writes an update in one
  writer, with several processes when it is big.

haystack's own per-batch ``update`` goes through the edit queue.
"""

import copy
from datetime import datetime

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend, WhooshSearchQuery
from haystack.models import SearchResult
from haystack.utils import get_identifier
from whoosh import index as whoosh_index

from articles.search import budget

from articles.search.engines.local import store
from articles.search.engines.local.schema import build_schema
from articles.search.engines.local.write.writer import new_writer
from articles.search.engines.local import engine
from articles.search.engines.local.evaluate import UnsupportedQuery
from articles.search.marks import marked_fields, tree_terms

# Stored fields that are haystack's bookkeeping, not the result's.
_BOOKKEEPING = ("id", "django_ct", "django_id")


class ChineseWhooshSearchBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        # Errors must surface: the sync queue retries what failed.
        self.silently_fail = False

    def setup(self):
        # Creating the index is a write: serialise it with every other writer.
        with store.writer_lock(self.path):
            created = not whoosh_index.exists_in(self.path, indexname=store.INDEX_NAME)
            super().setup()
            if created:
                store.stamp_analysis(self.path)

    def build_schema(self, fields):
        return "text", build_schema()

    def search(self, query, sort_by=None, start_offset=0, end_offset=None, facets=None, date_facets=None,
               narrow_queries=None, result_class=None, highlight=False, **kwargs):
        """haystack's search, answered from the tree ``query`` (see ChineseWhooshSearchQuery).

        Returns what every haystack backend returns: ``results`` (SearchResult
        objects carrying the stored fields, and ``highlighted`` if asked),
        ``hits`` and ``facets``. The terms marked are the tree's own
        (``highlight.tree_terms``), in the text as printed.
        """
        if isinstance(query, str) or narrow_queries:
            raise UnsupportedQuery(
                "the local search engine evaluates haystack query trees (SearchQuerySet.filter), "
                "not query strings or narrow()")
        try:
            s = store.searcher(self.path)
            with budget.spending(budget.posting_limit(s.doc_count_all())):
                found = engine.run(s, query, sort_by=sort_by or (), start=start_offset or 0, stop=end_offset,
                                   facets=list(facets or ()), date_facets=date_facets)
                terms = tree_terms(query) if highlight else None
                results = [self._result(result_class or SearchResult, s, docnum, score, terms)
                           for docnum, score in found.hits]
        except (budget.BudgetExceeded, UnsupportedQuery):
            raise
        except Exception:
            # A damaged or missing index: the next search opens it afresh
            # (and works again once it is repaired).
            store.forget(self.path)
            raise
        facet_counts = {}
        if facets or date_facets:
            facet_counts = {
                "fields": {name: list(counts.items()) for name, counts in found.fields.items()},
                "dates": {name: [(_period_start(key), n) for key, n in counts.items()]
                          for name, counts in found.dates.items()},
                "queries": {},
            }
        return {"results": results, "hits": found.count, "facets": facet_counts, "spelling_suggestion": None}

    @staticmethod
    def _result(result_class, s, docnum, score, terms=None):
        """haystack's SearchResult of one document, carrying its stored fields; marked if ``terms`` is given."""
        stored = dict(s.stored_fields(docnum))
        app_label, model_name = stored["django_ct"].split(".")
        pk = stored["django_id"]
        for name in _BOOKKEEPING:
            stored.pop(name, None)
        stored["people"] = [p for p in stored.get("people", "").split(",") if p]
        if terms is not None:
            stored["highlighted"] = marked_fields(stored.get("title", ""), stored.get("body", ""), terms)
        return result_class(app_label, model_name, pk, score, **stored)

    def update(self, index, iterable, commit=True):
        """Reindex ``iterable`` through the sync queue.

        update_index reads its objects before writing them; writing those
        snapshots directly could resurrect an article deleted in between.
        Queueing the ids makes the single writer read each article's current
        state under the lock, exactly as for any other edit.
        """
        from articles.search import sync

        if not self.setup_complete:
            self.setup()
        pks = [getattr(obj, "pk", None) for obj in iterable]
        if not any(pk is not None for pk in pks):
            return
        sync.enqueue(pks)
        # Wait for our turn instead of leaving the work to another process,
        # so the command returns with its batch indexed.
        sync.drain(self.path, blocking=True)

    def remove(self, obj_or_string, commit=True):
        if not self.setup_complete:
            self.setup()
        with store.writer_lock(self.path):
            self.index = self.index.refresh()
            writer = new_writer(self.index)
            writer.delete_by_term("id", get_identifier(obj_or_string))
            writer.commit()

    def rebuild(self, index, procs=None, using=None):
        """Replace the whole index with documents for ``index.index_queryset()``; returns their number.

        Readers keep the old index until the single commit that swaps in the
        new one (build.write_locked with ``clear``). Edits made meanwhile
        stay queued and are applied right after; tasks queued before the
        build started are already reflected in it and are dropped.
        """
        from articles.search import sync
        from articles.search.engines.local.write.build import article_documents, default_procs, write_locked

        with store.writer_lock(self.path):
            reflected = sync.queued_ids()
            count = write_locked(article_documents(index.index_queryset(using=using).order_by("pk"), prepared=True),
                                 self.path, clear=True, procs=procs or default_procs())
            sync.forget(reflected)
        self.setup_complete = False  # haystack's own state reopens the new index when next used
        sync.drain(self.path, blocking=True)
        return count

    def update_all(self, queryset, procs=1):
        """Write the documents of ``queryset`` (rows of ``index_queryset()``) in one writer; returns their number.

        As the edit queue's drain does, the articles are read while the
        writer lock is held, so an article deleted before the write is not
        written back; edits made meanwhile are queued and applied right after.
        """
        from articles.search import sync
        from articles.search.engines.local.write.build import article_documents, write_locked

        if not self.setup_complete:
            self.setup()
        with store.writer_lock(self.path):
            count = write_locked(article_documents(queryset.order_by("pk"), prepared=True), self.path, procs=procs)
        sync.drain(self.path, blocking=True)
        return count

    def clear(self, models=None, commit=True):
        if models is None:
            # An empty commit that drops every segment: readers move from
            # the old index to the empty one in one step. No setup() first:
            # clearing must work on an index too damaged to open.
            from articles.search.engines.local.write.build import write_documents

            write_documents((), self.path, clear=True)
            self.setup_complete = False
            return
        if not self.setup_complete:
            self.setup()
        with store.writer_lock(self.path):
            from haystack.utils import get_model_ct

            self.index = self.index.refresh()
            writer = new_writer(self.index)
            for model in models:
                writer.delete_by_term("django_ct", get_model_ct(model))
            writer.commit()

    def delete_index(self):
        self.clear()


def _period_start(key):
    """The first moment of a "2023-08" month or "2023" year, as haystack reports date facets."""
    year, _, month = key.partition("-")
    return datetime(int(year), int(month or 1), 1)


class ChineseWhooshSearchQuery(WhooshSearchQuery):
    def build_query(self):
        """The query tree itself: the backend evaluates it, with no query string in between."""
        return copy.deepcopy(self.query_filter)


class ChineseWhooshEngine(WhooshEngine):
    backend = ChineseWhooshSearchBackend
    query = ChineseWhooshSearchQuery
