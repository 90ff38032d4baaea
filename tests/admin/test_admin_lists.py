"""The admin lists staff scan: columns, filters, search, constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Credit, Role

from admin_helpers import person

ARTICLES = reverse("admin:articles_article_changelist")


def titles(response):
    return {article.title for article in response.context["cl"].result_list}


def test_article_list_columns(editor_client, archive):
    html = editor_client.get(ARTICLES).content.decode()
    for text in ("2023-03-10<br>C1版 第1篇", "夯实党建根基", "记者 李雨婷 通讯员 张三", "通讯", "一把手访谈"):
        assert text in html, text


@pytest.mark.parametrize("query, expected", [
    ({"kind": "brief"}, {"简讯一则"}),
    ({"needs_review__exact": "1"}, {"消费券今起发放"}),
    ({"date_source": "estimated"}, {"消费券今起发放"}),
    ({"credited": "no"}, {"简讯一则"}),
    ({"column": "一把手访谈"}, {"夯实党建根基"}),
    ({"q": "铁军"}, {"夯实党建根基"}),  # body
    ({"q": "王强"}, {"消费券今起发放"}),  # credited name
    ({"page__issue__date__year": "2023", "page__issue__date__month": "8"}, {"消费券今起发放"}),
])
def test_article_filters_and_search(editor_client, archive, query, expected):
    response = editor_client.get(ARTICLES, query)
    assert response.status_code == 200
    assert titles(response) == expected


def test_person_filter_from_the_people_list(editor_client, archive):
    zhang = person("张三")
    people_html = editor_client.get(reverse("admin:articles_person_changelist")).content.decode()
    assert f"?person={zhang.pk}" in people_html
    assert titles(editor_client.get(ARTICLES, {"person": zhang.pk})) == {"夯实党建根基"}


def test_page_list_filters(editor_client, archive):
    url = reverse("admin:articles_page_changelist")
    estimated = editor_client.get(url, {"date_source": "estimated"}).context["cl"].result_list
    assert [p.source_name for p in estimated] == ["flagged.txt"]
    found = editor_client.get(url, {"q": "消费券"}).context["cl"].result_list
    assert [p.source_name for p in found] == ["flagged.txt"]


def test_people_and_credit_lists(editor_client, archive):
    people = editor_client.get(reverse("admin:articles_person_changelist"), {"q": "李雨"})
    assert [p.name for p in people.context["cl"].result_list] == ["李雨婷"]
    credits = editor_client.get(reverse("admin:articles_credit_changelist"), {"role": "correspondent"})
    assert [c.person.name for c in credits.context["cl"].result_list] == ["张三"]


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", [
    ARTICLES, reverse("admin:articles_page_changelist"), reverse("admin:articles_person_changelist"),
    reverse("admin:articles_credit_changelist"), reverse("admin:articles_review_queue"),
])
def test_list_query_count_does_not_grow_with_rows(editor_client, archive, url):
    before = _queries(editor_client, url)
    page = archive["flagged"]
    for n in range(2, 32):
        article = Article.objects.create(page=page, position=n, title=f"文章{n}", needs_review=True,
                                         review_reasons=["测试"])
        Credit.objects.create(article=article, person=person(f"记者{n}"), role=Role.REPORTER)
    assert _queries(editor_client, url) == before


def test_date_drill_down_comes_from_issues(editor_client, archive):
    years = editor_client.get(ARTICLES).content.decode()
    assert "page__issue__date__year=2023" in years
    months = editor_client.get(ARTICLES, {"page__issue__date__year": "2023"})
    html = months.content.decode()
    assert "page__issue__date__month=3" in html and "page__issue__date__month=8" in html
    assert titles(months) == {"夯实党建根基", "简讯一则", "消费券今起发放"}
    days = editor_client.get(ARTICLES, {"page__issue__date__year": "2023", "page__issue__date__month": "3"})
    assert "page__issue__date__day=10" in days.content.decode()
    assert titles(days) == {"夯实党建根基", "简讯一则"}
