"""The gazetteer staff keep travels with the archive export (format 2), and articles find their places again."""

from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import (
    Article, ArticlePlace, ChangeRecord, Credit, IndexTask, Issue, Page, Person, PersonAlias, Place, PlaceAlias,
)
from articles.places.mentions import gazetteer_changed

pytestmark = pytest.mark.django_db


def export():
    out = StringIO()
    call_command("export_articles", "--format", "2", stdout=out)
    return out.getvalue()


def links():
    return set(ArticlePlace.objects.values_list("article_id", "place__name", "mentions"))


def test_staff_places_survive_export_and_import(tmp_path, gazetteer, imported_samples):
    village = Place.objects.create(name="白马堰村", kind="village", parent=Place.objects.get(name="新埭镇"))
    PlaceAlias.objects.get(name="新仓").delete()
    gazetteer_changed(names=["新仓"])
    # Only the printed full name 新仓镇 counts now.
    assert ArticlePlace.objects.get(article__title="精准帮扶助企拔节生长", place__name="新仓镇").mentions == 2
    before_links, text = links(), export()
    assert '"kind": "places"' in text

    for model in (ChangeRecord, Credit, Article, Page, Issue, PersonAlias, Person, IndexTask):
        model.objects.all().delete()
    Place.objects.update(parent=None)
    Place.objects.all().delete()
    call_command("load_gazetteer", stdout=StringIO())  # what bin/run puts in a new archive
    assert PlaceAlias.objects.filter(name="新仓").exists()

    path = tmp_path / "archive.jsonl"
    path.write_text(text, encoding="utf-8")
    call_command("import_archive", str(path), stdout=StringIO())
    assert Place.objects.get(pk=village.pk).parent.name == "新埭镇"
    assert not PlaceAlias.objects.filter(name="新仓").exists()
    assert links() == before_links
    assert export() == text
