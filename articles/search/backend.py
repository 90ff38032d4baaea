"""haystack's Whoosh backend, extended for Chinese and for several processes.

Subclasses haystack's own backend and overrides only what must differ:

- ``build_schema`` returns the phnews schema (bigrams, unigrams, jieba words,
  stored result fields) instead of haystack's English StemmingAnalyzer one;
- ``update``/``remove``/``clear`` take the single-writer lock of
  ``articles.search.store`` and write with our writer, never failing
  silently (a swallowed LockError would leave a stale document behind);
- ``rebuild`` (what ``manage.py rebuild_index`` runs, see
  articles/management/commands/rebuild_index.py) writes the whole index
  with several writer processes and swaps it in atomically.

``update_index`` works as usual, through the edit queue.
"""

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend, WhooshSearchQuery
from haystack.utils import get_identifier
from whoosh import index as whoosh_index

from . import store
from .index.schema import build_schema
from .index.writer import new_writer


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

    def update(self, index, iterable, commit=True):
        """Reindex ``iterable`` through the sync queue.

        update_index reads its objects before writing them; writing those
        snapshots directly could resurrect an article deleted in between.
        Queueing the ids makes the single writer read each article's current
        state under the lock, exactly as for any other edit.
        """
        from . import sync

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
        from . import sync
        from .index.build import article_documents, default_procs, write_locked

        with store.writer_lock(self.path):
            reflected = sync.queued_ids()
            count = write_locked(article_documents(index.index_queryset(using=using).order_by("pk"), prepared=True),
                                 self.path, clear=True, procs=procs or default_procs())
            sync.forget(reflected)
        self.setup_complete = False  # haystack's own state reopens the new index when next used
        sync.drain(self.path, blocking=True)
        return count

    def clear(self, models=None, commit=True):
        if models is None:
            # An empty commit that drops every segment: readers move from
            # the old index to the empty one in one step. No setup() first:
            # clearing must work on an index too damaged to open.
            from .index.build import write_documents

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


class ChineseWhooshEngine(WhooshEngine):
    backend = ChineseWhooshSearchBackend
    query = WhooshSearchQuery
