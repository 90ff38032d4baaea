"""The haystack path (haystack_search.search), run through haystack's real Whoosh backend code.

No Elasticsearch runs here: haystack's connection points at our
ChineseWhooshEngine over the imported samples, so every query goes
SearchQuerySet -> query string -> haystack's Whoosh backend -> Whoosh's
query parser. Results are compared with the local engine, which the rest of
tests/search checks against the articles themselves.
"""

import json
from datetime import date

import pytest
from django.urls import reverse
from haystack import connections

from articles.models import Article
from articles.search import haystack_search, searching
from articles.search.backend import ChineseWhooshEngine
from articles.search.query import engine
from articles.search.query.engine import SearchRequest
from articles.search.store import uses_local_index

pytestmark = pytest.mark.django_db

ALL = (0, 5000)


class RoutedWhooshEngine(ChineseWhooshEngine):
    """Our Whoosh engine under another class path: to the dispatcher, "not the local engine"."""


ROUTED = f"{RoutedWhooshEngine.__module__}.{RoutedWhooshEngine.__qualname__}"


def both(**options):
    req = SearchRequest(**options)
    local = engine.search(req, window=ALL, snippets=False)
    through_haystack = haystack_search.search(req, window=ALL, snippets=False)
    assert not local.error and not through_haystack.error, (options, local.error, through_haystack.error)
    return local, through_haystack


def ids(result):
    return [hit.id for hit in result.hits]


QUERIES = [
    # words, one character, numbers, full-width forms
    ("平湖", "fuzzy"), ("招商", "fuzzy"), ("镇", "fuzzy"), ("120.4亿元", "fuzzy"), ("1至6月", "fuzzy"),
    # a fuzzy term found both whole and as scattered words, and the same term exact
    ("平湖招商", "fuzzy"), ("平湖招商", "exact"), ("高质量发展", "fuzzy"), ("高质量发展", "exact"),
    # phrases, exclusions, alternatives
    ('"平湖 经济"', "fuzzy"), ('"经济发展"', "fuzzy"), ("平湖 -招商", "fuzzy"), ('项目 -"招商" -版次:1', "fuzzy"),
    ("发展 OR 招商", "fuzzy"), ("小巨人 OR 消费券 OR 外资", "fuzzy"), ("平湖 -作者:杨晨燕", "fuzzy"),
    # fielded
    ("篇名:平湖", "fuzzy"), ("作者:言成声", "fuzzy"), ("作者:王", "fuzzy"), ("作者:王强", "exact"),
    ("栏目:访谈", "fuzzy"), ("栏目:一把手访谈", "exact"), ("版次:C1", "fuzzy"), ("版次:11", "fuzzy"),
    # Traditional script, for Simplified text
    ("營商環境", "fuzzy"), ("優化營商環境", "fuzzy"), ("作者:王強", "exact"), ("栏目:一把手訪談", "exact"),
]


@pytest.mark.parametrize("q, match", QUERIES)
def test_finds_the_same_articles_as_the_local_engine(indexed_samples, q, match):
    local, through_haystack = both(q=q, match=match)
    assert through_haystack.count == local.count
    assert sorted(ids(through_haystack)) == sorted(ids(local))
    assert through_haystack.terms == local.terms


def test_the_queries_above_are_not_trivial(indexed_samples):
    counts = {(q, m): both(q=q, match=m)[1].count for q, m in QUERIES}
    total = len(indexed_samples)
    assert all(0 < n < total for key, n in counts.items() if key != ("平湖招商", "exact")), counts
    # Fuzzy finds scattered words that the exact literal does not.
    assert counts[("平湖招商", "fuzzy")] > counts[("平湖招商", "exact")] == 0
    assert counts[("高质量发展", "fuzzy")] > counts[("高质量发展", "exact")]


@pytest.mark.parametrize("traditional, simplified", [
    ("營商環境", "营商环境"), ('"優化營商環境"', '"优化营商环境"'), ("作者:王強", "作者:王强"), ("開發區 項目", "开发区 项目"),
])
def test_traditional_queries_find_what_simplified_ones_find(indexed_samples, traditional, simplified):
    for path in (engine.search, haystack_search.search):
        found = path(SearchRequest(q=traditional), window=ALL, snippets=False)
        expected = path(SearchRequest(q=simplified), window=ALL, snippets=False)
        assert found.count == expected.count > 0 and ids(found) == ids(expected)


def test_headline_search_matches_the_articles_themselves(indexed_samples):
    expected = sorted(a.pk for a in indexed_samples if "平湖" in a.kicker + a.title + a.subtitle)
    assert expected and len(expected) < len(indexed_samples)
    assert sorted(ids(both(q="篇名:平湖")[1])) == expected
    body_only = sorted(a.pk for a in indexed_samples if "平湖" in a.body and a.pk not in expected)
    assert set(body_only) <= set(ids(both(q="平湖")[1]))


@pytest.mark.parametrize("filters", [
    {"year": "2023"},
    {"month": "2023-08"},
    {"date_from": date(2023, 7, 20), "date_to": date(2024, 1, 5)},
    {"date_from": date(2024, 1, 1)},
    {"date_to": date(2023, 7, 20)},
    {"kind": "news"},
    {"column": "一把手访谈"},
    {"person": "杨晨燕"},
    {"page_label": "C1"},
    {"year": "2023", "kind": "news", "page_label": "C1"},
])
def test_filters_agree_with_the_local_engine(indexed_samples, filters):
    local, through_haystack = both(q="平湖 OR 发展", **filters)
    unfiltered = both(q="平湖 OR 发展")[1]
    assert 0 < through_haystack.count < unfiltered.count
    assert sorted(ids(through_haystack)) == sorted(ids(local))
    for hit in through_haystack.hits:
        if "year" in filters:
            assert hit.issue_date.year == int(filters["year"])
        if "date_from" in filters:
            assert hit.issue_date >= filters["date_from"]
        if "date_to" in filters:
            assert hit.issue_date <= filters["date_to"]
        if "kind" in filters:
            assert hit.kind == filters["kind"]
        if "person" in filters:
            assert filters["person"] in hit.people


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_date_sorts_give_the_local_engines_order(indexed_samples, sort):
    local, through_haystack = both(q="发展", sort=sort)
    assert ids(through_haystack) == ids(local)
    dates = [hit.issue_date for hit in through_haystack.hits]
    assert dates == sorted(dates, reverse=sort == "newest") and dates[0] != dates[-1]


def test_pages_and_windows_cut_the_same_ordered_list(indexed_samples):
    full = haystack_search.search(SearchRequest(q="平湖", sort="newest"), window=ALL, snippets=False)
    order = ids(full)
    assert len(order) > 10
    pages = []
    for page in range(1, 5):
        result = haystack_search.search(SearchRequest(q="平湖", sort="newest", page=page, page_size=6), snippets=False)
        assert result.count == len(order) and result.pages == -(-len(order) // 6)
        assert [hit.rank for hit in result.hits] == list(range((page - 1) * 6, (page - 1) * 6 + len(result.hits)))
        pages += ids(result)
    assert pages == order
    # Result navigation asks for windows that are no page of their length.
    for start, stop in ((1, 4), (4, 7), (8, 11), (-1, 2), (len(order) - 2, len(order) + 1)):
        window = haystack_search.search(SearchRequest(q="平湖", sort="newest"), facets=False,
                                        window=(start, stop), snippets=False)
        assert ids(window) == order[max(0, start):stop], (start, stop)
        assert [hit.rank for hit in window.hits] == list(range(max(0, start), min(stop, len(order))))


def test_facets_match_the_local_engine(indexed_samples):
    req = SearchRequest(q="平湖 OR 发展")
    local, through_haystack = engine.search(req), haystack_search.search(req)
    assert through_haystack.months == local.months and len(local.months) > 1
    assert through_haystack.kinds == local.kinds and len(local.kinds) > 1
    assert through_haystack.columns == local.columns
    assert through_haystack.years == local.years
    within = haystack_search.search(SearchRequest(q="平湖 OR 发展", year="2023"))
    assert within.months == engine.search(SearchRequest(q="平湖 OR 发展", year="2023")).months
    assert set(within.months) and all(month.startswith("2023-") for month in within.months)
    assert haystack_search.search(req, facets=False).months == {}


def test_a_backend_refusing_facets_still_answers_the_search(indexed_samples, monkeypatch):
    from articles.search.backend import ChineseWhooshSearchBackend

    real = ChineseWhooshSearchBackend.search

    def no_facets(self, query_string, **kwargs):
        if kwargs.get("facets") or kwargs.get("date_facets"):
            raise ValueError("facets not supported here")
        return real(self, query_string, **kwargs)

    monkeypatch.setattr(ChineseWhooshSearchBackend, "search", no_facets)
    req = SearchRequest(q="平湖 OR 发展", sort="newest")
    result = haystack_search.search(req)
    assert result.months == result.kinds == result.columns == {}
    assert result.count == engine.search(req).count and ids(result) == ids(engine.search(req))


def test_hits_carry_the_stored_fields_and_marked_snippets(indexed_samples):
    req = SearchRequest(q="平湖", sort="oldest", page_size=50)
    local, through_haystack = engine.search(req), haystack_search.search(req)
    assert len(through_haystack.hits) == len(local.hits) > 3
    for ours, theirs in zip(through_haystack.hits, local.hits):
        assert ours == theirs
    assert any("<mark>平湖</mark>" in hit.snippet for hit in through_haystack.hits)
    article = Article.objects.get(pk=through_haystack.hits[0].id)
    assert through_haystack.hits[0].url == article.get_absolute_url()
    assert through_haystack.hits[0].issue_date == article.page.issue.date


@pytest.mark.parametrize("q", ["", "-平湖", "。。", "平" * 201])
def test_bad_queries_give_the_local_engines_message(indexed_samples, q):
    req = SearchRequest(q=q)
    local, through_haystack = engine.search(req), haystack_search.search(req)
    assert through_haystack.error == local.error
    assert through_haystack.count == 0 and through_haystack.hits == []


def test_hostile_text_is_only_text(indexed_samples):
    # Backend query syntax inside a term must reach the index as the characters typed.
    for q in ['title:* OR django_ct:*', 'text:(a) OR "', "平湖)(", "AND OR NOT", "{to 2099}", "平湖~2", "*",
              "（扩大）", "学习（扩大）会议", "[to 20991231000000]"]:
        req = SearchRequest(q=q)
        local = engine.search(req, window=ALL, snippets=False)
        through_haystack = haystack_search.search(req, window=ALL, snippets=False)
        assert through_haystack.error == local.error, q
        assert sorted(ids(through_haystack)) == sorted(ids(local)), q
    assert both(q="学习（扩大）会议")[1].count == 1


def test_quotes_and_backslashes_inside_a_term_are_dropped(indexed_samples):
    # The one known difference: no backend parses them reliably inside a phrase.
    assert ids(haystack_search.search(SearchRequest(q="平湖\\", sort="newest"), window=ALL)) == \
        ids(haystack_search.search(SearchRequest(q="平湖", sort="newest"), window=ALL))


@pytest.fixture
def routed(settings, indexed_samples, sample_index):
    settings.HAYSTACK_CONNECTIONS = {"default": {"ENGINE": ROUTED, "PATH": str(sample_index)}}
    connections.reload("default")
    yield
    connections.reload("default")


def _local_engine_off(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the local engine ran although another engine is configured")

    monkeypatch.setattr(engine, "search", refuse)


def test_dispatcher_follows_the_configured_engine(routed, monkeypatch):
    assert not uses_local_index()
    calls = []
    real = haystack_search.search
    monkeypatch.setattr(haystack_search, "search", lambda req, **kw: calls.append(kw) or real(req, **kw))
    _local_engine_off(monkeypatch)
    result = searching.run_search(SearchRequest(q="平湖"), facets=False)
    assert calls == [{"facets": False}] and result.count > 0


def test_dispatcher_keeps_the_local_engine_by_default(indexed_samples, monkeypatch):
    assert uses_local_index()
    monkeypatch.setattr(haystack_search, "search", lambda *a, **kw: pytest.fail("haystack path ran"))
    assert searching.run_search(SearchRequest(q="平湖")).count > 0


def test_page_api_and_result_navigation_use_the_configured_engine(client, routed, monkeypatch):
    _local_engine_off(monkeypatch)
    expected = haystack_search.search(SearchRequest(q="平湖", page_size=3))
    data = json.loads(client.get(reverse("api_search"), {"q": "平湖", "page_size": 3}).content)
    assert data["count"] == expected.count and [r["id"] for r in data["results"]] == ids(expected)
    assert data["facets"]["month"] == expected.months
    html = client.get(reverse("search"), {"q": "平湖"}).content.decode()
    assert f"找到 <strong>{expected.count}</strong> 篇文章" in html and "<mark>平湖</mark>" in html
    first, second, third = (Article.objects.get(pk=pk) for pk in ids(expected))
    html = client.get(second.get_absolute_url(), {"q": "平湖", "hit": 2}).content.decode()
    assert f'href="{first.get_absolute_url()}?q=' in html and "hit=1" in html
    assert f'href="{third.get_absolute_url()}?q=' in html and "hit=3" in html


def test_a_failing_cluster_gives_readers_a_message_not_an_error_page(client, routed, monkeypatch):
    def down(req, **kw):
        raise ConnectionError("cluster unreachable")

    monkeypatch.setattr(haystack_search, "search", down)
    result = searching.run_search(SearchRequest(q="平湖"))
    assert result.error == searching.UNAVAILABLE and result.count == 0 and not result.hits
    response = client.get(reverse("search"), {"q": "平湖"})
    assert response.status_code == 503 and searching.UNAVAILABLE in response.content.decode()
    assert response["Retry-After"]
    data = json.loads(client.get(reverse("api_search"), {"q": "平湖"}).content)
    assert data["count"] == 0 and data.get("error") == searching.UNAVAILABLE
