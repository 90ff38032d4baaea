"""Telling the search index which articles an import changed.

articles/search/sync.py keeps a durable queue (IndexTask rows) that must be
written in the same transaction as the edit, so notify() is called inside a
file's transaction: a rolled-back file leaves no task, a committed one always
does. Saves and deletes also queue through model signals; notify() covers the
bulk writes that bypass them (credits, positions, continuations). The run is
wrapped in sync.deferred() so the index is written once, at the end.
"""

import contextlib

# The search app's queue (articles/search/sync.py), registered at start-up
# (articles/apps.py) so the import never imports search.
_sync = None


def provide(sync):
    global _sync
    _sync = sync


def notify(changed_ids, removed_ids):
    sync = _sync
    if sync is None:
        return  # no search installed: `manage.py rebuild_index` covers it later
    if removed_ids:
        sync.articles_removed(sorted(removed_ids))
    if changed_ids:
        sync.articles_changed(sorted(changed_ids))


def deferred():
    sync = _sync
    if sync is None:
        return contextlib.nullcontext()
    return sync.deferred()
