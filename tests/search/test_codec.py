"""Our write path (articles.search.engines.local.writer + codec) against Whoosh's own writer.

Documents are made from the sample pages' paragraphs (no database needed):
enough of them that common bigrams span several 128-posting blocks, with a
few rare and single-document terms. Every comparison reads through Whoosh's
own readers.
"""

from datetime import datetime

import numpy as np
import pytest
from django.conf import settings
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher

from articles.search.text import PART_SEPARATOR
from articles.search.engines.local.whoosh import codec
from articles.search.engines.local.whoosh.codec import PhCodec
from articles.search.engines.local.evaluate import literal_docs, term_docs
from articles.search.engines.local.store import create_empty, open_or_create
from articles.search.engines.local.writer import new_writer
from articles.search.engines.local.whoosh.postings import ForeignPostings, postings

RARE = "鳌鼋鼍"  # in one document only; no sample page has these characters


def _paragraphs():
    found = []
    for page in sorted(settings.PHNEWS_SAMPLES_DIR.glob("*.txt")):
        for para in page.read_text(encoding="utf-8").split("\n\n"):
            para = para.strip()
            if len(para) > 20:
                found.append(para)
    return found


def _documents(count=160):
    paras = _paragraphs()
    docs = []
    for n in range(count):
        body = "\n\n".join(paras[(n * 7 + k) % len(paras)] for k in range(1 + n % 3))
        if n == 123:
            body += RARE
        headline = paras[(n * 13) % len(paras)][:18]
        names = ["王强", "林旭东"][: n % 3]
        everything = PART_SEPARATOR.join([headline, body, *names])
        docs.append({
            "id": f"articles.article.{n}", "django_ct": "articles.article", "django_id": str(n),
            "text": everything, "text_1": everything, "headline": headline, "headline_1": headline,
            "people_text": PART_SEPARATOR.join(names), "people_text_1": PART_SEPARATOR.join(names),
            "headline_words": headline, "people": ",".join(names) or None, "kind": ["news", "photo"][n % 2],
            "page": f"{1 + n % 8}", "issue_date": datetime(2023, 1 + n % 12, 1 + n % 28), "year": "2023",
            "order": n, "title": headline, "body": body,
        })
    return docs


DOCS = _documents()


@pytest.fixture(autouse=True)
def short_blocks(monkeypatch):
    """Our writer's blocks of 64 postings, so that these 160 documents make lists of several blocks."""
    monkeypatch.setattr(codec, "BLOCK_LIMIT", 64)


def _write(path, docs, fast=True, **kwargs):
    index = create_empty(path)
    writer = new_writer(index, **kwargs) if fast else index.writer()
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    return index


def _dump(index):
    """Everything a reader sees, keyed by stored id instead of docnum."""
    postings, stats, lengths = {}, {}, {}
    with index.searcher() as s:
        r = s.reader()
        ids = {d: fields["id"] for d, fields in r.iter_docs()}
        schema = s.schema
        for fieldname, btext in r.all_terms():
            fmt = schema[fieldname].format
            m = r.postings(fieldname, btext)
            found = []
            while m.is_active():
                value = m.value()
                if fmt.supports("positions") and value:
                    value = fmt.decode_positions(value)
                found.append((ids[m.id()], m.weight(), value))
                m.next()
            postings[(fieldname, btext)] = sorted(found)
            info = r.term_info(fieldname, btext)
            stats[(fieldname, btext)] = (info.doc_frequency(), info.weight(), info.min_length(),
                                         info.max_length(), info.max_weight())
        for d, key in ids.items():
            lengths[key] = {f: r.doc_field_length(d, f) for f in schema.scorable_names()}
        stored = sorted(tuple(sorted(fields.items())) for _, fields in r.iter_docs())
        columns = {f: sorted(r.column_reader(f)) for f in ("kind", "page", "order")}
    return postings, stats, lengths, stored, columns


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The documents as Whoosh's own writer and codec index them."""
    return _dump(_write(tmp_path_factory.mktemp("whoosh") / "ix", DOCS, fast=False))


def _same(index, reference):
    postings, stats, lengths, stored, columns = _dump(index)
    ref_postings, ref_stats, ref_lengths, ref_stored, ref_columns = reference
    assert postings.keys() == ref_postings.keys()
    assert postings == ref_postings
    assert stats == ref_stats
    assert lengths == ref_lengths
    assert stored == ref_stored
    assert columns == ref_columns


def test_same_postings_weights_positions_and_stats_as_whoosh(tmp_path, reference):
    index = _write(tmp_path / "ix", DOCS)
    segments = index._segments()
    assert len(segments) == 1 and isinstance(segments[0].codec(), PhCodec)
    postings = reference[0]
    # The comparison covers multi-block lists, multi-position postings and a single-document term.
    assert max(len(p) for p in postings.values()) > 2 * codec.BLOCK_LIMIT
    assert any(len(p[2]) > 1 for p in postings[("text", "平湖".encode())])
    _same(index, reference)


def test_spilled_runs_join_into_one_segment_with_the_same_postings(tmp_path, reference):
    # A tiny memory limit spills every few documents into a run file.
    index = _write(tmp_path / "ix", DOCS, limitmb=0.3)
    assert len(index._segments()) == 1
    _same(index, reference)
    with index.searcher() as s:
        # Joined runs leave partial blocks mid-list; Whoosh's block reader follows them.
        m = s.reader().postings("text", "平湖".encode())
        assert isinstance(m, W3LeafMatcher)
        blocks = 0
        while m.is_active():
            blocks += 1
            m._next_block()
        assert blocks > len(reference[0][("text", "平湖".encode())]) // codec.BLOCK_LIMIT + 1


def test_two_writer_processes(tmp_path, reference):
    index = _write(tmp_path / "ix", DOCS, procs=2)
    assert len(index._segments()) >= 2
    _same(index, reference)


def test_our_segments_merge_block_by_block_and_whoosh_reads_them(tmp_path):
    docs = DOCS[:14] + DOCS[120:126]
    reference = _dump(_write(tmp_path / "whoosh", docs, fast=False))
    index = create_empty(tmp_path / "ix")
    for part in (docs[:12], docs[12:]):
        writer = new_writer(index)
        for doc in part:
            writer.add_document(**doc)
        writer.commit(merge=False)
    assert [type(seg.codec()) for seg in index._segments()] == [PhCodec, PhCodec]
    _same(index, reference)

    # Our writer merging both segments (block by block) ...
    merging = new_writer(index)
    merging.commit(optimize=True)
    assert [type(seg.codec()) for seg in index._segments()] == [PhCodec]
    _same(index, reference)
    # ... and Whoosh's writer reading our blocks to merge them its way.
    index.writer().commit(optimize=True)
    assert [type(seg.codec()) for seg in index._segments()] == [W3Codec]
    _same(index, reference)


def test_merging_segments_with_deletions_drops_the_deleted(tmp_path):
    docs = DOCS[:14] + DOCS[120:126]
    gone = {docs[3]["id"], docs[13]["id"], docs[17]["id"]}
    reference = _dump(_write(tmp_path / "whoosh", [d for d in docs if d["id"] not in gone], fast=False))
    index = create_empty(tmp_path / "ix")
    for part in (docs[:12], docs[12:]):
        writer = new_writer(index)
        for doc in part:
            writer.add_document(**doc)
        writer.commit(merge=False)
    writer = new_writer(index)
    for key in gone:
        writer.delete_by_term("id", key)
    writer.commit(merge=False)
    assert all(seg.has_deletions() for seg in index._segments())
    new_writer(index).commit(optimize=True)
    assert [type(seg.codec()) for seg in index._segments()] == [PhCodec]
    assert not index._segments()[0].has_deletions()
    _same(index, reference)


def test_updates_and_deletions_through_our_writer(tmp_path):
    index = _write(tmp_path / "ix", DOCS)
    writer = new_writer(index)
    writer.delete_by_term("id", "articles.article.123")
    changed = dict(DOCS[5], text="全新的文字" + RARE, text_1="全新的文字" + RARE)
    writer.update_document(**changed)
    writer.commit()
    with index.searcher() as s:
        r = s.reader()
        rare = RARE[:2].encode()
        assert [s.stored_fields(d)["id"] for d in term_docs(r, "text", rare).tolist()] == ["articles.article.5"]
        assert s.doc_count() == len(DOCS) - 1


def test_rare_terms_and_literals_are_found(tmp_path):
    index = _write(tmp_path / "ix", DOCS)
    with index.searcher() as s:
        r = s.reader()
        ids = lambda docs: sorted(s.stored_fields(int(d))["id"] for d in docs)  # noqa: E731
        assert ids(term_docs(r, "text", RARE[1:].encode())) == ["articles.article.123"]
        assert ids(term_docs(r, "text_1", RARE[0].encode())) == ["articles.article.123"]
        assert ids(literal_docs(r, "text", ["鳌鼋", "鼋鼍"])) == ["articles.article.123"]
        assert ids(s.docs_for_query(wq.Term("text", "鳌鼋"))) == ["articles.article.123"]
        # A literal across the whole sample vocabulary: every document whose text holds it.
        expected = sorted(doc["id"] for doc in DOCS if "生物医药" in doc["text"])
        assert expected and ids(literal_docs(r, "text", ["生物", "物医", "医药"])) == expected


def test_invert_buffers_exactly_what_word_values_yields():
    from articles.search.engines.local.whoosh.formats import BigramPositions, UnigramFrequency

    text = DOCS[7]["text"] + PART_SEPARATOR * 2 + "哈哈哈" + PART_SEPARATOR + "x"
    for fmt in (BigramPositions(field_boost=2.0), UnigramFrequency(field_boost=2.0)):
        terms = {"平湖": [3, 1.0, b"\x01"]}  # a posting of an earlier document
        length, count = fmt.invert(text, 7, terms, boost=1.5)
        items = list(fmt.word_values(text, None))
        expected = {term: [7, weight * 1.5, value] for term, _, weight, value in items}
        expected["平湖"] = [3, 1.0, b"\x01", *expected.get("平湖", [])]
        assert terms == expected
        assert (length, count) == (sum(freq for _, freq, _, _ in items), len(items))


def test_write_documents_replaces_and_deletes_in_batches(tmp_path, monkeypatch):
    from articles.search.engines.local import build

    path = tmp_path / "ix"
    build.write_documents(DOCS[:50], path, clear=True)
    # A second commit, so replaced documents sit in two segments.
    build.write_documents(DOCS[50:60], path)
    monkeypatch.setattr(build, "UPDATE_BATCH", 7)  # several batches, one searcher each
    changed = [dict(doc, text="改过的文字", text_1="改过的文字") for doc in DOCS[40:60:2]]
    written = build.write_documents(changed + [DOCS[70]], path, delete_ids=[3, 55, 999])
    assert written == len(changed) + 1
    index = open_or_create(path)
    with index.searcher() as s:
        ids = sorted(fields["id"] for fields in s.all_stored_fields())
        expected = sorted({doc["id"] for doc in DOCS[:60] + [DOCS[70]]} - {"articles.article.3", "articles.article.55"})
        assert ids == expected  # each id exactly once: no stale copy left
        r = s.reader()
        assert sorted(s.stored_fields(d)["id"] for d in term_docs(r, "text", "改过".encode()).tolist()) == sorted(
            doc["id"] for doc in changed)


def test_a_failing_writer_process_fails_the_write_and_changes_nothing(tmp_path):
    from whoosh.writing import IndexingError

    from articles.search.engines.local import build

    path = tmp_path / "ix"
    build.write_documents(DOCS[:10], path, clear=True)
    bad = [dict(doc) for doc in DOCS[10:160]]
    bad[120]["text"] = 12345  # not text: fails inside one of the two writer processes
    with pytest.raises(IndexingError, match="12345 is not unicode"):
        build.write_documents(bad, path, procs=2)
    assert open_or_create(path).doc_count() == 10
    build.write_documents(DOCS[10:20], path, procs=2)
    assert open_or_create(path).doc_count() == 20


def test_cancelling_a_multi_process_writer_stops_its_processes(tmp_path):
    index = _write(tmp_path / "ix", DOCS[:10])
    writer = new_writer(index, procs=2)
    for doc in DOCS[10:160]:  # more than one batch: the processes have started
        writer.add_document(**doc)
    assert writer.tasks
    writer.cancel()
    assert not any(task.is_alive() for task in writer.tasks)
    assert open_or_create(tmp_path / "ix").doc_count() == 10


def test_positions_past_the_shared_table_are_encoded_exactly():
    from articles.search.engines.local.analysis import BigramTokenizer
    from articles.search.engines.local.whoosh.formats import BigramPositions

    text = "平湖" + "的" * 9000 + "嘉兴" + PART_SEPARATOR + "南湖" + "年" * 60000 + "南湖"
    fmt = BigramPositions()
    expected = {}
    for token in BigramTokenizer()(text, positions=True):
        expected.setdefault(token.text, []).append(token.pos)
    terms = {}
    fmt.invert(text, 0, terms)
    assert {term: fmt.decode_positions(postings[2]) for term, postings in terms.items()} == expected
    assert max(expected["南湖"]) > 65536


def _block_reads(index, wanted):
    """Every term's postings as the search path reads them, segment by segment, checked against Whoosh's matcher.

    Returns {(field, term, whole list?): (docnums, weights, values)}, the segments' reads joined.
    """
    found = {}
    with index.searcher() as s:
        for leaf, _ in s.reader().leaf_readers():
            for fieldname, btext in leaf.all_terms():
                m = leaf.postings(fieldname, btext)
                expected = {}
                while m.is_active():
                    expected[m.id()] = (m.weight(), m.value() or b"")
                    m.next()
                for asked in (None, wanted):
                    ids, weights, (data, lengths) = postings(leaf.postings(fieldname, btext), asked, True, True)
                    ends = np.cumsum(lengths).tolist()
                    values = [data[a:b] for a, b in zip([0, *ends], ends)]
                    read = dict(zip(ids.tolist(), zip(weights.tolist(), values)))
                    assert read == {d: expected[d] for d in read}
                    assert set(expected) & set(wanted.tolist() if asked is not None else expected) <= set(read)
                    previous = found.setdefault((fieldname, btext, asked is None), ([], [], []))
                    for part, more in zip(previous, (ids.tolist(), weights.tolist(), values)):
                        part.extend(more)
    return found


def test_the_search_path_reads_every_term_of_our_segments_as_whoosh_does(tmp_path):
    # Every layout our writer leaves: one segment, runs joined (partial
    # blocks mid-list), segments of two processes, and a merge of segments
    # with deletions; blocks of tuples (short) and of arrays (full).
    one = _write(tmp_path / "one", DOCS)
    spilled = _write(tmp_path / "spilled", DOCS, limitmb=0.3)
    processes = _write(tmp_path / "processes", DOCS, procs=2)
    merged = _write(tmp_path / "merged", DOCS[:80])
    writer = new_writer(merged)
    for doc in DOCS[80:]:
        writer.add_document(**doc)
    writer.commit(merge=False)
    writer = new_writer(merged)
    writer.delete_by_term("id", DOCS[3]["id"])
    writer.commit(optimize=True)
    wanted = np.array([3, 4, 5, 77], np.int32)
    reads = _block_reads(one, wanted)
    for index in (spilled, processes):
        assert _block_reads(index, wanted).keys() == reads.keys()
    assert _block_reads(merged, wanted).keys() <= reads.keys()  # less the deleted document's own terms
    # The commonest term spans three blocks of 64, and the third holds no wanted docnum.
    field, term, _ = max(reads, key=lambda key: len(reads[key][0]))
    assert len(reads[field, term, True][0]) > 128 and len(reads[field, term, False][0]) <= 128


def test_an_index_from_whoosh_s_own_writer_is_refused_not_misread(tmp_path):
    # bin/run rebuilds an index stamped with another layout before anything
    # reads it; should one be read anyway, the search path says what to do.
    # (Whoosh 2.7 never inlines a list in its term info: its inlining raises.)
    index = _write(tmp_path / "ix", DOCS[:20], fast=False)
    assert [type(seg.codec()) for seg in index._segments()] == [W3Codec]
    with index.searcher() as s:
        r = s.reader()
        assert r.doc_frequency("text", "平湖") > 1
        with pytest.raises(ForeignPostings, match="manage.py rebuild_index"):
            postings(r.postings("text", "平湖"), None, True, True)
        with pytest.raises(ForeignPostings):
            term_docs(r, "text", "平湖")
