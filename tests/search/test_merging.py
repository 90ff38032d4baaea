"""Incremental writes merge small segments only, so an import's cost does not grow with the archive."""

import pytest
from django.db import transaction

from articles.models import Article
from articles.search import sync
from articles.search.engines.local import build
from articles.search.engines.local import merging, writer
from articles.search.engines.local.build import write_documents
from articles.search.engines.local.store import open_or_create

from test_codec import DOCS, _dump, _write


def test_a_large_archive_is_never_merged_by_an_ordinary_write():
    # A rebuild's two halves of 100,000 articles and a month of daily imports:
    # Whoosh's MERGE_SMALL would merge all of it into the writer at this count.
    sizes = [50_000, 50_000] + [250] * 22
    chosen = merging.segments_to_merge(sizes)
    assert chosen and all(sizes[i] == 250 for i in chosen)
    assert sum(sizes[i] for i in chosen) <= merging.MAX_MERGED_DOCS


def test_segments_wait_for_a_full_tier():
    assert merging.segments_to_merge([50_000] + [300] * (merging.MERGE_FACTOR - 1)) == []
    # Smaller tiers count towards a larger one; the smallest go first.
    sizes = [5, 40, 3000] + [300] * (merging.MERGE_FACTOR - 2)
    assert sorted(merging.segments_to_merge(sizes)) == sorted(i for i, size in enumerate(sizes) if size < 1000)


def test_a_merge_stops_at_its_document_bound():
    sizes = [4_000] * merging.MERGE_FACTOR
    chosen = merging.segments_to_merge(sizes)
    assert len(chosen) == merging.MAX_MERGED_DOCS // 4_000
    assert merging.segments_to_merge([merging.MAX_MERGED_DOCS - 1] * 20) == []


def test_writes_merge_the_small_segments_and_leave_the_large_one(tmp_path, monkeypatch):
    monkeypatch.setattr(merging, "MERGE_FACTOR", 3)
    monkeypatch.setattr(merging, "MAX_MERGED_DOCS", 30)
    path = tmp_path / "ix"
    write_documents(DOCS[:40], path, clear=True)
    large = open_or_create(path)._segments()[0].segment_id()
    for start in range(40, 48, 2):
        write_documents(DOCS[start:start + 2], path)
    # The fourth write found three 2-document segments and merged them into its own.
    segments = open_or_create(path)._segments()
    assert sorted(segment.doc_count_all() for segment in segments) == [8, 40]
    assert large in [segment.segment_id() for segment in segments]
    assert _dump(open_or_create(path)) == _dump(_write(tmp_path / "one", DOCS[:48]))


def test_optimize_still_merges_everything(tmp_path):
    path = tmp_path / "ix"
    write_documents(DOCS[:20], path, clear=True)
    write_documents(DOCS[20:30], path)
    index = open_or_create(path)
    from articles.search.engines.local.writer import new_writer

    new_writer(index).commit(optimize=True)
    assert [segment.doc_count_all() for segment in open_or_create(path)._segments()] == [30]


def test_a_segment_whose_documents_were_all_replaced_is_dropped(tmp_path):
    path = tmp_path / "ix"
    write_documents(DOCS[:20], path, clear=True)
    write_documents(DOCS[20:25], path)
    write_documents(DOCS[:20], path)  # every document of the first segment again
    segments = open_or_create(path)._segments()
    assert sorted((segment.doc_count_all(), segment.doc_count()) for segment in segments) == [(5, 5), (20, 20)]
    assert _dump(open_or_create(path)) == _dump(_write(tmp_path / "one", DOCS[:25]))


@pytest.mark.django_db(transaction=True)
def test_a_drain_buffers_at_most_its_own_limit(index_dir, imported_samples, monkeypatch):
    sync.drain()
    spills = []
    spill = writer.PostingBuffer.spill
    monkeypatch.setattr(writer.PostingBuffer, "spill", lambda self: spills.append(self.limit) or spill(self))
    monkeypatch.setattr(build, "DRAIN_LIMIT_MB", 0.01)
    with transaction.atomic():
        for article in Article.objects.order_by("pk")[:5]:
            article.title += "鳌鼋"
            article.save()
    sync.drain()
    assert spills and max(spills) <= 0.01 * 1024 * 1024
    with open_or_create(index_dir).searcher() as searcher:
        from articles.search.engines.local.evaluate import term_docs

        assert len(term_docs(searcher.reader(), "headline", "鳌鼋".encode())) == 5
