"""A damaged index costs readers a clear message, never a 500, and a repair is seen without a restart.

A real Whoosh index on disk: a segment file is deleted under a process that
has a cached searcher, then ``rebuild_index`` repairs the directory.
"""

import logging

import pytest
from django.core.management import call_command
from django.db import transaction

from articles.models import Article
from articles.search import sync
from articles.search.service import UNAVAILABLE


def _segment_files(index_dir):
    return sorted(p for p in index_dir.iterdir() if p.suffix == ".seg")


def _damage(index_dir):
    """Add a segment through an ordinary edit, then delete that segment's file."""
    before = set(_segment_files(index_dir))
    article = Article.objects.get(title="黎族纺织文化展")
    with transaction.atomic():
        article.title = "黎族织锦技艺展"
        article.save()
    sync.drain()
    (new,) = set(_segment_files(index_dir)) - before
    content = new.read_bytes()
    new.unlink()
    return new, content


@pytest.mark.django_db(transaction=True)
def test_a_deleted_segment_shows_the_message_and_a_rebuild_is_seen_at_once(client, index_dir, imported_samples,
                                                                           caplog):
    sync.drain()
    healthy = client.get("/api/search", {"q": "平湖"}).json()
    assert healthy["count"] > 0 and "error" not in healthy

    _damage(index_dir)
    with caplog.at_level(logging.ERROR, logger="articles.search"):
        page = client.get("/search/", {"q": "平湖"})
        api = client.get("/api/search", {"q": "平湖"})
    assert page.status_code == 503 and UNAVAILABLE in page.content.decode()
    assert 'name="q"' in page.content.decode()  # the page itself, with its search form
    assert api.status_code == 503 and api.json()["error"] == UNAVAILABLE and api.json()["count"] == 0
    assert any("search index failed" in r.getMessage() for r in caplog.records)  # the operator sees why

    call_command("rebuild_index", interactive=False, verbosity=0)
    repaired = client.get("/api/search", {"q": "平湖"})
    assert repaired.status_code == 200
    assert repaired.json()["count"] == healthy["count"] and "error" not in repaired.json()
    edited = client.get("/api/search", {"q": "织锦技艺", "match": "exact"}).json()
    assert [hit["title"] for hit in edited["results"]] == ["黎族织锦技艺展"]


@pytest.mark.django_db(transaction=True)
def test_an_article_page_reached_from_a_search_survives_a_damaged_index(client, index_dir, imported_samples):
    sync.drain()
    hit = client.get("/api/search", {"q": "平湖"}).json()["results"][0]
    _damage(index_dir)
    response = client.get(hit["url"], {"q": "平湖", "hit": 1})
    assert response.status_code == 200  # the article is in the database; only the result links are missing


@pytest.mark.django_db(transaction=True)
def test_a_rebuilt_directory_is_never_mistaken_for_the_cached_one(client, index_dir, imported_samples):
    """A rebuild starts the generation count again; a cached searcher of the old directory must not be reused."""
    sync.drain()
    assert client.get("/api/search", {"q": "织锦技艺", "match": "exact"}).json()["count"] == 0
    Article.objects.filter(title="黎族纺织文化展").update(title="黎族织锦技艺展")  # bypasses the queue
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert client.get("/api/search", {"q": "织锦技艺", "match": "exact"}).json()["count"] == 1


@pytest.mark.django_db(transaction=True)
def test_a_segment_file_put_back_is_used_again(client, index_dir, imported_samples, monkeypatch):
    from articles.search.engines.local import store

    sync.drain()
    segment, content = _damage(index_dir)
    assert client.get("/api/search", {"q": "平湖"}).status_code == 503
    segment.write_bytes(content)
    # Until the index changes, a failed open is retried only every REOPEN_SECONDS.
    assert client.get("/api/search", {"q": "平湖"}).status_code == 503
    monkeypatch.setattr(store, "REOPEN_SECONDS", 0)
    found = client.get("/api/search", {"q": "织锦技艺", "match": "exact"})
    assert found.status_code == 200 and found.json()["count"] == 1
