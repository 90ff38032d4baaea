"""Queued ids written through a haystack backend's own bulk ``update`` and ``remove``.

What the edit queue (``articles/search/sync.py``) asks of an engine that
takes concurrent writers and has no lock of its own (a search cluster):
``writing`` holds nothing, batches are claimed by the queue itself.
"""

import contextlib

from haystack import connections

from articles.search import documents


class HaystackWrites:
    """Mixed into a haystack backend: the queue's write methods, by the backend's ``update`` and ``remove``."""

    # The queue claims its batches with SELECT ... FOR UPDATE SKIP LOCKED
    # instead of taking an index lock.
    concurrent_writers = True
    drain_batch = 500

    def writing(self, blocking=True):
        return contextlib.nullcontext(True)

    def write_articles(self, ids):
        """Write articles ``ids`` as they are in the database now; those gone are removed."""
        from articles.models import Article

        index = connections[self.connection_alias].get_unified_index().get_index(Article)
        found = list(documents.articles_for_index(Article.objects.filter(pk__in=ids)))
        if found:
            self.update(index, found, commit=True)
        for pk in sorted(set(ids) - {a.pk for a in found}):
            self.remove(documents.document_id(pk), commit=True)

    @staticmethod
    def procs_for(count):
        return 1
