"""With a non-local search engine, the queue drains through haystack's backend.

No cluster runs here. The engine below is the local one whose ``update``
writes haystack's prepared documents straight to the index (with our
writer, as a cluster backend's bulk call sends them), mixed with what a
backend that takes concurrent writers has (``HaystackWrites``, as the
cluster engine), so the drain takes its cluster form: claim tasks, write
through backend.update()/remove(), delete the tasks.
"""

import pytest
from django.db import transaction
from haystack import connections

from articles.models import Article, IndexTask
from articles.search import service, sync
from articles.search.engines.local.backend import ChineseWhooshEngine, ChineseWhooshSearchBackend
from articles.search.engines.haystack_writes import HaystackWrites
from articles.search.engines.local.build import write_documents


class DirectBackend(HaystackWrites, ChineseWhooshSearchBackend):
    def update(self, index, iterable, commit=True):
        """Writes haystack's prepared documents at once, like a cluster's bulk API."""
        write_documents([index.full_prepare(obj) for obj in iterable], self.path)


class ClusterLikeEngine(ChineseWhooshEngine):
    backend = DirectBackend


ENGINE = f"{ClusterLikeEngine.__module__}.{ClusterLikeEngine.__qualname__}"


@pytest.fixture
def cluster_like(settings, tmp_path, imported_samples):
    # haystack keeps the connection settings it started with; point it, and
    # Django's settings (which the dispatcher reads), at the cluster stand-in.
    configured = {"default": {"ENGINE": ENGINE, "PATH": str(tmp_path / "cluster")}}
    settings.HAYSTACK_CONNECTIONS = configured
    started_with = connections.connections_info
    connections.connections_info = configured
    connections.reload("default")
    assert sync.backend().concurrent_writers
    IndexTask.objects.all().delete()
    sync.enqueue(Article.objects.values_list("pk", flat=True))
    yield
    connections.connections_info = started_with
    connections.reload("default")


def titles(q):
    return [hit.title for hit in service.search(service.SearchRequest(q=q), snippets=False).hits]


@pytest.mark.django_db(transaction=True)
def test_queue_drains_through_the_haystack_backend(cluster_like):
    assert sync.drain() is True
    assert sync.pending() == 0
    assert titles("黎族纺织") == ["黎族纺织文化展"]

    article = Article.objects.get(title="黎族纺织文化展")
    with transaction.atomic():  # an edit queues its task in its own transaction
        article.title = "衣被海南黎族纺织文化展"
        article.save()
    assert sync.pending() == 1  # queued; the sync loop drains it, through the backend
    assert sync.drain() is True and sync.pending() == 0
    assert titles("衣被海南") == ["衣被海南黎族纺织文化展"]

    article.delete()
    assert sync.drain() is True and sync.pending() == 0
    assert titles("衣被海南") == []


@pytest.mark.django_db(transaction=True)
def test_a_failed_cluster_write_leaves_the_tasks_queued(cluster_like, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cluster unavailable")

    # A cluster that is down fails its writes and its health check alike.
    monkeypatch.setattr(DirectBackend, "update", down)
    monkeypatch.setattr(DirectBackend, "check_writable", down)
    queued = sync.pending()
    with pytest.raises(sync.IndexWriteFailed):
        sync.drain()
    assert sync.pending() == queued  # nothing lost: the next drain applies them
