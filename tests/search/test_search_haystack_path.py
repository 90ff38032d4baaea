"""One read path: readers' searches are a haystack SearchQuerySet, whichever backend answers it.

``service.search`` parses the query into haystack's query tree once. The
local engine (``ChineseWhooshEngine``) evaluates that tree itself. A cluster
gets haystack's own translation of the same tree into a query string; no
cluster runs here, so ``TranslatedEngine`` stands in for one: haystack's
stock Whoosh query class and backend search over our index, so every query
goes SearchQuerySet -> query string -> Whoosh's query parser. Both must find
the same articles. What a real Elasticsearch backend is sent is checked on
the recorded backend (tests/ops/test_ops_search_cluster.py).
"""

import json
from datetime import date

import pytest
from django.urls import reverse
from haystack import connections
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery

from articles.models import Article
from articles.search import service, sync
from articles.search.engines.local.backend import ChineseWhooshEngine, ChineseWhooshSearchBackend
from articles.search.service import SearchRequest

pytestmark = pytest.mark.django_db

ALL = (0, 5000)


class TranslatedBackend(ChineseWhooshSearchBackend):
    def search(self, query_string, highlight=False, **kwargs):
        # haystack's stock Whoosh highlighter marks the stored content field,
        # which our schema does not store: this stand-in leaves results
        # unmarked, and searching marks them from the stored title and body.
        return WhooshSearchBackend.search(self, query_string, **kwargs)


class TranslatedEngine(ChineseWhooshEngine):
    """haystack's translation of the tree into a query string, answered by Whoosh's query parser."""

    backend = TranslatedBackend
    query = WhooshSearchQuery


TRANSLATED = f"{TranslatedEngine.__module__}.{TranslatedEngine.__qualname__}"


@pytest.fixture
def translated(settings, indexed_samples, sample_index):
    """A second connection, "translated", over the sample index; "default" stays the local engine."""
    configured = {
        "default": {"ENGINE": "articles.search.engines.local.backend.ChineseWhooshEngine", "PATH": str(sample_index)},
        "translated": {"ENGINE": TRANSLATED, "PATH": str(sample_index)},
    }
    settings.HAYSTACK_CONNECTIONS = configured
    started_with = connections.connections_info
    connections.connections_info = configured
    connections.reload("default")
    connections.reload("translated")
    yield
    connections.connections_info = started_with
    connections.reload("default")


def both(facets=False, window=ALL, **options):
    req = SearchRequest(**options)
    local = service.search(req, window=window, snippets=False, facets=facets)
    through_haystack = service.search(req, window=window, snippets=False, facets=facets, using="translated")
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
def test_the_local_engine_and_haystacks_translation_find_the_same_articles(translated, q, match):
    local, through_haystack = both(q=q, match=match)
    assert through_haystack.count == local.count
    assert sorted(ids(through_haystack)) == sorted(ids(local))
    assert through_haystack.terms == local.terms


def test_the_queries_above_are_not_trivial(translated, indexed_samples):
    counts = {(q, m): both(q=q, match=m)[0].count for q, m in QUERIES}
    total = len(indexed_samples)
    assert all(0 < n < total for key, n in counts.items() if key != ("平湖招商", "exact")), counts
    # Fuzzy finds scattered words that the exact literal does not.
    assert counts[("平湖招商", "fuzzy")] > counts[("平湖招商", "exact")] == 0
    assert counts[("高质量发展", "fuzzy")] > counts[("高质量发展", "exact")]


@pytest.mark.parametrize("traditional, simplified", [
    ("營商環境", "营商环境"), ('"優化營商環境"', '"优化营商环境"'), ("作者:王強", "作者:王强"), ("開發區 項目", "开发区 项目"),
])
def test_traditional_queries_find_what_simplified_ones_find(translated, traditional, simplified):
    for using in ("default", "translated"):
        found = service.search(SearchRequest(q=traditional), window=ALL, snippets=False, using=using)
        expected = service.search(SearchRequest(q=simplified), window=ALL, snippets=False, using=using)
        assert found.count == expected.count > 0 and ids(found) == ids(expected)


def test_headline_search_matches_the_articles_themselves(translated, indexed_samples):
    expected = sorted(a.pk for a in indexed_samples if "平湖" in a.kicker + a.title + a.subtitle)
    assert expected and len(expected) < len(indexed_samples)
    local, through_haystack = both(q="篇名:平湖")
    assert sorted(ids(local)) == sorted(ids(through_haystack)) == expected
    body_only = sorted(a.pk for a in indexed_samples if "平湖" in a.body and a.pk not in expected)
    assert set(body_only) <= set(ids(both(q="平湖")[0]))


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
def test_filters_agree_between_the_backends(translated, filters):
    local, through_haystack = both(q="平湖 OR 发展", **filters)
    unfiltered = both(q="平湖 OR 发展")[0]
    assert 0 < local.count < unfiltered.count
    assert sorted(ids(through_haystack)) == sorted(ids(local))
    for hit in local.hits:
        if "year" in filters:
            assert hit.issue_date.year == int(filters["year"])
        if "date_from" in filters:
            assert hit.issue_date >= filters["date_from"]
        if "date_to" in filters:
            assert hit.issue_date <= filters["date_to"]
        if "kind" in filters:
            assert hit.kind == filters["kind"]
        if "person" in filters:
            credited = Article.objects.get(pk=hit.id).credits.values_list("person__name", flat=True)
            assert filters["person"] in credited


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_date_sorts_give_the_same_order_on_both_backends(translated, sort):
    local, through_haystack = both(q="发展", sort=sort)
    assert ids(through_haystack) == ids(local)
    dates = [hit.issue_date for hit in local.hits]
    assert dates == sorted(dates, reverse=sort == "newest") and dates[0] != dates[-1]


def test_pages_and_windows_cut_the_same_ordered_list(translated):
    full = service.search(SearchRequest(q="平湖", sort="newest"), window=ALL, snippets=False)
    order = ids(full)
    assert len(order) > 10
    for using in ("default", "translated"):
        pages = []
        for page in range(1, 5):
            req = SearchRequest(q="平湖", sort="newest", page=page, page_size=6)
            result = service.search(req, snippets=False, using=using)
            assert result.count == len(order) and result.pages == -(-len(order) // 6)
            assert [hit.rank for hit in result.hits] == list(range((page - 1) * 6, (page - 1) * 6 + len(result.hits)))
            pages += ids(result)
        assert pages == order, using
    # Result navigation asks for windows that are no page of their length (the
    # local engine and a cluster take offsets as they are; haystack's stock
    # Whoosh backend turns them into pages, so it is not asked).
    for start, stop in ((1, 4), (4, 7), (8, 11), (-1, 2), (len(order) - 2, len(order) + 1)):
        window = service.search(SearchRequest(q="平湖", sort="newest"), facets=False,
                                  window=(start, stop), snippets=False)
        assert ids(window) == order[max(0, start):stop], (start, stop)
        assert [hit.rank for hit in window.hits] == list(range(max(0, start), min(stop, len(order))))


def test_facets_count_the_matches(translated, indexed_samples):
    req = SearchRequest(q="平湖 OR 发展")
    result = service.search(req, window=ALL)
    matched = [a for a in indexed_samples if a.pk in set(ids(result))]
    assert len(matched) == result.count
    months = {}
    for article in matched:
        month = f"{article.page.issue.date:%Y-%m}"
        months[month] = months.get(month, 0) + 1
    assert result.months == dict(sorted(months.items())) and len(result.months) > 1
    kinds = {}
    for article in matched:
        kinds[article.kind] = kinds.get(article.kind, 0) + 1
    assert result.kinds == dict(sorted(kinds.items())) and len(result.kinds) > 1
    assert sum(result.columns.values()) == sum(1 for a in matched if a.column)
    # haystack's translation gives the same counts (a one-year span: its
    # Whoosh backend runs one query per month of the date facet).
    within = SearchRequest(q="平湖 OR 发展", year="2023")
    local = service.search(within)
    through_haystack = service.search(within, using="translated")
    assert (through_haystack.months, through_haystack.kinds, through_haystack.columns) == \
        (local.months, local.kinds, local.columns)
    assert set(local.months) and all(month.startswith("2023-") for month in local.months)
    assert service.search(req, facets=False).months == {}


def test_a_backend_refusing_facets_still_answers_the_search(indexed_samples, monkeypatch):
    real = ChineseWhooshSearchBackend.search

    def no_facets(self, query, **kwargs):
        if kwargs.get("facets") or kwargs.get("date_facets"):
            raise ValueError("facets not supported here")
        return real(self, query, **kwargs)

    req = SearchRequest(q="平湖 OR 发展", sort="newest")
    expected = service.search(req)
    assert expected.months
    monkeypatch.setattr(ChineseWhooshSearchBackend, "search", no_facets)
    result = service.search(req)
    assert result.months == result.kinds == result.columns == {}
    assert result.count == expected.count and ids(result) == ids(expected)


def test_hits_carry_the_stored_fields_and_marked_snippets(translated):
    req = SearchRequest(q="平湖", sort="oldest", page_size=50)
    local, through_haystack = service.search(req, facets=False), service.search(req, facets=False, using="translated")
    assert len(local.hits) == len(through_haystack.hits) > 3
    for ours, theirs in zip(local.hits, through_haystack.hits):
        assert ours == theirs
    assert any("<mark>平湖</mark>" in hit.snippet for hit in local.hits)
    article = Article.objects.get(pk=local.hits[0].id)
    assert local.hits[0].url == article.get_absolute_url()
    assert local.hits[0].issue_date == article.page.issue.date
    assert local.hits[0].title == article.title


@pytest.mark.parametrize("q", ["", "-平湖", "。。", "平" * 201])
def test_bad_queries_give_a_message_and_no_hits(translated, q):
    req = SearchRequest(q=q)
    local, through_haystack = service.search(req), service.search(req, using="translated")
    assert through_haystack.error == local.error
    assert bool(local.error) == bool(q)
    assert local.count == through_haystack.count == 0 and local.hits == through_haystack.hits == []


def test_hostile_text_is_only_text(translated):
    # Backend query syntax inside a term must reach the index as the characters typed.
    for q in ['title:* OR django_ct:*', 'text:(a) OR "', "平湖)(", "AND OR NOT", "{to 2099}", "平湖~2", "*",
              "（扩大）", "学习（扩大）会议", "[to 20991231000000]"]:
        req = SearchRequest(q=q)
        local = service.search(req, window=ALL, snippets=False, facets=False)
        through_haystack = service.search(req, window=ALL, snippets=False, facets=False, using="translated")
        assert through_haystack.error == local.error, q
        assert sorted(ids(through_haystack)) == sorted(ids(local)), q
    assert both(q="学习（扩大）会议")[0].count == 1


def test_quotes_and_backslashes_inside_a_term_are_dropped(translated):
    # No backend parses them reliably inside a phrase, so no backend is sent them.
    for using in ("default", "translated"):
        assert ids(service.search(SearchRequest(q="平湖\\", sort="newest"), window=ALL, using=using)) == \
            ids(service.search(SearchRequest(q="平湖", sort="newest"), window=ALL, using=using))


def test_views_api_and_result_navigation_search_through_haystack(client, indexed_samples, monkeypatch):
    asked = []
    real = ChineseWhooshSearchBackend.search

    def recording(self, query, **kwargs):
        asked.append(query)
        return real(self, query, **kwargs)

    monkeypatch.setattr(ChineseWhooshSearchBackend, "search", recording)
    assert not sync.backend().concurrent_writers
    expected = service.search(SearchRequest(q="平湖", page_size=3))
    data = json.loads(client.get(reverse("api_search"), {"q": "平湖", "page_size": 3}).content)
    assert data["count"] == expected.count and [r["id"] for r in data["results"]] == ids(expected)
    assert data["facets"]["month"] == expected.months
    html = client.get(reverse("search"), {"q": "平湖"}).content.decode()
    assert f"找到 <strong>{expected.count}</strong> 篇文章" in html and "<mark>平湖</mark>" in html
    first, second, third = (Article.objects.get(pk=pk) for pk in ids(expected))
    html = client.get(second.get_absolute_url(), {"q": "平湖", "hit": 2}).content.decode()
    assert f'href="{first.get_absolute_url()}?q=' in html and "hit=1" in html
    assert f'href="{third.get_absolute_url()}?q=' in html and "hit=3" in html
    # One backend search each for the function, the API, the page and the navigation, all with the same tree.
    assert len(asked) == 4 and len({repr(tree) for tree in asked}) == 1


def test_a_failing_cluster_gives_readers_a_message_not_an_error_page(client, settings, translated, monkeypatch):
    # The stand-in cluster as the default connection (the fixture restores haystack's).
    configured = {"default": connections.connections_info["translated"]}
    settings.HAYSTACK_CONNECTIONS = connections.connections_info = configured
    connections.reload("default")

    def down(self, query_string, **kwargs):
        raise ConnectionError("cluster unreachable")

    monkeypatch.setattr(TranslatedBackend, "search", down)
    result = service.search(SearchRequest(q="平湖"))
    assert result.error == service.UNAVAILABLE and result.count == 0 and not result.hits
    response = client.get(reverse("search"), {"q": "平湖"})
    assert response.status_code == 503 and service.UNAVAILABLE in response.content.decode()
    assert response["Retry-After"]
    data = json.loads(client.get(reverse("api_search"), {"q": "平湖"}).content)
    assert data["count"] == 0 and data.get("error") == service.UNAVAILABLE
