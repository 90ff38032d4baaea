"""Keeping the index in step with the database: the durable queue, handed to the configured engine.

Every edit that changes what an article's search document holds writes an
IndexTask row *in the edit's own transaction* (model signals below, or
``articles_changed``/``articles_removed`` for bulk code that bypasses
signals), and that is all a request does: no request reads or writes the
index for an edit, however long the queue.

The queue is drained by one background process, ``manage.py search_sync
--loop`` (started by ``bin/run`` beside gunicorn), which polls it every
second or so; commands such as ``import_pages`` also drain once at their
end (``deferred``). This module knows nothing of the engine: it hands the
queued ids to the configured haystack backend (``write_articles``), inside
the backend's ``writing()`` (the local index's single-writer lock, taken
with a non-blocking ``flock``; nothing for a cluster, which takes
concurrent writers). If another process holds the lock, nothing is lost:
the holder loops until the queue is empty and, after releasing the lock,
looks once more, so a task committed while it was busy is always picked up.

Each change is queued once per transaction: an import saves an article
(the model signal queues it) and then tells the queue about its bulk
writes (``articles_changed``) in the same transaction; an id already queued
by a transaction still open is not queued again.

The drain rewrites each queued article from the database as it is *now*, so
tasks are idempotent and their order does not matter; an article that no
longer exists is removed from the index. A batch that fails is split until
the failing articles are found; those stay queued and are retried later
(``RETRY_SECONDS``, doubling), while every other task is applied.
"""

import contextlib
import errno
import logging
import threading
import time

from django.db import transaction
from django.db.models.signals import post_delete, post_save

log = logging.getLogger(__name__)

BATCH = 500
# A task whose article fails to index waits this long before its next try,
# doubling up to RETRY_MAX_SECONDS; /healthz shows it as the queue's age.
RETRY_SECONDS = 60
RETRY_MAX_SECONDS = 3600
_state = threading.local()
_failing = {}  # article id -> (next try, monotonic seconds; seconds to wait after the next failure)


def _paused():
    return getattr(_state, "paused", 0) > 0


def _queued_by_open_transaction(connection):
    """The ids queued so far by the transaction open on ``connection`` (a set to add to); None in autocommit.

    A transaction is told apart by its list of on-commit hooks: Django
    replaces that list when the transaction commits or rolls back, and when
    a savepoint rolls back (its tasks are gone too), so a set kept beside
    the list only ever holds ids whose tasks still stand; a drain in the
    same transaction takes out the ids whose tasks it deleted.
    """
    if not connection.in_atomic_block:
        return None
    seen = _state.__dict__.setdefault("queued", {})
    hooks, ids = seen.get(connection.alias, (None, None))
    if hooks is not connection.run_on_commit:
        hooks, ids = connection.run_on_commit, set()
        seen[connection.alias] = (hooks, ids)
    return ids


def enqueue(ids, using=None):
    """Queue ``ids`` in the caller's transaction, skipping those it queued already; returns the ids queued."""
    from articles.models import IndexTask

    using = using or IndexTask.objects.db
    ids = {int(pk) for pk in ids if pk is not None}
    queued = _queued_by_open_transaction(transaction.get_connection(using))
    ids = sorted(ids - queued if queued is not None else ids)
    if ids:
        IndexTask.objects.using(using).bulk_create([IndexTask(article_id=pk) for pk in ids], batch_size=BATCH)
        if queued is not None:
            queued.update(ids)
    return ids


def articles_changed(ids, using=None):
    """Queue articles for reindexing, in the caller's transaction; the sync loop writes them."""
    enqueue(ids, using)


# A removed article is handled exactly like a changed one: the drain finds
# it gone and deletes its document.
articles_removed = articles_changed


@contextlib.contextmanager
def deferred():
    """Drain once at the end of the block, in this process: for commands (imports, scripts), never requests."""
    _state.paused = getattr(_state, "paused", 0) + 1
    try:
        yield
    finally:
        _state.paused -= 1
    if not _paused():
        transaction.on_commit(drain_quietly)


class IndexWriteFailed(RuntimeError):
    """No queued article could be written: the index (disk, permissions), not the articles, is at fault."""


def backend(using="default"):
    """The configured haystack backend: whichever engine it is, it writes what the queue hands it."""
    from haystack import connections

    return connections[using].get_backend()


def drain(blocking=False):
    """Hand queued tasks to the backend if this process can become the writer; True if it did the work.

    Returns False when another process holds the backend's writer lock (it
    will apply ours); ``blocking`` waits for it instead. Articles that fail
    to index are left queued for a later retry; if nothing at all can be
    written, raises IndexWriteFailed with the tasks left queued.
    """
    engine = backend()
    did_work = False
    while True:
        with engine.writing(blocking=blocking) as acquired:
            if not acquired:
                return did_work
            did_work = True
            while _drain_batch(engine):
                pass
        # Anything committed while we held the lock was left to us: look again.
        if engine.concurrent_writers or not _ready_tasks(1):
            return did_work


def _ready_tasks(limit, claim=False):
    """[(task id, article id)] of the oldest tasks not waiting for a retry (``claim``: locked for this transaction)."""
    from articles.models import IndexTask

    now = time.monotonic()
    waiting = [pk for pk, (retry_at, _) in _failing.items() if retry_at > now]
    tasks = IndexTask.objects.exclude(article_id__in=waiting) if waiting else IndexTask.objects.all()
    if claim:
        tasks = tasks.select_for_update(skip_locked=True)
    return list(tasks.order_by("id").values_list("id", "article_id")[:limit])


def _drain_batch(engine):
    """Apply one batch of ready tasks; False when none are ready.

    A backend with one writer (``concurrent_writers`` false: the local
    index, whose lock the caller holds) is handed everything ready at once,
    up to its ``drain_batch``, and writes it in one commit. One that takes
    concurrent writers (a cluster) gets batches claimed with SELECT ... FOR
    UPDATE SKIP LOCKED, written and deleted in one transaction.
    """
    if not engine.concurrent_writers:
        return _apply(engine, _ready_tasks(engine.drain_batch))
    with transaction.atomic():
        return _apply(engine, _ready_tasks(engine.drain_batch, claim=True))


def _apply(engine, tasks):
    from articles.models import IndexTask

    if not tasks:
        return False
    ids = sorted({article_id for _, article_id in tasks})
    try:
        engine.write_articles(ids)
        written, failed = set(ids), {}
    except Exception as error:  # noqa: BLE001 - the index or one article: find out which
        if _disk_error(error):
            raise IndexWriteFailed(f"the search index cannot be written: {error!r}") from error
        try:
            engine.check_writable()
        except Exception as index_error:
            raise IndexWriteFailed(f"the search index cannot be written: {index_error!r}") from index_error
        log.warning("search index: a batch of %d articles failed (%r); finding the failing ones", len(ids), error)
        written, failed = _isolate(engine, ids) if len(ids) > 1 else (set(), {ids[0]: error})
    for article_id, article_error in failed.items():
        _, wait = _failing.get(article_id, (0, RETRY_SECONDS))
        _failing[article_id] = (time.monotonic() + wait, min(wait * 2, RETRY_MAX_SECONDS))
        log.error("search index: article %s failed to index (%r); it stays queued, next try in %d s",
                  article_id, article_error, wait)
    for article_id in written:
        _failing.pop(article_id, None)
    done = [task_id for task_id, article_id in tasks if article_id in written]
    for start in range(0, len(done), BATCH):
        IndexTask.objects.filter(id__in=done[start:start + BATCH]).delete()
    # Drained inside the transaction that queued them: their tasks are gone,
    # so a later change in it must queue them again.
    queued = _queued_by_open_transaction(transaction.get_connection(IndexTask.objects.db))
    if queued:
        queued -= written
    return True


def _isolate(engine, ids):
    """Write ``ids`` (2 or more) in halves, down to single articles: (ids written, {id: error} of those that failed)."""
    written, failed = set(), {}
    middle = len(ids) // 2
    for half in (ids[:middle], ids[middle:]):
        try:
            engine.write_articles(half)
            written |= set(half)
        except Exception as error:  # noqa: BLE001 - look inside this half
            if len(half) == 1:
                failed[half[0]] = error
            else:
                more_written, more_failed = _isolate(engine, half)
                written |= more_written
                failed.update(more_failed)
    return written, failed


# A full, read-only or failing disk under the index: no article is to blame.
_DISK_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EIO}


def _disk_error(error):
    while error is not None:
        if isinstance(error, OSError) and error.errno in _DISK_ERRNOS:
            return True
        error = error.__cause__ or error.__context__
    return False


def forget_failures():
    """Let every article that failed to index be tried at the next drain (tests, and an operator's retry)."""
    _failing.clear()


def drain_quietly():
    """drain() at the end of a command's ``deferred`` block: an index failure must not fail the edits.

    The tasks stay queued; the sync loop, ``manage.py search_sync`` or a
    rebuild applies them.
    """
    try:
        drain()
    except Exception:
        log.exception("search index update failed; tasks stay queued")


def queued_ids():
    """Ids of the tasks queued now (a full rebuild that starts after this reflects them all)."""
    from articles.models import IndexTask

    return list(IndexTask.objects.order_by("id").values_list("id", flat=True))


def forget(task_ids):
    """Drop tasks a full rebuild has made moot."""
    from articles.models import IndexTask

    task_ids = list(task_ids)
    for start in range(0, len(task_ids), BATCH):
        IndexTask.objects.filter(id__in=task_ids[start : start + BATCH]).delete()


def pending():
    from articles.models import IndexTask

    return IndexTask.objects.count()


def queue_state():
    """(number of queued tasks, when the oldest was queued or None) in one query."""
    from django.db.models import Count, Min

    from articles.models import IndexTask

    state = IndexTask.objects.aggregate(size=Count("id"), oldest=Min("created_at"))
    return state["size"], state["oldest"]


# --- model signals ---------------------------------------------------------

def _article_saved(sender, instance, **kwargs):
    articles_changed([instance.pk], using=kwargs.get("using"))


def _credit_changed(sender, instance, **kwargs):
    articles_changed([instance.article_id], using=kwargs.get("using"))


def _person_saved(sender, instance, created=False, **kwargs):
    if created:
        return
    from articles.models import Credit

    ids = Credit.objects.using(kwargs.get("using")).filter(person_id=instance.pk).values_list("article_id", flat=True)
    articles_changed(list(ids), using=kwargs.get("using"))


def _page_saved(sender, instance, created=False, **kwargs):
    if created:
        return
    articles_changed(list(instance.articles.values_list("pk", flat=True)), using=kwargs.get("using"))


def _issue_saved(sender, instance, created=False, **kwargs):
    if created:
        return
    from articles.models import Article

    ids = Article.objects.using(kwargs.get("using")).filter(page__issue_id=instance.pk).values_list("pk", flat=True)
    articles_changed(list(ids), using=kwargs.get("using"))


def connect_signals():
    from articles.models import Article, Credit, Issue, Page, Person

    post_save.connect(_article_saved, sender=Article, dispatch_uid="search_article_saved")
    post_delete.connect(_article_saved, sender=Article, dispatch_uid="search_article_deleted")
    post_save.connect(_credit_changed, sender=Credit, dispatch_uid="search_credit_saved")
    post_delete.connect(_credit_changed, sender=Credit, dispatch_uid="search_credit_deleted")
    post_save.connect(_person_saved, sender=Person, dispatch_uid="search_person_saved")
    post_save.connect(_page_saved, sender=Page, dispatch_uid="search_page_saved")
    post_save.connect(_issue_saved, sender=Issue, dispatch_uid="search_issue_saved")
