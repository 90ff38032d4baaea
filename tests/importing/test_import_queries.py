"""A new page is stored in a fixed number of queries, however many articles it holds.

Its articles, their credits, places and index tasks are each inserted in
one statement (importer._create_articles), so a 100,000-article import
pays per page, not per article.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.importing.importer import ImportOptions, ImportRun
from articles.models import Article, ArticlePlace, Credit, IndexTask, Page, Place, PlaceKind
from import_helpers import batch


def page_of(count, day):
    articles = "\n".join(
        f"## 新埭镇第{day}号工程第{n}段完工\n\n■记者 林旭东\n\n本报讯 新埭镇第{day}号工程第{n}段昨天完工，"
        f"沿线村民出行更方便了。\n"
        for n in range(1, count + 1))
    return articles


def stored_in(tmp_path, count, day):
    folder = batch(tmp_path / f"d{day}", {f"page{day}.txt": page_of(count, day)})
    run = ImportRun(ImportOptions(date=datetime.date(2024, 1, day), page="3", keep_copy=False))
    with CaptureQueriesContext(connection) as queries:
        result = run.import_file(folder / f"page{day}.txt", folder)
    assert result.status == "new", result.reason
    assert result.articles_total == count
    return len(queries)


@pytest.mark.django_db(transaction=True)
def test_a_new_page_costs_the_same_queries_for_two_articles_or_eight(tmp_path):
    Place.objects.create(name="新埭镇", kind=PlaceKind.TOWN)
    stored_in(tmp_path, 1, 1)  # the reporter and the first page exist from here on
    two, eight = stored_in(tmp_path, 2, 2), stored_in(tmp_path, 8, 3)
    assert two == eight

    page = Page.objects.get(source_name="page3.txt")
    articles = list(page.articles.order_by("position"))
    assert [a.position for a in articles] == list(range(1, 9))
    assert all(a.title.startswith("新埭镇第3号工程") for a in articles)
    credits = Credit.objects.filter(article__page=page)
    assert credits.count() == 8 and {c.person.name for c in credits} == {"林旭东"}
    assert ArticlePlace.objects.filter(article__page=page, place__name="新埭镇").count() == 8
    ids = [a.pk for a in articles]
    assert sorted(IndexTask.objects.filter(article_id__in=ids).values_list("article_id", flat=True)) == ids
    assert Article.objects.count() == 11
