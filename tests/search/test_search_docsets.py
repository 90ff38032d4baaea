"""The tree evaluator (reading posting blocks) answers exactly what Whoosh's own matchers answer.

Checked over the real sample articles written as two segments with deletions
(the shape a live index has after edits), for every kind of query the query
language produces, and for the scores that order a results page.
"""

import random
from datetime import date

import pytest
from plans import matching_of, ranked_of, scores
from whoosh import query as wq

from articles.search.text import bigrams, fold, words
from articles.search.engines.local import evaluate, scoring
from articles.search.engines.local.evaluate import LITERAL
from articles.search import ranking
from articles.search.querylang import parse
from articles.search.service import SearchRequest, search
from articles.search.engines.local.store import searcher


@pytest.fixture
def two_segment_searcher(two_segments):
    path, docs = two_segments
    s = searcher(path)
    assert len(s.reader().leaf_readers()) >= 2
    return s, docs


def _whoosh_query(leaf):
    """Whoosh's own query for one leaf of the tree: a term, or its general Phrase for a literal."""
    expression, value = leaf
    field, text = expression.split("__")[0], str(value)
    if field not in LITERAL:
        return wq.Term(field, text)
    bigram_field, unigram_field = LITERAL[field]
    if len(text) == 1:
        return wq.Term(unigram_field, text)
    if len(text) == 2:
        return wq.Term(bigram_field, text)
    return wq.Phrase(bigram_field, bigrams(text))


def _reference(s, node):
    """Whoosh's own answer for each leaf, combined with set algebra.

    Compound queries are not handed to Whoosh whole: its AndNot matcher keeps
    excluded documents in an index with several segments and deletions
    (test_exclusion_drops_every_article_holding_the_word shows the case).
    """
    if isinstance(node, tuple):
        return set(s.docs_for_query(_whoosh_query(node)))
    parts = [_reference(s, child) for child in node.children]
    found = set.intersection(*parts) if node.connector == "AND" else set.union(*parts)
    return set(s.reader().all_doc_ids()) - found if node.negated else found


def _whoosh_scores(s, terms, within):
    """Whoosh's scores for the ranking of ``terms``: its Or of boosted terms, plus the side-by-side bonus."""
    parts = []
    for text, field in terms:
        bag = (scoring._bag(text, "text", ranking.WEIGHTS["text"])
               + scoring._bag(text, "headline", ranking.WEIGHTS["headline"]))
        if field == "any" and len(text) > 1:
            bag += [("headline_words", w, ranking.WEIGHTS["headline_words"]) for w in words(text)]
        parts += [wq.Term(name, term, boost=boost) for name, term, boost in bag]
    found = {hit.docnum: hit.score for hit in s.search(wq.Or(parts), filter=within, limit=None, terms=False)}
    if len(terms) > 1:
        joined = "".join(text for text, _ in terms)
        scored = set(found)
        for name, boost in ranking.ADJACENT.items():
            if len(joined) == 2:
                q = wq.Term(name, joined, boost=boost)
                for hit in s.search(q, filter=scored, limit=None, terms=False):
                    found[hit.docnum] += hit.score
            else:
                for doc in set(s.docs_for_query(wq.Phrase(name, bigrams(joined)))) & scored:
                    found[doc] += boost
    return found


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
            tree = matching_of(parsed, mode)
            assert set(evaluate.evaluate(s, tree).tolist()) == _reference(s, tree), (text, mode)
            checked += 1
        terms = ranked_of(parsed)
        everything = set(s.reader().all_doc_ids())
        in_headline = set().union(*(s.docs_for_query(_whoosh_query(("headline", t))) for t, _ in terms))
        assert set(scoring.in_headline(s, terms, everything).tolist()) == in_headline, text
    assert checked > 100


@pytest.mark.django_db
def test_scores_equal_whooshs_for_the_documents_asked_about(two_segment_searcher):
    s, docs = two_segment_searcher
    compared = 0
    for text in _queries(docs) + ["平湖 经济 发展", "生物 医药"]:
        parsed = parse(text)
        tree = matching_of(parsed) if parsed.clauses else None
        terms = ranked_of(parsed) if tree is not None else []
        if not terms:
            continue
        matched = _reference(s, tree)
        if not matched:
            continue
        within = set(sorted(matched)[::2])
        theirs = _whoosh_scores(s, terms, within)
        mine = scores(s, terms, within)
        assert set(mine) == set(theirs), text
        for doc, expected in theirs.items():
            assert mine[doc] == pytest.approx(expected, rel=1e-6), (text, doc)
        compared += len(theirs)
    assert compared > 50


@pytest.mark.django_db
def test_evaluation_within_a_set_only_answers_inside_it(two_segment_searcher):
    s, _ = two_segment_searcher
    q = matching_of(parse('"平湖"'))
    everything = evaluate.evaluate(s, q).tolist()
    assert len(everything) > 4
    within = set(everything[:3]) | {10**6}
    assert evaluate.evaluate(s, q, within=within).tolist() == everything[:3]
    assert evaluate.evaluate(s, q, within=set()).tolist() == []


@pytest.mark.django_db
def test_exclusion_drops_every_article_holding_the_word(two_segment_searcher):
    s, _ = two_segment_searcher
    q = matching_of(parse("平湖 -经济"))
    kept = set(evaluate.evaluate(s, q).tolist())
    assert kept
    for doc in kept:
        stored = s.stored_fields(doc)
        assert "经济" not in fold(stored.get("body", "") + stored.get("title", ""))
    holding = [d for d in evaluate.evaluate(s, matching_of(parse("平湖"))).tolist() if d not in kept]
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
    from articles.models import Credit

    names = {}
    for article_id, name in Credit.objects.filter(article_id__in=[h.id for h in everything]).values_list(
            "article_id", "person__name"):
        names.setdefault(article_id, set()).add(name)
    if names:
        person = sorted(names[min(names)])[0]
        cases.append(({"person": person}, lambda h: person in names.get(h.id, ())))
    for options, passes in cases:
        expected = {h.id for h in everything if passes(h)}
        got = _ids(q=q, **options)
        assert {h.id for h in got.hits} == expected, options
        assert got.count == len(expected)


@pytest.mark.django_db
def test_common_terms_posting_sets_are_kept_per_reader_and_answer_as_whoosh(two_segment_searcher, monkeypatch):
    s, _ = two_segment_searcher
    reader = s.reader()
    evaluate.forget_common_terms()
    common = set(evaluate.term_docs(reader, "text", "平湖").tolist())
    assert common == set(s.docs_for_query(wq.Term("text", "平湖")))
    assert len(common) >= evaluate.COMMON_SHARE * reader.doc_count_all()
    rare = min((t for t in reader.lexicon("text")), key=lambda t: reader.doc_frequency("text", t))
    evaluate.term_docs(reader, "text", rare)
    reads = []
    real = evaluate._read_term_docs
    monkeypatch.setattr(evaluate, "_read_term_docs", lambda *args: reads.append(args[2]) or real(*args))
    assert set(evaluate.term_docs(reader, "text", "平湖").tolist()) == common  # kept: not read again
    evaluate.term_docs(reader, "text", rare)  # a rare term is read each time
    assert reads == [rare]
