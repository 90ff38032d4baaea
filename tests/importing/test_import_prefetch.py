"""A run of many files parses ahead in a worker process (importing/prefetch.py) and stores exactly what it would alone."""

import shutil

import pytest

from articles.importing import prefetch
from articles.models import Article, Credit, Page

pytestmark = pytest.mark.django_db(transaction=True)


def stored():
    """Everything an import decides, by file: pages, articles and their credits."""
    return (
        sorted(Page.objects.values_list("source_name", "label", "issue__date", "needs_review", "review_reasons")),
        sorted(Article.objects.values_list("page__source_name", "position", "kind", "column", "kicker", "title",
                                           "subtitle", "lead", "body", "review_reasons")),
        sorted(Credit.objects.values_list("article__page__source_name", "article__position", "person__name", "role")),
    )


@pytest.fixture
def counted(monkeypatch):
    """How many records the import took from the worker."""
    taken = []
    real = prefetch.Prefetch.record_for

    def record_for(self, index, digest):
        found = real(self, index, digest)
        taken.append(found is not None)
        return found

    monkeypatch.setattr(prefetch.Prefetch, "record_for", record_for)
    return taken


def test_a_run_parsed_ahead_stores_what_a_run_alone_stores(import_pages, samples_dir, counted, monkeypatch,
                                                           django_db_blocker):
    monkeypatch.setattr(prefetch, "MIN_FILES", 10**6)
    code, _, err = import_pages(samples_dir, "--no-copy")
    assert code == 0, err
    alone = stored()
    assert counted == [False] * 5  # no worker below MIN_FILES
    Page.objects.all().delete()
    Article.objects.all().delete()

    counted.clear()
    monkeypatch.setattr(prefetch, "MIN_FILES", 2)
    monkeypatch.setattr(prefetch.os, "cpu_count", lambda: 2)
    code, _, err = import_pages(samples_dir, "--no-copy")
    assert code == 0, err
    assert counted == [True] * 5
    assert stored() == alone


def test_a_bad_file_among_many_is_named_and_the_rest_stored(import_pages, samples_dir, tmp_path, counted,
                                                          monkeypatch):
    monkeypatch.setattr(prefetch, "MIN_FILES", 2)
    monkeypatch.setattr(prefetch.os, "cpu_count", lambda: 2)
    folder = tmp_path / "pages"
    shutil.copytree(samples_dir, folder)
    (folder / "002_7206550a6ff1634f.txt").write_bytes(b"\xff\xfe\x00bad" * 10)
    code, _, err = import_pages(folder, "--no-copy")
    assert code == 1
    assert "002_7206550a6ff1634f.txt" in err
    assert Page.objects.count() == 4
    assert counted.count(True) == 4
