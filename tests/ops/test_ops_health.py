"""/healthz: 200 with the database and index answering, 503 naming what failed."""

from articles.models import Article
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
