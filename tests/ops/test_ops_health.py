"""/healthz: 200 with the database and index answering and search in step; 503 naming what failed."""

from articles.models import Article, IndexTask
from articles.search import sync


def test_healthy_archive_reports_database_and_index(client, index_dir, imported_samples):
    sync.drain()
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["database"]["queued_index_updates"] == 0
    assert body["index"]["documents"] == Article.objects.count() > 0
    assert "no-cache" in response["Cache-Control"]


def test_missing_index_is_unhealthy_and_not_created(client, index_dir, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["index"]["status"] == "error"
    assert body["database"]["status"] == "ok"
    assert not index_dir.exists()


def test_database_failure_is_unhealthy(client, index_dir, db, monkeypatch):
    from phnews import health

    def broken(alias="default"):
        raise health.connections[alias].Database.OperationalError("server closed the connection")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == {"status": "error", "error": "OperationalError"}


def test_only_reads_are_allowed(client, index_dir, db):
    assert client.post("/healthz").status_code == 405


def test_reports_index_documents_against_articles_and_the_queue(client, index_dir, imported_samples):
    sync.drain()
    body = client.get("/healthz").json()
    assert body["index"]["documents"] == body["index"]["articles"] == Article.objects.count()
    assert body["queue"] == {"status": "ok", "size": 0, "oldest_age_seconds": None,
                             "max_size": 20000, "max_age_seconds": 300}


def test_an_index_missing_documents_is_unhealthy(client, index_dir, imported_samples):
    from indexing import index_articles

    # An index that lost most of its documents (as after a failed update), with nothing queued to restore them.
    index_articles(Article.objects.order_by("pk")[:3], clear=True)
    IndexTask.objects.all().delete()
    response = client.get("/healthz")
    assert response.status_code == 503
    index = response.json()["index"]
    assert index["status"] == "error" and index["documents"] == 3 and index["articles"] == Article.objects.count()
    assert "rebuild" in index["problems"][0]


def test_queued_updates_explain_a_difference_until_they_are_too_many(client, index_dir, imported_samples, settings):
    sync.drain()
    article = Article.objects.order_by("pk").first()
    article.delete()  # its document stays until the queue is drained; the task explains the difference
    assert client.get("/healthz").status_code == 200
    settings.PHNEWS_HEALTH_MAX_QUEUE = 0
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["queue"]["status"] == "error" and response.json()["queue"]["size"] == IndexTask.objects.count() > 0
    assert response.json()["index"]["status"] == "ok"


def test_an_old_queued_update_is_unhealthy(client, index_dir, imported_samples, settings):
    from datetime import timedelta

    from django.utils import timezone

    sync.drain()
    sync.articles_changed([Article.objects.order_by("pk").first().pk])
    assert client.get("/healthz").status_code == 200
    IndexTask.objects.update(created_at=timezone.now() - timedelta(minutes=10))
    response = client.get("/healthz")
    assert response.status_code == 503
    queue = response.json()["queue"]
    assert queue["status"] == "error" and queue["oldest_age_seconds"] >= 600
    assert "search_sync --loop" in queue["problems"][0]
    settings.PHNEWS_HEALTH_MAX_QUEUE_AGE = 3600  # the limit is the operator's
    assert client.get("/healthz").status_code == 200
