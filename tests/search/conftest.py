"""Search test fixtures: a private Whoosh index per test; the samples imported and indexed once per module."""

from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import override_settings
from haystack import connections

from articles.search.engines.local import store

from articles.search import sync


def _haystack(path):
    return {"default": {"ENGINE": "articles.search.engines.local.backend.ChineseWhooshEngine", "PATH": str(path)}}


def _point_at(settings, path):
    settings.PHNEWS_INDEX_DIR = path
    settings.HAYSTACK_CONNECTIONS = _haystack(path)
    connections.reload("default")
    store.forget_readers()


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):
    path = tmp_path / "index"
    _point_at(settings, path)
    yield path
    store.forget_readers()
    connections.reload("default")


@pytest.fixture(scope="module")
def sample_index(django_db_setup, django_db_blocker, tmp_path_factory):
    """The five sample pages imported through import_pages, indexed through the sync queue.

    Imported once per module (the import is the slow part) and flushed after
    it; tests still run in their own rolled-back transaction.
    """
    path = tmp_path_factory.mktemp("sample_index") / "index"
    with django_db_blocker.unblock(), override_settings(PHNEWS_INDEX_DIR=path, HAYSTACK_CONNECTIONS=_haystack(path),
                                                         PHNEWS_DATA_DIR=path.parent / "data"):
        connections.reload("default")
        with sync.deferred():
            call_command("import_pages", str(django_settings.PHNEWS_SAMPLES_DIR), "--no-copy", stdout=StringIO())
        sync.drain()
        assert sync.pending() == 0
    connections.reload("default")
    yield path
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def indexed_samples(sample_index, db, settings):
    """Every imported sample article, with the shared sample index in use."""
    from articles.models import Article

    _point_at(settings, sample_index)
    return list(Article.objects.select_related("page__issue").prefetch_related("credits__person").order_by("pk"))


@pytest.fixture
def two_segments(indexed_samples, tmp_path):
    """(index path, documents): the sample articles in two segments, two of them deleted."""
    from articles.models import Article
    from articles.search.engines.local.build import write_documents
    from articles.search.documents import articles_for_index, document_for

    docs = [document_for(a) for a in articles_for_index(Article.objects.order_by("pk"))]
    path = tmp_path / "two_segments"
    half = len(docs) // 2
    write_documents(docs[:half], path, clear=True)
    write_documents(docs[half:], path)
    write_documents([], path, delete_ids=[int(docs[1]["django_id"]), int(docs[-2]["django_id"])])
    store.forget_readers()
    yield path, docs
    store.forget_readers()
