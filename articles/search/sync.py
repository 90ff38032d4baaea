"""Keeping the index in step with the database: a durable queue, one writer.

Every edit that changes what an article's search document holds writes an
IndexTask row *in the edit's own transaction* (model signals below, or
``articles_changed``/``articles_removed`` for bulk code that bypasses
signals), and that is all a request does: no request reads or writes the
index for an edit, however long the queue.

The queue is drained by one background process, ``manage.py search_sync
--loop`` (started by ``bin/run`` beside gunicorn), which polls it every
second or so; commands such as ``import_pages`` also drain once at their
end (``deferred``). Whoever drains first takes the index's single-writer
lock with a non-blocking ``flock``; if another process holds it, nothing is
lost: the holder loops until the queue is empty and, after releasing the
lock, looks once more, so a task committed while it was busy is always
picked up.

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
# The writer buffer of a drain (an import's, an edit's). Its own articles fill
# little of it; what fills it is a merge of small segments (up to 20,000
# documents, index/merging.py), which spills past this. Measured on a 100k
# archive (docs/search-benchmark.md): import peak 814 MB at the full builder's
# 512, 440 MB at 192, same CPU.
DRAIN_LIMIT_MB = 192
# A task whose article fails to index waits this long before its next try,
# doubling up to RETRY_MAX_SECONDS; /healthz shows it as the queue's age.
RETRY_SECONDS = 60
RETRY_MAX_SECONDS = 3600
_state = threading.local()
_failing = {}  # article id -> (next try, monotonic seconds; seconds to wait after the next failure)


def _paused():
    return getattr(_state, "paused", 0) > 0


def enqueue(ids, using=None):
    from articles.models import IndexTask

    ids = sorted({int(pk) for pk in ids if pk is not None})
    if ids:
        IndexTask.objects.using(using).bulk_create([IndexTask(article_id=pk) for pk in ids], batch_size=BATCH)
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


def drain(path=None, batch=BATCH, blocking=False):
    """Apply queued tasks if this process can become the writer; True if it did the work.

    Returns False when another process holds the lock (it will apply ours);
    ``blocking`` waits for the lock instead. Articles that fail to index are
    left queued for a later retry; if nothing at all can be written, raises
    IndexWriteFailed with the tasks left queued.
    """
    from articles.search.engines.local.store import uses_local_index, writer_lock

    if not uses_local_index():
        return drain_to_cluster(batch)

    did_work = False
    while True:
        with writer_lock(path, blocking=blocking) as acquired:
            if not acquired:
                return did_work
            did_work = True
            while _drain_batch(path, batch):
                pass
        # Anything committed while we held the lock was left to us: look again.
        if not _ready_tasks(1):
            return did_work


def _ready_tasks(limit):
    """[(task id, article id)] of the oldest tasks not waiting for a retry."""
    from articles.models import IndexTask

    now = time.monotonic()
    waiting = [pk for pk, (retry_at, _) in _failing.items() if retry_at > now]
    tasks = IndexTask.objects.exclude(article_id__in=waiting) if waiting else IndexTask.objects
    return list(tasks.order_by("id").values_list("id", "article_id")[:limit])


def _drain_batch(path, batch):
    """Apply one batch of ready tasks (under the writer lock); False when none are ready."""
    from articles.models import IndexTask

    tasks = _ready_tasks(batch)
    if not tasks:
        return False
    ids = sorted({article_id for _, article_id in tasks})
    try:
        _write_articles(ids, path)
        written, failed = set(ids), {}
    except Exception as error:  # noqa: BLE001 - the index or one article: find out which
        if _disk_error(error):
            raise IndexWriteFailed(f"the search index cannot be written: {error!r}") from error
        try:
            _check_index(path)
        except Exception as index_error:
            raise IndexWriteFailed(f"the search index cannot be written: {index_error!r}") from index_error
        log.warning("search index: a batch of %d articles failed (%r); finding the failing ones", len(ids), error)
        written, failed = _isolate(ids, path) if len(ids) > 1 else (set(), {ids[0]: error})
    for article_id, article_error in failed.items():
        _, wait = _failing.get(article_id, (0, RETRY_SECONDS))
        _failing[article_id] = (time.monotonic() + wait, min(wait * 2, RETRY_MAX_SECONDS))
        log.error("search index: article %s failed to index (%r); it stays queued, next try in %d s",
                  article_id, article_error, wait)
    for article_id in written:
        _failing.pop(article_id, None)
    IndexTask.objects.filter(id__in=[task_id for task_id, article_id in tasks if article_id in written]).delete()
    return True


def _isolate(ids, path):
    """Write ``ids`` (2 or more) in halves, down to single articles: (ids written, {id: error} of those that failed)."""
    written, failed = set(), {}
    middle = len(ids) // 2
    for half in (ids[:middle], ids[middle:]):
        try:
            _write_articles(half, path)
            written |= set(half)
        except Exception as error:  # noqa: BLE001 - look inside this half
            if len(half) == 1:
                failed[half[0]] = error
            else:
                more_written, more_failed = _isolate(half, path)
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


def _check_index(path):
    """Raise if the index itself is at fault: every segment must open, and an empty commit must succeed."""
    from articles.search.engines.local.store import open_or_create

    with open_or_create(path).searcher() as searcher:
        searcher.doc_count()
    _write_articles([], path)


def _write_articles(ids, path):
    from articles.models import Article

    from articles.search.engines.local.write.build import write_locked
    from articles.search.documents import articles_for_index, document_for

    found = list(articles_for_index(Article.objects.filter(pk__in=ids)))
    gone = set(ids) - {a.pk for a in found}
    write_locked((document_for(a) for a in found), path, delete_ids=sorted(gone), limitmb=DRAIN_LIMIT_MB)


def drain_to_cluster(batch=BATCH):
    """Apply queued tasks through the configured haystack backend (a search cluster).

    A cluster takes concurrent writers, so there is no index lock: each batch
    of tasks is claimed with SELECT ... FOR UPDATE SKIP LOCKED (on PostgreSQL;
    SQLite serialises writers anyway), written with the backend's bulk
    update/remove, and deleted in the same transaction, so a failed write
    leaves the tasks queued. Returns True if any task was applied.
    """
    from haystack import connections

    from articles.models import Article, IndexTask

    from articles.search.documents import articles_for_index, document_id

    connection = connections["default"]
    backend = connection.get_backend()
    index = connection.get_unified_index().get_index(Article)
    did_work = False
    while True:
        with transaction.atomic():
            claimed = IndexTask.objects.select_for_update(skip_locked=True).order_by("id")
            tasks = list(claimed.values_list("id", "article_id")[:batch])
            if not tasks:
                return did_work
            ids = {article_id for _, article_id in tasks}
            found = list(articles_for_index(Article.objects.filter(pk__in=ids)))
            if found:
                backend.update(index, found, commit=True)
            for pk in sorted(ids - {a.pk for a in found}):
                backend.remove(document_id(pk), commit=True)
            IndexTask.objects.filter(id__in=[task_id for task_id, _ in tasks]).delete()
        did_work = True


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
