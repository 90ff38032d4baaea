"""Searching keeps working as edits add segments to the index.

Facets and date sorts read whole columns; an edit writes a new segment, and
every docnum after it must still find its own values."""

import pytest
from django.db import transaction

from articles.models import Article
from articles.search import sync


@pytest.mark.django_db(transaction=True)
def test_search_facets_and_sorts_after_an_edit_writes_a_new_segment(client, index_dir, imported_samples):
    sync.drain()
    before = client.get("/api/search", {"q": "平湖"}).json()
    article = Article.objects.get(title="我市一建设项目获省优")
    with transaction.atomic():
        article.title = "我市一建设项目获省优质工程奖"
        article.column = ""  # an empty column value in the new segment
        article.save()
    sync.drain()
    for sort in ("relevance", "newest", "oldest"):
        response = client.get("/search/", {"q": "平湖", "sort": sort})
        assert response.status_code == 200, sort
    after = client.get("/api/search", {"q": "平湖"}).json()
    assert after["count"] == before["count"]
    assert after["facets"]["year"] == before["facets"]["year"]
    assert client.get("/api/search", {"q": "省优质工程"}).json()["results"][0]["title"] == "我市一建设项目获省优质工程奖"


@pytest.mark.django_db(transaction=True)
def test_a_repeated_search_sees_an_edit_made_in_between(client, index_dir, imported_samples):
    """Match sets are cached per searcher; an edit's new segment must not be served from a stale set."""
    sync.drain()
    query = {"q": "织锦技艺", "match": "exact"}
    assert client.get("/api/search", query).json()["count"] == 0
    assert client.get("/api/search", query).json()["count"] == 0  # now from the cache
    article = Article.objects.get(title="黎族纺织文化展")
    with transaction.atomic():
        article.title = "黎族织锦技艺展"
        article.save()
    sync.drain()
    found = client.get("/api/search", query).json()
    assert found["count"] == 1 and found["results"][0]["title"] == "黎族织锦技艺展"
    # Paging the same search reuses its match set and stays consistent.
    assert client.get("/api/search", dict(query, page=2)).json()["count"] == 1
