"""The block-reading evaluator (docsets) answers exactly what Whoosh's own matchers answer.

Checked over the real sample articles written as two segments with deletions
(the shape a live index has after edits), for every kind of query the query
language produces, and for the scores that order a results page.
"""

import random
from datetime import date

import pytest
from whoosh import query as wq

from articles.search.query import evaluate
from articles.search.index.analysis import fold
from articles.search.index.build import write_documents
from articles.search.index.documents import articles_for_index, document_for
from articles.search.query.engine import SearchRequest, search
from articles.search.query.evaluate import Literal
from articles.search.query.parse import headline_query, matching_query, parse, ranking_query
from articles.search.store import forget_readers, searcher


@pytest.fixture
def two_segment_searcher(indexed_samples, tmp_path):
    from articles.models import Article

    docs = [document_for(a) for a in articles_for_index(Article.objects.order_by("pk"))]
    path = tmp_path / "two_segments"
    half = len(docs) // 2
    write_documents(docs[:half], path, clear=True)
    write_documents(docs[half:], path)
    deleted = [int(docs[1]["django_id"]), int(docs[-2]["django_id"])]
    write_documents([], path, delete_ids=deleted)
    forget_readers()
    s = searcher(path)
    assert len(s.reader().leaf_readers()) >= 2
    yield s, docs
    forget_readers()


def _reference(s, q):
    """Whoosh's own answer for each term or literal, combined with set algebra.

    Compound queries are not handed to Whoosh whole: its AndNot matcher keeps
    excluded documents in an index with several segments and deletions
    (test_exclusion_drops_every_article_holding_the_word shows the case).
    """
    if isinstance(q, wq.And):
        return set.intersection(*(_reference(s, sub) for sub in q.subqueries))
    if isinstance(q, wq.Or):
        return set.union(*(_reference(s, sub) for sub in q.subqueries))
    if isinstance(q, wq.AndNot):
        return _reference(s, q.a) - _reference(s, q.b)
    if isinstance(q, Literal):
        # Whoosh's general phrase query, not our Literal (which uses docsets).
        return set(s.docs_for_query(wq.Phrase(q.fieldname, q.words)))
    return set(s.docs_for_query(q))


def _queries(docs):
    """Query strings cut from the sample texts, of every shape the parser accepts."""
    rng = random.Random(7)
    texts = [d["text"].replace("\x1f", "") for d in docs]
    found = ["平湖", "湖", "税", "120.4亿元", "平湖 经济", "平湖 -经济", "高质量 OR 生物医药", "作者:王", "篇名:平湖",
             "栏目:时评", '"长三角一体化"', "版次:A1", "的", "xyz不存在的词"]
    for _ in range(60):
        text = fold(rng.choice(texts))
        size = rng.choice([1, 2, 3, 4, 6, 9])
        start = rng.randrange(0, max(1, len(text) - size))
        piece = text[start:start + size].replace('"', "")
        if any(c.isalnum() for c in piece):
            found.append(piece if rng.random() < 0.5 else f'"{piece}"')
    return found


@pytest.mark.django_db
def test_match_sets_equal_whooshs_across_segments_and_deletions(two_segment_searcher):
    s, docs = two_segment_searcher
    checked = 0
    for text in _queries(docs):
        parsed = parse(text)
        if not parsed.clauses:
            continue
        for mode in ("fuzzy", "exact"):
            q = matching_query(parsed, mode)
            assert evaluate.evaluate(s, q) == _reference(s, q), (text, mode)
            checked += 1
        headline = headline_query(parsed)
        assert evaluate.evaluate(s, headline) == _reference(s, headline), text
    assert checked > 100


@pytest.mark.django_db
def test_scores_equal_whooshs_for_the_documents_asked_about(two_segment_searcher):
    s, docs = two_segment_searcher
    compared = 0
    for text in _queries(docs) + ["平湖 经济 发展", "生物 医药"]:
        parsed = parse(text)
        ranking = ranking_query(parsed, "fuzzy") if parsed.clauses else None
        if ranking is None:
            continue
        matched = set(s.docs_for_query(matching_query(parsed)))
        if not matched:
            continue
        within = set(sorted(matched)[::2])
        theirs = {hit.docnum: hit.score for hit in s.search(ranking, filter=within, limit=None, terms=False)}
        mine = evaluate.scores(s, ranking, within)
        assert set(mine) == set(theirs), text
        for doc, score in theirs.items():
            assert mine[doc] == pytest.approx(score, rel=1e-6), (text, doc)
        compared += len(theirs)
    assert compared > 50


@pytest.mark.django_db
def test_evaluation_within_a_set_only_answers_inside_it(two_segment_searcher):
    s, _ = two_segment_searcher
    q = matching_query(parse('"平湖"'))
    everything = evaluate.evaluate(s, q)
    assert len(everything) > 4
    within = set(sorted(everything)[:3]) | {10**6}
    assert evaluate.evaluate(s, q, within=within) == set(sorted(everything)[:3])
    assert evaluate.evaluate(s, wq.NullQuery) == set()


@pytest.mark.django_db
def test_exclusion_drops_every_article_holding_the_word(two_segment_searcher):
    s, _ = two_segment_searcher
    q = matching_query(parse("平湖 -经济"))
    kept = evaluate.evaluate(s, q)
    assert kept
    for doc in kept:
        stored = s.stored_fields(doc)
        assert "经济" not in fold(stored.get("body", "") + stored.get("title", ""))
    holding = [d for d in evaluate.evaluate(s, q.a) if d not in kept]
    assert holding and all("经济" in fold(s.stored_fields(d).get("body", "") + s.stored_fields(d).get("title", ""))
                           for d in holding)


def _ids(**options):
    result = search(SearchRequest(**options), facets=False, window=(0, 5000), snippets=False)
    assert not result.error
    return result


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["平湖", "的", "发展", "一"])
def test_filters_keep_exactly_the_hits_whose_stored_fields_pass(indexed_samples, q):
    everything = _ids(q=q).hits
    assert len(everything) > 3
    first = everything[0]
    dated = sorted(h.issue_date for h in everything if h.issue_date)
    middle = dated[len(dated) // 2]
    cases = [
        ({"kind": first.kind}, lambda h: h.kind == first.kind),
        ({"page_label": first.page}, lambda h: h.page == first.page),
        ({"year": f"{middle:%Y}"}, lambda h: h.issue_date and h.issue_date.year == middle.year),
        ({"month": f"{middle:%Y-%m}"}, lambda h: h.issue_date and f"{h.issue_date:%Y-%m}" == f"{middle:%Y-%m}"),
        ({"date_from": middle}, lambda h: h.issue_date and h.issue_date >= middle),
        ({"date_to": middle}, lambda h: h.issue_date and h.issue_date <= middle),
        ({"date_from": middle, "date_to": middle}, lambda h: h.issue_date == middle),
        ({"date_from": date(1990, 1, 1), "date_to": date(1990, 12, 31)}, lambda h: False),
    ]
    columned = [h for h in everything if h.column]
    if columned:
        cases.append(({"column": columned[0].column}, lambda h: h.column == columned[0].column))
    people = [h for h in everything if h.people]
    if people:
        cases.append(({"person": people[0].people[0]}, lambda h: people[0].people[0] in h.people))
    for options, passes in cases:
        expected = {h.id for h in everything if passes(h)}
        got = _ids(q=q, **options)
        assert {h.id for h in got.hits} == expected, options
        assert got.count == len(expected)
