"""GET /healthz — is this process able to serve the archive, and is search right?

A load balancer or monitor polls it: 200 when the database answers, the
search index opens and holds the archive's articles, and the index queue is
being worked off; 503 (with the failing part named) otherwise:

- ``index``: its document count against the archive's article count. Queued
  tasks explain a difference of up to their number (a new article not yet
  written); more than ``PHNEWS_HEALTH_MAX_INDEX_GAP`` beyond that means the
  index lost documents that nothing will bring back (rebuild it).
- ``queue``: the IndexTask queue's size and the age of its oldest task,
  against ``PHNEWS_HEALTH_MAX_QUEUE`` and ``PHNEWS_HEALTH_MAX_QUEUE_AGE``
  (seconds): a queue that grows or ages means the background writer
  (``search_sync --loop``) is stopped, stuck or failing.

It never writes, never creates a missing index, and costs three small
queries plus a cached index reader, so polling it every few seconds is
harmless.
"""

import logging

from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)


def check_database(alias="default"):
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    from articles.models import IndexTask

    # Also proves the schema is migrated, and shows a stuck index queue.
    return {"status": "ok", "vendor": connections[alias].vendor, "queued_index_updates": IndexTask.objects.count()}


def check_queue():
    from django.utils import timezone

    from articles.search import sync

    size, oldest = sync.queue_state()
    age = round((timezone.now() - oldest).total_seconds(), 1) if oldest else None
    report = {"status": "ok", "size": size, "oldest_age_seconds": age,
              "max_size": settings.PHNEWS_HEALTH_MAX_QUEUE, "max_age_seconds": settings.PHNEWS_HEALTH_MAX_QUEUE_AGE}
    problems = []
    if size > settings.PHNEWS_HEALTH_MAX_QUEUE:
        problems.append(f"{size} index updates queued (limit {settings.PHNEWS_HEALTH_MAX_QUEUE})")
    if age is not None and age > settings.PHNEWS_HEALTH_MAX_QUEUE_AGE:
        problems.append(f"the oldest queued index update waits since {age:.0f} s "
                        f"(limit {settings.PHNEWS_HEALTH_MAX_QUEUE_AGE} s): is search_sync --loop running?")
    return _judged(report, problems)


def check_index():
    from articles.models import Article, IndexTask
    from articles.search import sync

    report = {"status": "ok", **sync.backend().health()}
    articles, queued = Article.objects.count(), IndexTask.objects.count()
    report.update(articles=articles, max_gap=settings.PHNEWS_HEALTH_MAX_INDEX_GAP)
    unexplained = abs(articles - report["documents"]) - queued
    problems = []
    if unexplained > settings.PHNEWS_HEALTH_MAX_INDEX_GAP:
        problems.append(f"the index holds {report['documents']} documents for {articles} articles with "
                        f"{queued} updates queued (limit {settings.PHNEWS_HEALTH_MAX_INDEX_GAP} more): rebuild it")
    return _judged(report, problems)


def _judged(report, problems):
    if problems:
        report.update(status="error", problems=problems)
    return report


CHECKS = {"database": check_database, "index": check_index, "queue": check_queue}


@never_cache
@require_safe
def healthz(request):
    report, healthy = {}, True
    for name, check in CHECKS.items():
        try:
            report[name] = check()
            healthy = healthy and report[name]["status"] == "ok"
        except Exception as error:  # any failure is a reason not to send traffic here
            # Details (paths, host names) go to the log, not to the public.
            # (The counts and limits above are no secret: the site shows them.)
            log.warning("health check %s failed: %s", name, error)
            report[name] = {"status": "error", "error": type(error).__name__}
            healthy = False
    report["status"] = "ok" if healthy else "error"
    return JsonResponse(report, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False})
