"""The haystack backend of the local index: the door readers' searches and haystack's writes go through.

Subclasses haystack's own Whoosh backend and overrides what must differ:

- ``search`` evaluates haystack's query tree itself (``query.engine``):
  ``ChineseWhooshSearchQuery.build_query`` hands over the ``SQ`` tree instead
  of a query string, so nothing the reader typed reaches Whoosh's query
  parser, and the tree is evaluated from posting blocks and columns. Asked
  to highlight (``SearchQuerySet.highlight()``), it fills each result's
  ``highlighted`` as haystack's backends do, with ``query/highlight.py``:
  {"title": [the title marked], "body": [a marked snippet]};
- ``more_like_this`` answers from the article's most distinctive bigrams
  (``related.py``), which Whoosh's own cannot: the text is not stored;
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

from articles.search import budget

from articles.search.engines.local import store
from articles.search.engines.local.schema import build_schema
from articles.models import Article
from articles.search import documents
from articles.search.engines.local import build
from articles.search.engines.local.writer import WRITER_LIMIT_MB
from articles.search.engines.local import engine, related
from articles.search.engines.local import evaluate
from articles.search.engines.local.evaluate import UnsupportedQuery
from articles.search.planned import PlannedQuery
from articles.search.marks import marked_fields

# Stored fields that are haystack's bookkeeping, not the result's.
_BOOKKEEPING = ("id", "django_ct", "django_id")


class ChineseWhooshSearchBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        # Errors must surface: the sync queue retries what failed.
        self.silently_fail = False

    def setup(self):
        # Creating the index is a write: serialise it with every other writer,
        # and create it as ours (stamped), not as haystack would.
        with store.writer_lock(self.path):
            store.open_or_create(self.path)
            super().setup()

    def build_schema(self, fields):
        return "text", build_schema()

    def search(self, query, sort_by=None, start_offset=0, end_offset=None, facets=None, date_facets=None,
               narrow_queries=None, result_class=None, highlight=False, plan=None, **kwargs):
        """haystack's search, answered from the tree ``query`` (see ChineseWhooshSearchQuery).

        Returns what every haystack backend returns: ``results`` (SearchResult
        objects carrying the stored fields, and ``highlighted`` if asked),
        ``hits`` and ``facets``. ``plan`` (``planned.py``) says what
        ranks and what to mark (``Plan.marks``, in the text as printed).
        """
        if isinstance(query, str) or narrow_queries:
            raise UnsupportedQuery(
                "the local search engine evaluates haystack query trees (SearchQuerySet.filter), "
                "not query strings or narrow()")
        if _other_models(kwargs.get("models")):
            return {"results": [], "hits": 0, "facets": {}, "spelling_suggestion": None}
        try:
            s = store.searcher(self.path)
            with budget.spending(budget.posting_limit(s.doc_count_all())):
                found = engine.run(s, query, plan, sort_by=sort_by or (), start=start_offset or 0, stop=end_offset,
                                   facets=list(facets or ()), date_facets=date_facets)
                terms = (plan.marks if plan else evaluate.sought_literals(query)) if highlight else None
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

    def more_like_this(self, model_instance, additional_query_string=None, start_offset=0, end_offset=None,
                       models=None, limit_to_registered_models=None, result_class=None, **kwargs):
        """haystack's more_like_this: the articles sharing the article's most distinctive bigrams (related.py).

        ``additional_query_string`` is the tree of the SearchQuerySet's own
        filters (``build_query``), which the related articles must also match.
        """
        if not isinstance(model_instance, Article) or _other_models(models):
            return {"results": [], "hits": 0}
        try:
            s = store.searcher(self.path)
            with budget.spending(budget.posting_limit(s.doc_count_all())):
                count, hits = related.related(s, model_instance, additional_query_string, start_offset or 0,
                                              end_offset)
                results = [self._result(result_class or SearchResult, s, docnum, score) for docnum, score in hits]
        except (budget.BudgetExceeded, UnsupportedQuery):
            raise
        except Exception:
            store.forget(self.path)  # as search(): a damaged index is reopened afresh next time
            raise
        return {"results": results, "hits": count}

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

    # --- writes: every one goes through write_articles or write_locked ------

    # One writer at a time (store.writer_lock); the queue hands us everything
    # ready at once, written in one commit.
    concurrent_writers = False
    drain_batch = 200_000

    @staticmethod
    def procs_for(count):
        """Writer processes this engine uses to write ``count`` articles."""
        return build.procs_for(count)

    def writing(self, blocking=True):
        """The single-writer lock of this index: yields False if ``blocking`` is off and another process holds it."""
        return store.writer_lock(self.path, blocking=blocking)

    def write_articles(self, ids, procs=None):
        """Write articles ``ids`` as they are in the database now; those gone are deleted. Hold ``writing()``.

        Reading the articles under the lock is what makes a write safe to
        repeat and to reorder: an article deleted before the write is not
        written back. Many ids are written as ``rebuild_index`` writes, with
        writer processes from the cores (``write.build.procs_for``).
        """
        ids = sorted(set(ids))
        present = set()
        for start in range(0, len(ids), _ID_CHUNK):
            present.update(Article.objects.filter(pk__in=ids[start:start + _ID_CHUNK]).values_list("pk", flat=True))
        procs = procs or build.procs_for(len(present))
        written = (documents.document_for(article) for start in range(0, len(ids), _ID_CHUNK)
                   for article in documents.articles_for_index(Article.objects.filter(pk__in=ids[start:start + _ID_CHUNK])))
        return build.write_locked(written, self.path, delete_ids=sorted(set(ids) - present), procs=procs,
                                  limitmb=WRITER_LIMIT_MB if procs > 1 else build.DRAIN_LIMIT_MB)

    def check_writable(self):
        """Raise if the index itself is at fault: every segment must open, and an empty commit must succeed."""
        with store.open_or_create(self.path).searcher() as searcher:
            searcher.doc_count()
        build.write_locked((), self.path)

    def update(self, index, iterable, commit=True):
        """haystack's update: the objects' articles rewritten from the database under the writer lock."""
        if not self.setup_complete:
            self.setup()
        pks = [pk for pk in (getattr(obj, "pk", None) for obj in iterable) if pk is not None]
        if pks:
            with self.writing():
                self.write_articles(pks)

    def remove(self, obj_or_string, commit=True):
        if not self.setup_complete:
            self.setup()
        identifier = get_identifier(obj_or_string)
        with self.writing():
            build.write_locked((), self.path, delete_ids=[int(identifier.rsplit(".", 1)[1])])

    def rebuild(self, index, procs=None, using=None):
        """Replace the whole index with documents for ``index.index_queryset()``; returns their number.

        Readers keep the old index until the single commit that swaps in the
        new one (``write_locked`` with ``clear``). Edits made meanwhile
        stay queued and are applied right after; tasks queued before the
        build started are already reflected in it and are dropped.
        """
        from articles.search import sync

        with self.writing():
            reflected = sync.queued_ids()
            count = build.write_locked(build.article_documents(index.index_queryset(using=using).order_by("pk"), prepared=True),
                                 self.path, clear=True, procs=procs or build.default_procs())
            sync.forget(reflected)
        self.setup_complete = False  # haystack's own state reopens the new index when next used
        sync.drain(blocking=True)
        return count

    def update_all(self, queryset, procs=1):
        """Write the documents of ``queryset`` (rows of ``index_queryset()``) in one writer; returns their number."""
        from articles.search import sync

        if not self.setup_complete:
            self.setup()
        with self.writing():
            count = build.write_locked(build.article_documents(queryset.order_by("pk"), prepared=True), self.path, procs=procs)
        sync.drain(blocking=True)
        return count

    def clear(self, models=None, commit=True):
        # An empty commit that drops every segment: readers move from the old
        # index to the empty one in one step. No setup() first: clearing must
        # work on an index too damaged to open. This index holds articles only.
        with self.writing():
            build.write_locked((), self.path, clear=True)
        self.setup_complete = False

    def delete_index(self):
        self.clear()

    # --- what operators and the health check ask --------------------------

    def health(self):
        """{"engine", "documents"} of the index as searches see it; raises if it is missing or broken (never creates it)."""
        if not store.exists(self.path):
            raise store.IndexUnavailable(f"no search index in {self.path}")
        return {"engine": "whoosh", "documents": store.searcher(self.path).doc_count()}

    def state(self):
        """What ``bin/run`` needs to decide on a rebuild: an IndexState, read without opening an outdated index."""
        return store.state(self.path)


def _other_models(models):
    """True if SearchQuerySet.models() asked only for models other than Article, the one this index holds."""
    return bool(models) and Article not in models


# Article ids per query when writing by id (SQLite takes at most 999 parameters per query in older builds).
_ID_CHUNK = 500


def _period_start(key):
    """The first moment of a "2023-08" month or "2023" year, as haystack reports date facets."""
    year, _, month = key.partition("-")
    return datetime(int(year), int(month or 1), 1)


class ChineseWhooshSearchQuery(PlannedQuery, WhooshSearchQuery):
    reads_raw = False  # nothing typed reaches Whoosh's query parser

    def build_query(self):
        """The query tree itself: the backend evaluates it, with no query string in between."""
        return copy.deepcopy(self.query_filter)


class ChineseWhooshEngine(WhooshEngine):
    backend = ChineseWhooshSearchBackend
    query = ChineseWhooshSearchQuery
