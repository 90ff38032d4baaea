"""Search test fixtures: a private Whoosh index per test, the samples indexed through the queue."""

import pytest
from haystack import connections

from articles.search import store, sync


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):
    path = tmp_path / "index"
    settings.PHNEWS_INDEX_DIR = path
    settings.HAYSTACK_CONNECTIONS = {
        "default": {"ENGINE": "articles.search.backend.ChineseWhooshEngine", "PATH": str(path)}
    }
    connections.reload("default")
    store.forget_readers()
    yield path
    store.forget_readers()
    connections.reload("default")


@pytest.fixture
def indexed_samples(imported_samples, index_dir):
    """The five sample pages imported, and the queue their import filled drained into the index."""
    from articles.models import Article

    assert sync.pending() > 0, "the import should have queued its articles"
    sync.drain()
    assert sync.pending() == 0
    return list(Article.objects.select_related("page__issue").prefetch_related("credits__person").order_by("pk"))
