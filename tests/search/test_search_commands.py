"""haystack's rebuild_index and update_index keep working on our engine."""

import pytest
from django.core.management import call_command

from articles.models import Article
from articles.search.service import SearchRequest, search

pytestmark = pytest.mark.django_db


def test_rebuild_and_update_index_commands(indexed_samples):
    before = search(SearchRequest(q="平湖"), facets=False).count
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert search(SearchRequest(q="平湖"), facets=False).count == before
    Article.objects.filter(pk=indexed_samples[0].pk).update(title="鸡鸣寺桥")  # no signal: bulk update
    assert search(SearchRequest(q="鸡鸣寺桥"), facets=False).count == 0
    call_command("update_index", verbosity=0)
    assert search(SearchRequest(q="鸡鸣寺桥"), facets=False).count == 1


@pytest.fixture
def own_index(indexed_samples, settings, tmp_path):
    """The sample articles in an index of this test's own (the module's shared one stays as it is)."""
    from tests.search.conftest import _point_at

    _point_at(settings, tmp_path / "own_index")
    call_command("rebuild_index", interactive=False, verbosity=0, workers=1)
    return indexed_samples


@pytest.fixture
def writers(monkeypatch):
    """The process count of every index writer opened by the one write path."""
    from articles.search.engines.local import build

    opened = []
    real = build.new_writer

    def recording(index, procs=1, **kwargs):
        opened.append(procs)
        return real(index, procs=procs, **kwargs)

    monkeypatch.setattr(build, "new_writer", recording)
    return opened


def _index_state():
    from articles.search.engines.local.store import open_or_create

    with open_or_create().searcher() as searcher:
        ids = [fields["django_id"] for fields in searcher.all_stored_fields()]
    return len(ids), len(set(ids))


@pytest.mark.parametrize("big_update, workers, procs", [(1, 0, 2), (10_000, 0, 1), (10_000, 3, 3)])
def test_update_index_writes_in_one_writer_with_processes_for_a_big_update(
        own_index, writers, settings, monkeypatch, capsys, big_update, workers, procs):
    from articles.search.engines.local import build

    settings.PHNEWS_INDEX_PROCS = 2
    monkeypatch.setattr(build, "BIG_WRITE", big_update)
    first, last = own_index[0], own_index[-1]
    Article.objects.filter(pk=first.pk).update(title="鸡鸣寺桥")  # no signal: bulk updates
    Article.objects.filter(pk=last.pk).update(title="东湖荷花")
    call_command("update_index", workers=workers, verbosity=1)
    # One writer for the whole update, with the processes asked for or chosen by size.
    assert writers == [procs]
    assert f"Indexing {len(own_index)} " in capsys.readouterr().out
    assert [h.id for h in search(SearchRequest(q="鸡鸣寺桥"), facets=False).hits] == [first.pk]
    assert [h.id for h in search(SearchRequest(q="东湖荷花"), facets=False).hits] == [last.pk]
    old_title = search(SearchRequest(q=first.title, match="exact", page_size=50), facets=False)
    assert first.pk not in [h.id for h in old_title.hits]
    # Every article once: the old documents were replaced, not doubled.
    assert _index_state() == (len(own_index), len(own_index))


def test_update_index_does_not_write_back_an_article_deleted_meanwhile(own_index, writers):
    gone = own_index[1]
    Article.objects.filter(pk=gone.pk).delete()  # queues its removal (signal)
    call_command("update_index", verbosity=0)
    assert writers and _index_state() == (len(own_index) - 1, len(own_index) - 1)
