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
