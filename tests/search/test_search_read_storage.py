"""Searchers read the index files with pread: the same answers as Whoosh's memory map, and nothing mapped.

A mapped index file counts every page a search touched in the worker's
resident set; read with pread, the pages stay in the shared page cache.
Checked on the real sample articles written as two segments with deletions.
"""

import pytest
from plans import matching_of, ranked_of, scores
from whoosh.filedb.filestore import FileStorage

from articles.search.engines.local.whoosh import storage
from articles.search.engines.local.whoosh.columns import read_column
from articles.search.engines.local.whoosh.storage import PreadStorage
from articles.search.engines.local.schema import build_schema
from articles.search.engines.local import evaluate
from articles.search.querylang import parse
from articles.search.engines.local.scoring import SaturatedTfIdf
from articles.search.service import SearchRequest, search
from articles.search.engines.local.store import INDEX_NAME, searcher

QUERIES = ["平湖", "湖", "税", "的", "120.4亿元", "平湖 经济", "平湖 -经济", "高质量 OR 生物医药",
           "作者:王", "篇名:平湖", "栏目:时评", '"长三角一体化"', "版次:A1", "发展 经济 平湖",
           "xyz不存在的词"]


@pytest.fixture
def index_path(two_segments):
    return two_segments[0]


def _open(storage):
    return storage.open_index(indexname=INDEX_NAME, schema=build_schema()).searcher(weighting=SaturatedTfIdf())


def _answers(s):
    """Everything a results page reads from a searcher: match sets, scores, stored fields, columns."""
    answers = {}
    everything = set(s.reader().all_doc_ids())
    for text in QUERIES:
        parsed = parse(text)
        for mode in ("fuzzy", "exact"):
            answers[text, mode] = evaluate.evaluate(s, matching_of(parsed, mode))
        terms = ranked_of(parsed)
        answers[text, "scores"] = scores(s, terms, everything) if terms else {}
    answers["stored"] = [s.stored_fields(docnum) for docnum in sorted(everything)]
    for name in ("kind", "page", "year", "month", "newest", "order"):
        answers[name] = read_column(s.reader(), name)
    return answers


def _plain(value):
    """Arrays (match sets, columns) as lists, so answers compare with ==."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value.tolist() if hasattr(value, "tolist") else value


def _mapped_index_files(path):
    with open("/proc/self/maps") as maps:
        return [line.split()[-1] for line in maps if str(path) in line]


@pytest.mark.django_db
@pytest.mark.parametrize("read_ahead", [(storage.READ_AHEAD, storage.SPARSE_READ_AHEAD), (7, 3)])
def test_read_index_answers_exactly_what_the_mapped_index_answers(index_path, monkeypatch, read_ahead):
    # A few bytes: almost every read crosses a read-ahead buffer's end or bypasses it.
    monkeypatch.setattr(storage, "READ_AHEAD", read_ahead[0])
    monkeypatch.setattr(storage, "SPARSE_READ_AHEAD", read_ahead[1])
    mapped = _open(FileStorage(str(index_path)))
    read = _open(PreadStorage(str(index_path), readonly=True))
    try:
        assert len(read.reader().leaf_readers()) >= 2
        expected, got = _plain(_answers(mapped)), _plain(_answers(read))
        assert sum(len(v) for k, v in expected.items() if k[1:] == ("fuzzy",)) > 50
        assert got == expected
    finally:
        mapped.close()
        read.close()


@pytest.mark.django_db
def test_searches_leave_no_index_file_mapped_in_the_process(index_path, settings):
    from tests.search.conftest import _point_at

    _point_at(settings, index_path)
    for q in ("平湖", '"长三角一体化"', "平湖 -经济"):
        result = search(SearchRequest(q=q), facets=True)
        assert not result.error and result.count > 0
    assert searcher(index_path).reader().doc_count() > 0
    assert _mapped_index_files(index_path) == []


@pytest.mark.django_db
def test_a_window_of_a_closed_file_refuses_to_read_rather_than_reading_another_file(index_path):
    storage = PreadStorage(str(index_path), readonly=True)
    name = next(name for name in storage.list() if name.endswith(".seg"))
    segment = storage.open_file(name)
    window = segment.subset(8, 64)
    assert window.read(4) == FileStorage(str(index_path)).open_file(name).get(8, 4)
    segment.close()  # as Whoosh closes a compound file with its segment reader
    # The descriptor number may already belong to another file; the window must not use it.
    with open(__file__, "rb"):
        with pytest.raises(ValueError):
            window.get(0, 4)


@pytest.mark.django_db
def test_columns_read_whole_hold_what_whoosh_reads_a_value_at_a_time(index_path):
    for opened in (FileStorage(str(index_path)), PreadStorage(str(index_path), readonly=True)):
        s = _open(opened)
        try:
            names = [name for name, field in s.schema.items() if field.column_type]
            assert {"kind", "page", "column", "order", "newest"} <= set(names)
            for leaf, _ in s.reader().leaf_readers():
                for name in names:
                    whoosh_reader = leaf.column_reader(name)
                    expected = [whoosh_reader[docnum] for docnum in range(leaf.doc_count_all())]
                    assert _plain(read_column(leaf, name)) == expected, name
        finally:
            s.close()
