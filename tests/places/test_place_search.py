"""地点: a search field added by one declaration in documents.SEARCH_FIELDS.

An article's places and the towns they lie in are one several-valued,
whole-value field: a prefix (地点:新仓镇), a filter and a facet; a town finds
its villages' articles.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from haystack.inputs import Exact
from haystack.query import SearchQuerySet

from articles.models import Article, Issue, Page, Place, PlaceAlias
from articles.search import sync
from articles.search.documents import articles_for_index, document_for
from articles.search.querylang import FIELDS
from articles.search.service import SearchRequest, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(gazetteer):
    issue = Issue.objects.create(date=date(2024, 3, 5))
    page = Page.objects.create(issue=issue, label="C2", source_name="a.txt", content_hash="a", raw_text="")
    town = Article.objects.create(page=page, position=1, title="新仓镇项目开工", body="新仓的项目总投资一亿元。")
    village = Article.objects.create(page=page, position=2, title="中华村修路", body="中华村的项目今天完工。")
    other = Article.objects.create(page=page, position=3, title="广陈镇项目开工", body="项目在平湖市广陈镇。")
    sync.drain()
    return town, village, other


def ids(q, **options):
    return sorted(hit.id for hit in search(SearchRequest(q=q, **options), facets=False).hits)


def test_a_town_finds_its_villages_and_the_prefix_and_menu_search_it(three):
    town, village, other = three
    assert ids("地点:新仓镇") == [town.pk, village.pk]
    assert ids("地点:中华村") == [village.pk]
    assert ids("项目 -地点:新仓镇") == [other.pk]
    assert FIELDS["place"] == "地点"
    assert ids("广陈镇", field="place") == [other.pk]
    # The city is in every article and in no article's places.
    assert ids("地点:平湖市") == []


def test_an_alias_in_the_query_or_the_filter_means_its_place(three):
    town, village, other = three
    assert PlaceAlias.objects.filter(name="新仓", place__name="新仓镇").exists()  # from the gazetteer
    assert ids("地点:新仓") == ids("地点:新仓镇") == [town.pk, village.pk]
    assert ids("项目 -地点:新仓") == [other.pk]
    assert ids("项目", place="新仓") == [town.pk, village.pk]
    # A name that is neither a place nor an alias matches nothing rather than everything.
    assert ids("地点:新仓中学") == []


def test_places_filter_and_count_by_each_value(three):
    town, village, other = three
    assert sorted(int(r.pk) for r in SearchQuerySet().filter(places=Exact("新仓镇"))) == [town.pk, village.pk]
    counts = dict(SearchQuerySet().filter(content="项目").facet("places").facet_counts()["fields"]["places"])
    assert counts == {"新仓镇": 2, "中华村": 1, "广陈镇": 1}


def test_a_place_moved_by_staff_reaches_search(three, admin_client):
    _, village, _ = three
    place = Place.objects.get(name="中华村")
    data = {"name": place.name, "kind": place.kind, "parent": Place.objects.get(name="林埭镇").pk, "note": "",
            "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0"}
    assert admin_client.post(f"/admin/articles/place/{place.pk}/change/", data).status_code == 302
    sync.drain()
    assert ids("地点:林埭镇") == [village.pk]
    assert village.pk not in ids("地点:新仓镇")


def test_a_new_alias_reaches_search(three, admin_client):
    _, _, other = three
    place = Place.objects.get(name="九龙山")
    assert admin_client.post("/admin/articles/placealias/add/", {"name": "项目在平", "place": place.pk}).status_code == 302
    sync.drain()
    assert PlaceAlias.objects.filter(name="项目在平").exists()
    assert ids("地点:九龙山") == [other.pk]
    assert ids("地点:乍浦镇") == [other.pk]  # 九龙山's town


def test_documents_read_places_in_a_constant_number_of_queries(three):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            [document_for(a) for a in articles_for_index()]
        return len(captured)

    few = queries()
    page = Page.objects.get()
    for n in range(4, 14):
        Article.objects.create(page=page, position=n, title=f"东湖{n}", body="九龙山与中华村、乍浦港")
    assert queries() == few
    doc = document_for(articles_for_index(Article.objects.filter(title="东湖4")).get())
    assert doc["places"].split(",") == ["东湖", "中华村", "乍浦港", "九龙山", "当湖街道", "新仓镇", "乍浦镇"]


def test_the_search_page_counts_places_and_filters_by_one(client, three):
    town, village, other = three
    data = client.get("/api/search", {"q": "项目"}).json()
    assert data["facets"]["place"] == {"新仓镇": 2, "中华村": 1, "广陈镇": 1}
    html = client.get("/search/", {"q": "项目"}).content.decode()
    assert "<h2>地点</h2>" in html and "place=%E6%96%B0%E4%BB%93%E9%95%87" in html
    narrowed = client.get("/api/search", {"q": "项目", "place": "新仓镇"}).json()
    assert sorted(r["id"] for r in narrowed["results"]) == [town.pk, village.pk]
    assert "地点：新仓镇" in client.get("/search/", {"q": "项目", "place": "新仓镇"}).content.decode()
