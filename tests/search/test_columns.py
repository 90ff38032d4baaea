"""Sortable columns are read once per segment, and reading them is not charged to a search's budget."""

import contextlib
import time

import pytest

from articles.models import Article
from articles.search import budget
from articles.search.engines.local import store
from indexing import index_articles
from articles.search.engines.local import columns
from articles.search.service import SearchRequest, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def reads(monkeypatch):
    """The column names read from segments, in order."""
    names = []
    real = columns.read_column
    monkeypatch.setattr(columns, "read_column", lambda leaf, name: names.append(name) or real(leaf, name))
    columns.forget()
    yield names
    columns.forget()


def test_a_new_searcher_reads_only_the_new_segments_columns(indexed_samples, tmp_path, reads):
    path = tmp_path / "index"
    index_articles(Article.objects.all(), path, clear=True)
    first = store.searcher(path)
    columns.coded(first, "kind"), columns.numbers(first, "order")
    assert reads == ["kind", "order"]

    # An edit: the article is replaced by a document in a new segment.
    index_articles(Article.objects.filter(pk=indexed_samples[0].pk), path)
    second = store.searcher(path)
    assert second is not first and second.doc_count_all() == first.doc_count_all() + 1
    reads.clear()
    kinds, order = columns.coded(second, "kind"), columns.numbers(second, "order")
    assert reads == ["kind", "order"]  # once each, for the new segment only
    assert len(kinds.codes) == len(order) == second.doc_count_all()

    # The same values by docnum as reading every segment afresh.
    columns.forget()
    fresh_kinds, fresh_order = columns.coded(second, "kind"), columns.numbers(second, "order")
    assert [kinds.labels[c] for c in kinds.codes] == [fresh_kinds.labels[c] for c in fresh_kinds.codes]
    assert order.tolist() == fresh_order.tolist()
    assert len(reads) == 2 + 2 * 2  # two columns of two segments


def test_reading_columns_is_not_charged_to_the_search_that_needs_them_first(indexed_samples, settings, monkeypatch):
    columns.forget()
    settings.PHNEWS_SEARCH_TIME_LIMIT = 0.3
    real = columns.read_column

    def slow(leaf, name):
        time.sleep(0.2)  # as a large archive's column takes seconds
        return real(leaf, name)

    monkeypatch.setattr(columns, "read_column", slow)
    result = search(SearchRequest(q="平湖 经济"))
    assert not result.error and result.count > 0
    # The check itself: the same search, charged for the reading, is over its time.
    columns.forget()
    monkeypatch.setattr(budget, "paused", contextlib.nullcontext)
    assert search(SearchRequest(q="平湖 经济")).error == budget.MESSAGE
    columns.forget()
