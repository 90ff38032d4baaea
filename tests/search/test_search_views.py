"""Search page, JSON API, OpenSearch, result navigation, ranking and sorting, on the imported samples."""

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article
from articles.search.service import SearchRequest, search

pytestmark = pytest.mark.django_db


def api(client, **params):
    response = client.get(reverse("api_search"), params)
    assert response.status_code == 200
    return json.loads(response.content)


def test_search_page_shows_hits_chart_facets_and_count(client, indexed_samples):
    response = client.get(reverse("search"), {"q": "平湖"})
    html = response.content.decode()
    assert response.status_code == 200
    count = search(SearchRequest(q="平湖"), facets=False).count
    assert f"找到 <strong>{count}</strong> 篇文章" in html
    assert 'class="search-chart"' in html and "各年命中篇数" in html
    assert "<mark>平湖</mark>" in html
    years = {a.page.issue.date.year for a in indexed_samples if "平湖" in a.title + a.body}
    for year in years:
        assert f"{year}年</a>" in html


def test_api_shape_filters_and_bounded_page_size(client, indexed_samples):
    data = api(client, q="平湖", page_size=1000)
    assert data["page_size"] == 50
    assert data["count"] == len(data["results"]) or data["count"] > 50
    first = data["results"][0]
    assert set(first) >= {"id", "title", "subtitle", "kicker", "issue_date", "page", "url", "snippet"}
    article = Article.objects.get(pk=first["id"])
    assert first["title"] == article.title
    assert first["url"].endswith(article.get_absolute_url())

    by_year = data["facets"]["year"]
    year, expected = next(iter(by_year.items()))
    filtered = api(client, q="平湖", year=year)
    assert filtered["count"] == expected
    assert all(r["issue_date"].startswith(year) for r in filtered["results"])

    kind, n = next(iter(data["facets"]["kind"].items()))
    assert api(client, q="平湖", kind=kind)["count"] == n

    dated = api(client, q="平湖", **{"from": "2024-01-01", "to": "2024-12-31"})
    assert dated["count"] == sum(n for m, n in data["facets"]["month"].items() if m.startswith("2024"))

    name = indexed_samples[0].credits.first().person.name
    with_person = api(client, q="平湖", person=name)
    assert all(name in Article.objects.get(pk=r["id"]).credits.values_list("person__name", flat=True)
               for r in with_person["results"])


def test_api_pages_are_disjoint_and_complete(client, indexed_samples):
    total = api(client, q="的", page_size=50)["count"]
    seen = []
    for page in range(1, -(-total // 7) + 1):
        seen += [r["id"] for r in api(client, q="的", page_size=7, page=page)["results"]]
    assert len(seen) == len(set(seen)) == total


def test_sorting_newest_and_oldest(client, indexed_samples):
    newest = [r["issue_date"] for r in api(client, q="发展", sort="newest", page_size=50)["results"]]
    oldest = [r["issue_date"] for r in api(client, q="发展", sort="oldest", page_size=50)["results"]]
    assert newest == sorted(newest, reverse=True) and oldest == sorted(oldest)
    assert len(set(newest)) > 1


def test_headline_and_exact_phrase_matches_rank_first(indexed_samples):
    article = next(a for a in indexed_samples if len(a.title) >= 6)
    word = article.title[:4]
    hits = search(SearchRequest(q=word, page_size=50), facets=False).hits
    in_headline = [h.id for h in hits if word in (h.kicker + h.title + h.subtitle)]
    assert [h.id for h in hits[:len(in_headline)]] == in_headline

    # Two words: articles holding them side by side come before scattered ones.
    hits = search(SearchRequest(q="生物 医药", page_size=50), facets=False).hits
    joined = [h.id for h in hits if "生物医药" in Article.objects.get(pk=h.id).body + h.title]
    assert joined and [h.id for h in hits[:len(joined)]] == joined


@pytest.mark.parametrize("q", ['"', "-", "a" * 10_000, "title:x AND *", "((", "-平湖", "<script>"])
def test_hostile_queries_never_fail(client, indexed_samples, q):
    response = client.get(reverse("search"), {"q": q})
    assert response.status_code == 200
    assert api(client, q=q)["count"] == 0


def test_bad_parameters_are_reported_not_fatal(client, indexed_samples):
    response = client.get(reverse("search"), {"q": "平湖", "from": "2023-13-40", "page": "x", "sort": "bogus"})
    assert response.status_code == 200
    assert "不是有效日期" in response.content.decode()


def test_empty_state_offers_ways_out(client, indexed_samples):
    html = client.get(reverse("search"), {"q": "平湖", "year": "1999", "match": "exact"}).content.decode()
    assert "没有找到" in html and "去掉筛选条件" in html and "模糊匹配" in html


def test_article_from_a_search_has_neighbours_and_marks(client, indexed_samples):
    data = api(client, q="平湖", page_size=3)
    second = Article.objects.get(pk=data["results"][1]["id"])
    response = client.get(second.get_absolute_url(), {"q": "平湖", "hit": 2})
    html = response.content.decode()
    assert response.status_code == 200
    first = Article.objects.get(pk=data["results"][0]["id"])
    third = Article.objects.get(pk=data["results"][2]["id"])
    assert f'href="{first.get_absolute_url()}?q=' in html and "hit=1" in html
    assert f'href="{third.get_absolute_url()}?q=' in html and "hit=3" in html
    assert "<mark>平湖</mark>" in html


def test_opensearch_description_and_api_are_linked(client, indexed_samples):
    response = client.get(reverse("opensearch"))
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    assert "{searchTerms}" in response.content.decode()


def test_every_page_advertises_the_opensearch_description(client, indexed_samples):
    html = client.get(reverse("home")).content.decode()
    assert f'rel="search" type="application/opensearchdescription+xml"' in html
    assert reverse("opensearch") in html


def test_results_page_and_api_never_touch_the_database(client, indexed_samples, django_assert_num_queries):
    # Everything a result shows is stored in the index: no per-hit (or any) query.
    with django_assert_num_queries(0):
        assert client.get(reverse("search"), {"q": "平湖", "page_size": 50}).status_code == 200
        assert client.get(reverse("api_search"), {"q": "发展", "page_size": 50}).status_code == 200


def test_chart_switches_to_months_within_a_chosen_year(client, indexed_samples):
    data = api(client, q="平湖", year="2023")
    html = client.get(reverse("search"), {"q": "平湖", "year": "2023"}).content.decode()
    assert "2023年各月命中篇数" in html
    for month, n in data["facets"]["month"].items():
        assert f'title="{int(month[5:])}月：{n} 篇"' in html


def test_very_broad_queries_order_headline_matches_then_newest(indexed_samples, monkeypatch):
    from articles.search import ranking

    monkeypatch.setattr(ranking, "SCORE_LIMIT", 3)
    hits = search(SearchRequest(q="平湖", page_size=50), facets=False).hits
    assert len(hits) > 3
    in_headline = [("平湖" in h.kicker + h.title + h.subtitle) for h in hits]
    assert in_headline == sorted(in_headline, reverse=True)
    for flag in (True, False):
        dates = [h.issue_date for h, f in zip(hits, in_headline) if f is flag]
        assert dates == sorted(dates, reverse=True)
