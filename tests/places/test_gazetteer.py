"""The gazetteer file and its loading: every town of today, former names, no overwrite of staff edits."""

import pytest
from django.core.management import CommandError, call_command

from articles.models import Place, PlaceAlias
from articles.places import gazetteer

pytestmark = pytest.mark.django_db

TOWNS = {"当湖街道", "钟埭街道", "曹桥街道", "乍浦镇", "新埭镇", "新仓镇", "广陈镇", "林埭镇", "独山港镇"}


def test_the_file_holds_the_nine_towns_and_the_papers_places():
    entries = {e["name"]: e for e in gazetteer.read()}
    assert {n for n, e in entries.items() if e["kind"] in ("town", "subdistrict")} == TOWNS
    for name in ("平湖经济技术开发区", "独山港经济开发区", "东湖", "九龙山", "乍浦港"):
        assert entries[name]["parent"]
    assert entries["黄姑镇"]["parent"] == "独山港镇" and entries["全塘镇"]["parent"] == "独山港镇"
    assert set(entries) >= TOWNS


def test_loading_twice_adds_nothing_and_keeps_staff_edits():
    places, aliases = gazetteer.load()
    assert "新仓镇" in places and "新仓" in aliases
    assert set(Place.objects.filter(kind__in=["town", "subdistrict"]).values_list("name", flat=True)) == TOWNS
    assert PlaceAlias.objects.get(name="独山港").place.name == "独山港镇"
    assert Place.objects.get(name="泗泾村").parent.name == "广陈镇"
    village = Place.objects.get(name="泗泾村")
    village.parent = Place.objects.get(name="新埭镇")
    village.save()
    assert gazetteer.load() == ([], [])
    assert Place.objects.get(name="泗泾村").parent.name == "新埭镇"


@pytest.mark.parametrize("content, problem", [
    ('{"places": [{"name": "甲镇", "kind": "town", "parent": "乙市"}]}', "parent “乙市”"),
    ('{"places": [{"name": "甲镇", "kind": "town", "aliases": ["甲镇"]}]}', "named twice"),
    ("not json", "cannot read"),
])
def test_a_bad_file_is_refused_by_name_and_nothing_is_loaded(tmp_path, content, problem):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=problem) as error:
        call_command("load_gazetteer", "--file", str(path))
    assert "bad.json" in str(error.value)
    assert not Place.objects.exists()


def test_a_place_cannot_be_its_own_ancestor():
    from django.core.exceptions import ValidationError

    gazetteer.load()
    town = Place.objects.get(name="新仓镇")
    town.parent = Place.objects.get(name="中华村")
    with pytest.raises(ValidationError):
        town.full_clean()


def test_loading_after_an_import_finds_places_in_articles_already_there(imported_samples):
    from io import StringIO

    from articles.models import ArticlePlace

    assert not ArticlePlace.objects.exists()
    out = StringIO()
    call_command("load_gazetteer", stdout=out)
    assert ArticlePlace.objects.filter(place__name="新仓镇").exists()
    before = set(ArticlePlace.objects.values_list("article_id", "place_id", "mentions"))
    out = StringIO()
    call_command("load_gazetteer", stdout=out)
    assert "地点 0 个、别名 0 个已加入；0 篇" in out.getvalue()
    assert set(ArticlePlace.objects.values_list("article_id", "place_id", "mentions")) == before


def test_every_village_and_community_lies_in_a_town_of_today():
    entries = {e["name"]: e for e in gazetteer.read()}
    local = [e for e in entries.values() if e["kind"] in ("village", "community")]
    assert all(e["parent"] in TOWNS for e in local)
    zhapu = {e["name"] for e in local if e["parent"] == "乍浦镇"}
    assert len(zhapu) == 22 and {"天妃社区", "雅山社区", "雅山村", "染店桥村"} <= zhapu
    # Their bare names are bridges and hills too (docs/places.md): no short forms.
    assert not any(e.get("aliases") for e in local if e["parent"] == "乍浦镇")


def test_a_newer_file_adds_only_the_missing_villages_and_finds_them_in_old_articles(tmp_path):
    import json
    from datetime import date
    from io import StringIO

    from articles.models import Article, Issue, Page

    entries = gazetteer.read()
    older = tmp_path / "older.json"
    older.write_text(json.dumps({"places": [e for e in entries if e["name"] != "雅山村"]}, ensure_ascii=False),
                     encoding="utf-8")
    call_command("load_gazetteer", "--file", str(older), stdout=StringIO())
    town = Place.objects.get(name="天妃社区")
    town.note = "staff wrote this"
    town.save()
    page = Page.objects.create(issue=Issue.objects.create(date=date(2024, 6, 3)), label="A2", source_name="a2.txt",
                               content_hash="a2", raw_text="")
    article = Article.objects.create(page=page, position=1, title="雅山村的新路", body="雅山村和雅山社区都通了公交。")
    assert set(article.article_places.values_list("place__name", flat=True)) == {"雅山社区"}

    out = StringIO()
    call_command("load_gazetteer", stdout=out)
    assert "地点 1 个、别名 0 个已加入；1 篇" in out.getvalue()
    assert Place.objects.get(name="雅山村").parent.name == "乍浦镇"
    assert Place.objects.get(name="天妃社区").note == "staff wrote this"
    assert dict(article.article_places.values_list("place__name", "mentions")) == {"雅山村": 2, "雅山社区": 1}
