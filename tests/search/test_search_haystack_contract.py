"""haystack's contract on both engines: every documented SearchQuerySet method works alike or says what to use instead.

The list walked: filter, exclude, auto_query, raw_search, order_by, facet,
date_facet, highlight, more_like_this, models, count, slicing.

The local engine is asked over a real index of the sample articles, and its
answers are checked against the articles in the database. The cluster engine
is checked at the request/response level only: no Elasticsearch can be
installed here, so the Elasticsearch client is replaced by the recording
stand-in of tests/ops/test_ops_search_cluster.py, haystack's real
Elasticsearch 7 backend builds each request, and we read what it would send
and feed it a recorded-shape response. Whether a live cluster ranks or
counts as the local engine does is not shown here.
"""

from datetime import datetime

import pytest
from haystack.query import SearchQuerySet

from articles.models import Article, Issue
from articles.search import documents, service
from articles.search.engines.local import store
from articles.search.engines.local.related import distinctive_terms
from articles.search.planned import NotOffered, PlannedSearchQuerySet
from articles.search.querylang import compile_query, parse
from articles.search.text import PART_SEPARATOR, fold
from tests.ops.test_ops_search_cluster import RESPONSE, RecordingClient, cluster_backend, on_the_cluster  # noqa: F401

pytestmark = pytest.mark.django_db

ALL = (0, 5000)


def _index_text(article):
    """The folded parts of the article's document text, as the index holds them."""
    row = documents.articles_for_index(Article.objects.filter(pk=article.pk)).get()
    return [fold(part) for part in documents.document_for(row)["text"].split(PART_SEPARATOR)]


def holding(articles, literal):
    """The ids of ``articles`` whose document text holds ``literal`` (folded)."""
    return {a.pk for a in articles if any(fold(literal) in part for part in _index_text(a))}


def pks(results):
    return [int(result.pk) for result in results]


# --- the local engine, over the sample index ----------------------------------------------


def test_filter_and_exclude_find_what_the_articles_hold(indexed_samples):
    expected = holding(indexed_samples, "营商环境") - holding(indexed_samples, "锦旗")
    found = SearchQuerySet().filter(content="营商环境").exclude(content="锦旗")
    assert 0 < len(expected) < len(holding(indexed_samples, "营商环境"))
    assert found.count() == len(expected) and set(pks(found)) == expected


def test_auto_query_reads_the_query_language_as_filter_and_exclude_do(indexed_samples):
    # Regression: Whoosh's reading of '"营商环境" -锦旗' found nothing.
    expected = holding(indexed_samples, "营商环境") - holding(indexed_samples, "锦旗")
    found = SearchQuerySet().auto_query('"营商环境" -锦旗')
    assert found.count() == len(expected) > 0
    assert set(pks(found)) == set(pks(SearchQuerySet().filter(content="营商环境").exclude(content="锦旗")))
    alternatives = SearchQuerySet().auto_query("营商环境 OR 锦旗")
    assert set(pks(alternatives)) == holding(indexed_samples, "营商环境") | holding(indexed_samples, "锦旗")
    # A plain auto_query ranks and marks as the search page does with the same words.
    page = service.search(service.SearchRequest(q="营商环境 OR 锦旗"), window=ALL, snippets=False, facets=False)
    assert pks(alternatives) == [hit.id for hit in page.hits]
    assert SearchQuerySet().auto_query("锦旗", fieldname="headline").count() == \
        len({a.pk for a in indexed_samples if "锦旗" in a.kicker + a.title + a.subtitle})


def test_raw_search_names_the_alternatives(indexed_samples):
    with pytest.raises(NotOffered, match="auto_query"):
        SearchQuerySet().raw_search("text:营商环境")


@pytest.mark.parametrize("name, newest_first", [
    ("-issue_date", True), ("issue_date", False), ("-date", True), ("pub_date", False),
])
def test_order_by_the_issue_date(indexed_samples, name, newest_first):
    # Regression: order_by('-date') raised.
    found = list(SearchQuerySet().filter(content="平湖").order_by(name))
    dates = [result.issue_date for result in found]
    assert len(found) == len(holding(indexed_samples, "平湖")) and dates[0] != dates[-1]
    assert dates == sorted(dates, reverse=newest_first)
    sort = "newest" if newest_first else "oldest"
    page = service.search(service.SearchRequest(q='"平湖"', sort=sort), window=ALL, snippets=False, facets=False)
    assert pks(found) == [hit.id for hit in page.hits]


def test_order_by_anything_else_names_the_alternative(indexed_samples):
    with pytest.raises(NotOffered, match="issue_date"):
        SearchQuerySet().order_by("title")
    with pytest.raises(NotOffered, match="one key"):
        SearchQuerySet().order_by("-issue_date", "page")


def test_facets_count_the_matches(indexed_samples):
    matched = [a for a in indexed_samples if a.pk in holding(indexed_samples, "发展")]
    counts = SearchQuerySet().filter(content="发展").facet("kind").facet("column").facet_counts()
    kinds = {}
    for article in matched:
        kinds[article.kind] = kinds.get(article.kind, 0) + 1
    assert dict(counts["fields"]["kind"]) == kinds and len(kinds) > 1
    assert sum(n for _, n in counts["fields"]["column"]) == sum(1 for a in matched if a.column)
    with pytest.raises(NotOffered, match="kind"):
        SearchQuerySet().facet("title")


def test_date_facets_count_by_month_and_year(indexed_samples):
    matched = [a for a in indexed_samples if a.pk in holding(indexed_samples, "发展")]
    months = {}
    for article in matched:
        key = datetime(article.page.issue.date.year, article.page.issue.date.month, 1)
        months[key] = months.get(key, 0) + 1
    counts = SearchQuerySet().filter(content="发展").date_facet(
        "issue_date", datetime(2000, 1, 1), datetime(2030, 1, 1), "month").facet_counts()
    assert dict(counts["dates"]["issue_date"]) == months and len(months) > 1
    with pytest.raises(NotOffered, match="gap_by='month' or 'year'"):
        SearchQuerySet().date_facet("issue_date", datetime(2000, 1, 1), datetime(2030, 1, 1), "day")


def test_highlight_marks_an_auto_query(indexed_samples):
    found = SearchQuerySet().auto_query("营商环境").highlight()
    assert found.count() == len(holding(indexed_samples, "营商环境"))
    for result in found:
        marked = result.highlighted["title"] + result.highlighted["body"]
        assert any("<mark>营商环境</mark>" in fragment for fragment in marked), result.pk
    # A tree of SearchQuerySet's own methods marks the literals it looks for, not those it excludes.
    filtered = SearchQuerySet().filter(content="营商环境").exclude(content="锦旗").highlight()
    assert filtered.count() > 0
    for result in filtered:
        marked = "".join(result.highlighted["title"] + result.highlighted["body"])
        assert "<mark>营商环境</mark>" in marked and "<mark>锦旗</mark>" not in marked, result.pk


def test_more_like_this_finds_articles_sharing_the_articles_distinctive_terms(indexed_samples):
    # Regression: more_like_this(article) raised (Whoosh's own needs stored or vectored text).
    article = next(a for a in indexed_samples if a.pk in holding(indexed_samples, "营商环境"))
    terms = distinctive_terms(store.searcher(), article)
    grams = [term for field, term in terms if field == "text"]
    assert grams and all(len(term) == 2 for term in grams)
    # Its people and places add to the score of reports sharing words (ranking.RELATED_WEIGHTS).
    assert {field for field, term in terms if field != "text"} <= {"people", "places"}
    expected = set().union(*(holding(indexed_samples, term) for term in grams)) - {article.pk}
    related = SearchQuerySet().more_like_this(article)
    found = list(related)
    assert 0 < related.count() == len(found) == len(expected) < len(indexed_samples) - 1
    assert set(pks(found)) == expected and article.pk not in pks(found)
    scores = [result.score for result in found]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]
    # Sliced, filtered and narrowed to models as any search.
    assert pks(SearchQuerySet().more_like_this(article)[1:4]) == pks(found)[1:4]
    news = SearchQuerySet().more_like_this(article).filter(kind="news")
    assert set(pks(news)) == {pk for pk in expected if Article.objects.get(pk=pk).kind == "news"} != set()
    with pytest.warns(UserWarning, match="not registered"):
        assert SearchQuerySet().models(Issue).more_like_this(article).count() == 0


def test_models_narrow_to_the_one_model_indexed(indexed_samples):
    everything = SearchQuerySet().models(Article)
    assert everything.count() == len(indexed_samples) == SearchQuerySet().count()
    with pytest.warns(UserWarning, match="not registered"):
        assert SearchQuerySet().models(Issue).filter(content="平湖").count() == 0


@pytest.mark.parametrize("make", [
    lambda: SearchQuerySet().filter(content="平湖"),
    lambda: SearchQuerySet().auto_query("平湖 OR 发展"),
    lambda: SearchQuerySet().filter(content="发展").order_by("-issue_date"),
])
def test_count_and_slicing_agree(indexed_samples, make):
    whole = pks(make())
    assert make().count() == len(whole) > 8
    for start, stop in ((0, 3), (2, 5), (len(whole) - 2, len(whole) + 3)):
        assert pks(make()[start:stop]) == whole[start:stop]
    assert int(make()[4].pk) == whole[4]


# --- the cluster engine, at the request/response level ------------------------------------


@pytest.fixture
def cluster(on_the_cluster, monkeypatch):  # noqa: F811 - the recorded cluster of test_ops_search_cluster
    """The recording stand-in; ``sent()`` is the body (and from/size) of the one search since the last call."""
    monkeypatch.setattr(RecordingClient, "response", RESPONSE)
    real = RecordingClient.search

    def search(self, body, index, **kwargs):
        self.calls.append(("window", kwargs.get("from_"), kwargs.get("size")))
        return real(self, body, index, **kwargs)

    monkeypatch.setattr(RecordingClient, "search", search)

    def sent():
        searches = [call for call in on_the_cluster.calls if call[0] == "search"]
        windows = [call[1:] for call in on_the_cluster.calls if call[0] == "window"]
        on_the_cluster.calls.clear()
        assert len(searches) == 1, searches
        return searches[0][2], windows[0]

    return sent


def ask(sqs):
    """One search: the recorded response holds two of its seven hits, which a whole listing would page past."""
    return list(sqs[:2])


def _query_string(body):
    query = body["query"]
    query = query.get("function_score", {}).get("query", query)
    return query["bool"]["must"]["query_string"]["query"]


def test_filter_exclude_and_auto_query_reach_the_cluster_as_the_same_phrases(cluster):
    ask(SearchQuerySet().filter(content="营商环境").exclude(content="锦旗"))
    filtered = _query_string(cluster()[0])
    assert "营商环境" in filtered and "NOT" in filtered and "锦旗" in filtered
    # auto_query sends what the search page sends for the same words, literal-first ranking included.
    for q in ('"营商环境" -锦旗', "平湖招商 -锦旗"):
        ask(SearchQuerySet().auto_query(q))
        auto = cluster()[0]
        ask(PlannedSearchQuerySet().planned(compile_query(parse(q))))
        assert auto == cluster()[0]
        assert 'text:("营商环境")' in _query_string(auto) or 'text:("平湖招商")' in _query_string(auto)
        assert 'NOT (text:("锦旗"))' in _query_string(auto)


def test_raw_search_reaches_the_cluster_as_written(cluster):
    ask(SearchQuerySet().raw_search('text:"营商环境" AND kind:news'))
    assert 'text:"营商环境" AND kind:news' in _query_string(cluster()[0])


@pytest.mark.parametrize("name, column", [("-issue_date", "newest"), ("issue_date", "order"), ("-date", "newest")])
def test_order_by_reaches_the_cluster_as_the_reading_order_columns(cluster, name, column):
    ask(SearchQuerySet().filter(content="平湖").order_by(name))
    assert cluster()[0]["sort"] == [{column: {"order": "asc"}}]
    with pytest.raises(NotOffered):
        SearchQuerySet().order_by("title")


def test_facets_and_highlighting_reach_the_cluster(cluster):
    found = SearchQuerySet().filter(content="平湖").facet("kind").date_facet(
        "issue_date", datetime(2023, 1, 1), datetime(2024, 1, 1), "month").highlight()
    counts = found.facet_counts()
    body = cluster()[0]
    assert body["aggs"]["kind"]["terms"]["field"] == "kind_exact"
    assert body["aggs"]["issue_date"]["date_histogram"] == {"field": "issue_date", "interval": "month"}
    assert body["highlight"]["fields"] == {"text": {"fragment_size": 110, "number_of_fragments": 1,
                                                    "no_match_size": 110}}
    assert dict(counts["fields"]["kind"]) == {"news": 7}
    with pytest.raises(NotOffered):
        SearchQuerySet().facet("title")
    with pytest.raises(NotOffered):
        SearchQuerySet().date_facet("issue_date", datetime(2023, 1, 1), datetime(2024, 1, 1), "day")


def test_a_several_valued_facet_reaches_the_cluster_and_counts_each_value(cluster):
    counts = SearchQuerySet().filter(content="平湖").facet("places").facet_counts()
    assert cluster()[0]["aggs"]["places"]["terms"]["field"] == "places_exact"
    assert dict(counts["fields"]["places"]) == {"新仓镇": 3, "中华村": 1}
    # The results page reads them as the local engine's per-value counts.
    result = service.search(service.SearchRequest(q="平湖"))
    cluster()
    assert result.places == {"中华村": 1, "新仓镇": 3}


def test_more_like_this_reaches_the_cluster_with_its_window(cluster):
    article = Article(pk=41)
    results = SearchQuerySet().more_like_this(article).filter(kind="news")[5:7]
    assert pks(results) == [41, 40]
    body, window = cluster()
    like = body["query"]["bool"]["must"]["more_like_this"]
    assert like == {"fields": ["text"], "like": [{"_index": "phnews", "_id": "articles.article.41"}]}
    # The SearchQuerySet's filters and the model narrow the related articles.
    assert body["query"]["bool"]["filter"] == {"bool": {"must": [
        {"query_string": {"query": "kind:(news)"}}, {"terms": {"django_ct": ["articles.article"]}}]}}
    assert window == (5, 2)


def test_models_count_and_slicing_reach_the_cluster(cluster):
    found = SearchQuerySet().models(Article).filter(content="平湖")
    assert found.count() == 7
    body, window = cluster()
    assert body["query"]["bool"]["filter"] == {"terms": {"django_ct": ["articles.article"]}}
    assert (body["from"], body["size"]) == (0, 1)
    assert pks(SearchQuerySet().filter(content="平湖")[5:7]) == [41, 40]
    body, _ = cluster()
    assert (body["from"], body["size"]) == (5, 2)
