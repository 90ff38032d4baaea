"""haystack's update_index, writing the update in one writer on our engine.

haystack's command hands the backend one batch (``--batch-size``, 1,000) at a
time; on our engine each batch went through the edit queue and was written
by one process, a commit every 500 articles with merges between, and
``--workers`` forked haystack workers that only queued for the one writer
lock. On a backend that can (ours, articles/search/backend.py:
``update_all``) this command writes the whole update in one writer, the way
``rebuild_index`` writes a build: with writer processes from the cores
(PHNEWS_INDEX_PROCS, else one per core, at most 4) when it holds at least
``BIG_WRITE`` articles (engines/local/build.py), else one process (starting writer processes and
their extra segments cost more than a few hundred articles take to write);
``--workers N`` sets the number of processes whatever the size.

``--remove`` and any other backend (a search cluster) get haystack's command
as it is. ``--batch-size``, ``--nocommit`` and ``--max-retries`` apply to
that path only: our write commits once and raises on failure, leaving the
index as it was.
"""

from haystack import connections
from haystack.exceptions import NotHandled
from haystack.management.commands import update_index
from haystack.utils.app_loading import haystack_get_models


class Command(update_index.Command):
    def update_backend(self, label, using):
        backend = connections[using].get_backend()
        if not hasattr(backend, "update_all") or self.remove:
            return super().update_backend(label, using)
        unified = connections[using].get_unified_index()
        for model in haystack_get_models(label):
            try:
                index = unified.get_index(model)
            except NotHandled:
                continue
            queryset = index.build_queryset(using=using, start_date=self.start_date, end_date=self.end_date)
            total = queryset.count()
            procs = self.workers or backend.procs_for(total)
            if self.verbosity >= 1:
                self.stdout.write(f"Indexing {total} {model._meta.verbose_name_plural} "
                                  f"({procs} writer process{'es' if procs > 1 else ''})")
            if total:
                backend.update_all(queryset, procs=procs)
