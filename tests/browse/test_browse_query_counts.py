"""Every reader page costs the same number of queries for few or many rows."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from sample_archive import credit, make_page

from articles.models import Article, Issue, Person, Role

# A ceiling as well as equality: constant but wasteful would also be a bug.
# 9: the article page also reads its places (one prefetch with each place).
MAX_QUERIES = 9


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture
def small_and_large(db):
    small = Issue.objects.create(date=date(2023, 1, 3))
    small_page = make_page(small, "1", n_articles=2)
    # One of each relation on the small side too: Django skips a prefetch
    # query when there is nothing to prefetch for, which is zero, not growth.
    small_sidebar = small_page.articles.get(position=2)
    small_sidebar.parent = small_page.articles.get(position=1)
    small_sidebar.save()
    large = Issue.objects.create(date=date(2023, 1, 4))
    large_pages = [make_page(large, str(n), n_articles=12) for n in range(1, 9)]
    big = large_pages[0].articles.get(position=1)
    for n in range(2, 12):
        sidebar = large_pages[0].articles.get(position=n)
        sidebar.parent = big
        sidebar.save()
        credit(big, f"作者{n}", Role.AUTHOR, order=n)
    lone = Person.objects.create(name="孤篇")
    credit(small_page.articles.get(position=1), lone.name, Role.AUTHOR)
    prolific = Person.objects.get(name="记者1")  # credited on a dozen articles
    return {"small": small, "large": large, "small_page": small_page, "large_page": large_pages[0],
            "small_article": small_page.articles.get(position=1), "big_article": big, "lone": lone, "prolific": prolific}


def assert_constant(client, few_url, many_url):
    few, many = queries_for(client, few_url), queries_for(client, many_url)
    assert few == many, f"{few_url}: {few} queries, {many_url}: {many}"
    assert many <= MAX_QUERIES


def test_issue_page_queries_do_not_grow(client, small_and_large):
    assert_constant(client, small_and_large["small"].get_absolute_url(), small_and_large["large"].get_absolute_url())


def test_page_view_queries_do_not_grow(client, small_and_large):
    assert_constant(client, small_and_large["small_page"].get_absolute_url(),
                    small_and_large["large_page"].get_absolute_url())


def test_article_view_queries_do_not_grow(client, small_and_large):
    assert_constant(client, small_and_large["small_article"].get_absolute_url(),
                    small_and_large["big_article"].get_absolute_url())


def test_person_view_queries_do_not_grow(client, small_and_large):
    assert small_and_large["prolific"].credits.count() >= 12
    assert_constant(client, small_and_large["lone"].get_absolute_url(), small_and_large["prolific"].get_absolute_url())


def test_json_views_queries_do_not_grow(client, small_and_large):
    s, l = small_and_large["small"], small_and_large["large"]
    assert_constant(client, f"/api/{s.date}.json", f"/api/{l.date}.json")
    assert_constant(client, f"/api/{s.date}/1.json", f"/api/{l.date}/1.json")
    assert_constant(client, f"/api/{s.date}/1/1.json", f"/api/{l.date}/1/1.json")
    assert_constant(client, f"/api/person/{small_and_large['lone'].pk}.json",
                    f"/api/person/{small_and_large['prolific'].pk}.json")


def test_home_and_calendar_queries_do_not_grow(client, small_and_large):
    few = {url: queries_for(client, url) for url in ("/", "/calendar/", "/calendar/2023/", "/people/", "/feed/issues.atom")}
    for n in range(5, 25):
        make_page(Issue.objects.create(date=date(2023, 1, n)), "1", n_articles=3)
    Issue.objects.create(date=date(2023 - 1, 11, 23))
    many = {url: queries_for(client, url) for url in few}
    assert few == many
    assert max(many.values()) <= MAX_QUERIES
    assert Article.objects.count() > 100
