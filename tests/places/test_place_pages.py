"""Place pages, the places index, their JSON twins and feeds; places on search results and article pages."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Credit, Issue, Page, Person, Place, Role
from articles.search import sync

pytestmark = pytest.mark.django_db


def article(day, label, position, title, body, *people):
    issue = Issue.objects.get_or_create(date=day)[0]
    page = Page.objects.get_or_create(issue=issue, label=label, defaults={
        "source_name": f"{day}-{label}.txt", "content_hash": f"{day}{label}", "raw_text": ""})[0]
    found = Article.objects.create(page=page, position=position, title=title, body=body)
    for order, name in enumerate(people, start=1):
        Credit.objects.create(article=found, person=Person.objects.get_or_create(name=name)[0],
                              role=Role.REPORTER, order=order)
    found.save()  # again, with its credits: as the import re-finds places once credits are written
    return found


@pytest.fixture
def archive(gazetteer):
    made = {
        "town_2023": article(date(2023, 5, 2), "C1", 1, "新仓镇农业丰收", "新仓的蔬菜今年丰收。", "林旭东"),
        "village_2024": article(date(2024, 1, 5), "C2", 1, "中华村新建公园", "中华村公园开放。", "林旭东", "胡佳英"),
        "village_2024b": article(date(2024, 1, 5), "C2", 2, "芦湾村修桥完工", "芦湾村和中华村之间的桥完工。", "胡佳英"),
        "elsewhere": article(date(2024, 2, 1), "C1", 1, "九龙山春游", "游客来到九龙山。", "张宇青"),
    }
    sync.drain()
    return made


def test_a_town_page_holds_its_villages_articles_by_year_and_its_people(client, archive):
    town = Place.objects.get(name="新仓镇")
    html = client.get(f"/place/{town.pk}/").content.decode()
    context = client.get(f"/api/place/{town.pk}.json").json()
    assert context["total"] == 3 and context["place"]["name"] == "新仓镇"
    assert [row["year"] for row in context["per_year"]] == [2024, 2023]
    assert [row["count"] for row in context["per_year"]] == [2, 1]
    assert [(b["label"], b["count"]) for b in context["chart"]["bars"]] == [("2023年", 1), ("2024年", 2)]
    assert [a["title"] for a in context["articles"]] == ["中华村新建公园", "芦湾村修桥完工", "新仓镇农业丰收"]
    assert [(p["name"], p["count"]) for p in context["people"]] == [("林旭东", 2), ("胡佳英", 2)]
    children = {c["name"]: c["article_count"] for c in context["children"]}
    assert children["中华村"] == 2 and children["芦湾村"] == 1 and children["友联村"] == 0
    assert context["parent"]["name"] == "平湖市"
    assert "中华村新建公园" in html and "九龙山春游" not in html and 'class="search-chart"' in html
    assert f'href="/place/{town.pk}/feed.atom"' in html


def test_a_village_page_names_its_town_and_a_year_narrows(client, archive):
    village = Place.objects.get(name="中华村")
    context = client.get(f"/api/place/{village.pk}.json", {"year": "2024"}).json()
    assert context["parent"]["name"] == "新仓镇" and context["year"] == 2024
    assert [a["title"] for a in context["articles"]] == ["中华村新建公园", "芦湾村修桥完工"]
    assert client.get(f"/place/{village.pk}/", {"year": "2019"}).status_code == 404


def test_the_feed_lists_the_places_articles(client, archive):
    town = Place.objects.get(name="新仓镇")
    feed = client.get(f"/place/{town.pk}/feed.atom").content.decode()
    assert feed.count("<entry>") == 3 and "中华村新建公园" in feed and "九龙山春游" not in feed


def test_the_index_groups_by_town_with_counts(client, archive):
    data = client.get("/api/places.json").json()
    towns = {g["town"]["name"]: g for g in data["towns"]}
    assert set(towns) == {"当湖街道", "钟埭街道", "曹桥街道", "乍浦镇", "新埭镇", "新仓镇", "广陈镇", "林埭镇", "独山港镇"}
    assert towns["新仓镇"]["town"]["article_count"] == 3
    assert towns["乍浦镇"]["town"]["article_count"] == 1
    assert {p["name"]: p["article_count"] for p in towns["新仓镇"]["places"]}["中华村"] == 2
    assert "新仓镇" in client.get("/places/").content.decode()


def test_pages_cost_a_fixed_number_of_queries(client, archive):
    town = Place.objects.get(name="新仓镇")

    def queries(path):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    few = (queries(f"/place/{town.pk}/?year=all"), queries("/places/"))
    for n in range(3, 12):
        article(date(2024, 3, n), "C1", 1, f"友联村新闻{n}", "友联村与芦湾村", f"记者{n}")
    from django.core.cache import cache

    cache.clear()
    assert (queries(f"/place/{town.pk}/?year=all"), queries("/places/")) == few


def test_a_name_or_alias_leads_to_its_place(client, archive):
    town = Place.objects.get(name="新仓镇")
    assert client.get("/place/name/新仓/")["Location"] == f"/place/{town.pk}/"
    assert client.get("/place/name/火星/").status_code == 404


def test_results_and_the_article_page_show_places(client, archive):
    found = client.get("/api/search", {"q": "公园"}).json()["results"]
    assert [p["name"] for p in found[0]["places"]] == ["中华村", "新仓镇"]
    html = client.get("/search/", {"q": "公园"}).content.decode()
    assert 'class="hit-places"' in html and "/place/name/%E4%B8%AD%E5%8D%8E%E6%9D%91/" in html
    page = client.get(archive["village_2024b"].get_absolute_url()).content.decode()
    village = Place.objects.get(name="芦湾村")
    assert f'<a href="/place/{village.pk}/">芦湾村</a>' in page
    data = client.get(archive["village_2024b"].get_absolute_url().replace("/20", "/api/20", 1).rstrip("/") + ".json")
    assert [(p["name"], p["mentions"]) for p in data.json()["places"]] == [("芦湾村", 2), ("中华村", 1)]
