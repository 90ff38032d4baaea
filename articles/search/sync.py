"""Keeping the index in step with the database: a durable queue, one writer.

Every edit that changes what an article's search document holds writes an
IndexTask row *in the edit's own transaction* (model signals below, or
``articles_changed``/``articles_removed`` for bulk code that bypasses
signals). After commit the process tries to become the index's single writer
with a non-blocking ``flock``; if another process holds it, nothing is lost:
the holder loops until the queue is empty, and after releasing the lock it
looks once more, so a task committed while it was busy is always picked up.
No request ever waits for, or fails on, Whoosh's write lock.

The drain rewrites each queued article from the database as it is *now*, so
tasks are idempotent and their order does not matter; an article that no
longer exists is removed from the index.
"""

import contextlib
import logging
import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save

log = logging.getLogger(__name__)

BATCH = 500
_state = threading.local()


def _paused():
    return getattr(_state, "paused", 0) > 0


def enqueue(ids, using=None):
    from articles.models import IndexTask

    ids = sorted({int(pk) for pk in ids if pk is not None})
    if ids:
        IndexTask.objects.using(using).bulk_create([IndexTask(article_id=pk) for pk in ids], batch_size=BATCH)
    return ids


def articles_changed(ids, using=None):
    """Queue articles for reindexing; they are written once the transaction commits."""
    if enqueue(ids, using) and not _paused():
        transaction.on_commit(drain_quietly, using=using)


# A removed article is handled exactly like a changed one: the drain finds
# it gone and deletes its document.
articles_removed = articles_changed


@contextlib.contextmanager
def deferred():
    """Queue edits made inside the block and drain once at the end (imports, scripts)."""
    _state.paused = getattr(_state, "paused", 0) + 1
    try:
        yield
    finally:
        _state.paused -= 1
    if not _paused():
        transaction.on_commit(drain_quietly)


def drain(path=None, batch=BATCH, blocking=False):
    """Apply queued tasks if this process can become the writer; True if it did the work.

    Returns False when another process holds the lock (it will apply ours);
    ``blocking`` waits for the lock instead.
    """
    from .store import uses_local_index, writer_lock

    if not uses_local_index():
        return drain_to_cluster(batch)
    from articles.models import Article, IndexTask

    from .index.build import write_locked
    from .index.documents import articles_for_index, document_for

    did_work = False
    while True:
        with writer_lock(path, blocking=blocking) as acquired:
            if not acquired:
                return did_work
            did_work = True
            while True:
                tasks = list(IndexTask.objects.order_by("id").values_list("id", "article_id")[:batch])
                if not tasks:
                    break
                ids = {article_id for _, article_id in tasks}
                found = list(articles_for_index(Article.objects.filter(pk__in=ids)))
                gone = ids - {a.pk for a in found}
                write_locked((document_for(a) for a in found), path, delete_ids=sorted(gone))
                IndexTask.objects.filter(id__in=[task_id for task_id, _ in tasks]).delete()
        # Anything committed while we held the lock was left to us: look again.
        if not IndexTask.objects.exists():
            return did_work


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

    from .index.documents import articles_for_index, document_id

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
    """drain() for after-commit hooks: an index failure must not fail the edit.

    The tasks stay queued and the next edit, ``manage.py search_sync`` or a
    rebuild applies them.
    """
    try:
        drain()
    except Exception:
        log.exception("search index update failed; tasks stay queued")


def pending():
    from articles.models import IndexTask

    return IndexTask.objects.count()


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
