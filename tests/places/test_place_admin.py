"""Editors curate the gazetteer in the admin: add a place, add or drop an alias, merge; articles follow at once."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType

from articles.admin.groups import EDITORS, ensure_groups
from articles.models import Article, ChangeRecord, Issue, Page, Place, PlaceAlias
from articles.search import sync

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, gazetteer):
    user = User.objects.create_user("editor", password="x", is_staff=True)
    user.groups.add(ensure_groups()[EDITORS])
    client.force_login(user)
    return client


@pytest.fixture
def story(gazetteer):
    issue = Issue.objects.create(date=date(2024, 4, 1))
    page = Page.objects.create(issue=issue, label="C3", source_name="c3.txt", content_hash="c3", raw_text="")
    found = Article.objects.create(page=page, position=1, title="白马堰村的春天", body="白马堰村在新埭。白马堰的油菜花开了。")
    sync.drain()
    return found


def places_of(article):
    return dict(article.article_places.values_list("place__name", "mentions"))


def search(q):
    from articles.search.service import SearchRequest
    from articles.search.service import search as run

    return [hit.id for hit in run(SearchRequest(q=q), facets=False).hits]


def test_an_editor_adds_a_village_and_its_short_name(editor_client, story):
    assert places_of(story) == {"新埭镇": 1}
    town = Place.objects.get(name="新埭镇")
    response = editor_client.post("/admin/articles/place/add/", {
        "name": "白马堰村", "kind": "village", "parent": town.pk, "note": "",
        "aliases-TOTAL_FORMS": "1", "aliases-INITIAL_FORMS": "0", "aliases-0-name": "白马堰"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert places_of(story) == {"新埭镇": 1, "白马堰村": 3}
    sync.drain()
    assert search("地点:白马堰村") == [story.pk] and search("地点:新埭镇") == [story.pk]
    place = Place.objects.get(name="白马堰村")
    assert ChangeRecord.objects.filter(content_type=ContentType.objects.get_for_model(Place),
                                       object_id=str(place.pk)).exists()


def test_dropping_an_alias_drops_its_mentions(editor_client, story):
    alias = PlaceAlias.objects.get(name="新埭")
    response = editor_client.post(f"/admin/articles/placealias/{alias.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert places_of(story) == {}
    sync.drain()
    assert search("地点:新埭镇") == []


def test_merging_places_in_the_admin(editor_client, story):
    village = Place.objects.create(name="白马堰村", kind="village", parent=Place.objects.get(name="新埭镇"))
    short = Place.objects.create(name="白马堰", kind="village")
    story.save()
    assert places_of(story) == {"新埭镇": 1, "白马堰村": 2, "白马堰": 1}
    chosen = {"action": "merge_selected", "_selected_action": [village.pk, short.pk]}
    confirm = editor_client.post("/admin/articles/place/", chosen)
    assert confirm.status_code == 200 and "合并地点" in confirm.content.decode()
    assert Place.objects.filter(name="白马堰").exists()  # nothing merged before staff choose
    response = editor_client.post("/admin/articles/place/", {**chosen, "merge": "1", "winner": village.pk})
    assert response.status_code == 302
    assert not Place.objects.filter(name="白马堰").exists()
    assert PlaceAlias.objects.get(name="白马堰").place == Place.objects.get(name="白马堰村")
    assert places_of(story) == {"新埭镇": 1, "白马堰村": 3}
    sync.drain()
    assert search("地点:白马堰村") == [story.pk]
