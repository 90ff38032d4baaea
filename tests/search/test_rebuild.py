"""manage.py rebuild_index: our writer, several processes, an atomic swap."""

import pytest
from django.core.management import call_command
from haystack import connections

from articles.models import Article
from articles.search.engines.local import store
from articles.search import sync
from articles.search.engines.local import build
from articles.search import documents

pytestmark = pytest.mark.django_db


def _count(client, q="平湖"):
    return client.get("/api/search", {"q": q}).json()["count"]


def _during_build(monkeypatch, after, action):
    """Run ``action()`` once the build has turned ``after`` articles into documents."""
    made = []
    real = documents.document_for

    def document_for(article):
        made.append(article.pk)
        if len(made) == after:
            action()
        return real(article)

    monkeypatch.setattr(documents, "document_for", document_for)
    monkeypatch.setattr(build, "document_for", document_for)
    return made


@pytest.mark.parametrize("workers", [1, 2])
def test_searches_during_rebuild_index_see_the_whole_old_index(client, indexed_samples, monkeypatch, workers):
    full = _count(client)
    assert full > 0
    seen = []

    def search_now():
        seen.append(_count(client))  # this process's searcher, opened before the build
        store.forget_readers()  # a worker that opens the index mid-build
        seen.append(_count(client))

    made = _during_build(monkeypatch, len(indexed_samples) // 2, search_now)
    call_command("rebuild_index", interactive=False, workers=workers, verbosity=0)
    assert len(made) == len(indexed_samples)
    assert seen == [full, full]
    assert _count(client) == full


def test_edits_made_during_rebuild_index_are_applied_after_it(client, indexed_samples, monkeypatch):
    first = indexed_samples[0]
    sync.enqueue([indexed_samples[1].pk])  # queued before: the build reflects it

    def edit():
        # The build has already read this article: only the queue can carry the edit.
        Article.objects.filter(pk=first.pk).update(title="鸡鸣寺桥修缮")
        sync.enqueue([first.pk])

    _during_build(monkeypatch, 3, edit)
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert sync.pending() == 0
    assert _count(client, "鸡鸣寺桥修缮") == 1


def test_rebuild_index_replaces_an_index_it_cannot_open(client, indexed_samples, index_dir, settings):
    full = _count(client)
    settings.PHNEWS_INDEX_DIR = index_dir  # our own copy, not the module's shared sample index
    settings.HAYSTACK_CONNECTIONS = {"default": {**settings.HAYSTACK_CONNECTIONS["default"], "PATH": str(index_dir)}}
    connections.reload("default")
    call_command("rebuild_index", interactive=False, verbosity=0)
    for toc in index_dir.glob("_MAIN_*.toc"):
        toc.write_bytes(b"not a table of contents")
    store.forget_readers()
    call_command("rebuild_index", interactive=False, verbosity=0)
    store.forget_readers()
    assert _count(client) == full


def test_rebuild_index_asks_before_replacing(indexed_samples, monkeypatch, capsys):
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    called = []
    monkeypatch.setattr(build, "write_locked", lambda *a, **kw: called.append(a))
    call_command("rebuild_index")
    assert "No action taken." in capsys.readouterr().out
    assert called == []


def test_writer_processes_come_from_the_setting_or_the_cores(settings, monkeypatch):
    settings.PHNEWS_INDEX_PROCS = 3
    assert build.default_procs() == 3
    settings.PHNEWS_INDEX_PROCS = 0
    monkeypatch.setattr(build.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert build.default_procs() == 2
    monkeypatch.setattr(build.os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    assert build.default_procs() == build.MAX_AUTO_PROCS
