"""GET /healthz — is this process able to serve the archive?

A load balancer or monitor polls it: 200 when the database answers and the
search index opens, 503 (with the failing part named) otherwise. It never
writes, never creates a missing index, and costs one tiny query plus a cached
index reader, so polling it every few seconds is harmless.
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


def check_index():
    connection = settings.HAYSTACK_CONNECTIONS["default"]
    path = connection.get("PATH")
    if path:
        return _check_whoosh(path)
    return _check_remote_engine()


def _check_whoosh(path):
    from whoosh import index as whoosh_index

    from articles.search import store

    # searcher() would create an empty index; a missing one is a failure here.
    if not whoosh_index.exists_in(path, indexname=store.INDEX_NAME):
        raise RuntimeError(f"no search index in {path}")
    return {"status": "ok", "engine": "whoosh", "documents": store.searcher(path).doc_count()}


def _check_remote_engine():
    from haystack.query import SearchQuerySet

    # A clustered engine (Elasticsearch/Solr): one cheap query proves it answers.
    return {"status": "ok", "engine": settings.HAYSTACK_CONNECTIONS["default"]["ENGINE"], "documents": SearchQuerySet().count()}


CHECKS = {"database": check_database, "index": check_index}


@never_cache
@require_safe
def healthz(request):
    report, healthy = {}, True
    for name, check in CHECKS.items():
        try:
            report[name] = check()
        except Exception as error:  # any failure is a reason not to send traffic here
            # Details (paths, host names) go to the log, not to the public.
            log.warning("health check %s failed: %s", name, error)
            report[name] = {"status": "error", "error": type(error).__name__}
            healthy = False
    report["status"] = "ok" if healthy else "error"
    return JsonResponse(report, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False})
