"""版名 (a page's section name): a search field added by one declaration in documents.SEARCH_FIELDS.

The declaration alone makes it a literal group (any substring), a whole-value
filter and facet, a query prefix and an entry of the search form's field menu.
"""

from datetime import date

import pytest
from django.urls import reverse
from haystack.inputs import Exact
from haystack.query import SearchQuerySet

from articles.models import Article, Issue, Page
from articles.search import sync
from articles.search.querylang import FIELDS
from articles.search.service import SearchRequest, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sections():
    issue = Issue.objects.create(date=date(2024, 3, 5))
    economy = Page.objects.create(issue=issue, label="C2", section="经济创新·深度", source_name="a.txt",
                                  content_hash="a", raw_text="")
    towns = Page.objects.create(issue=issue, label="C3", section="镇街动态", source_name="b.txt",
                                content_hash="b", raw_text="")
    first = Article.objects.create(page=economy, position=1, title="园区新项目开工", body="项目总投资十亿元。")
    second = Article.objects.create(page=towns, position=1, title="新仓镇新项目开工", body="项目总投资一亿元。")
    sync.drain()
    return first, second


def ids(q, **options):
    return [hit.id for hit in search(SearchRequest(q=q, **options), facets=False).hits]


def test_a_prefix_and_the_field_menu_search_the_section(two_sections):
    first, second = two_sections
    assert ids("版名:创新") == [first.pk]
    assert ids("版名:镇街 项目") == [second.pk]
    assert ids("项目 -版名:镇街动态") == [first.pk]
    assert FIELDS["section"] == "版名"
    assert ids("深度", field="section") == [first.pk]
    # The menu entry is on the search form.
    assert '<option value="section"' in _page("项目")


def test_the_section_filters_and_counts_by_whole_value(two_sections):
    first, second = two_sections
    assert [int(r.pk) for r in SearchQuerySet().filter(section=Exact("镇街动态"))] == [second.pk]
    counts = dict(SearchQuerySet().filter(content="项目").facet("section").facet_counts()["fields"]["section"])
    assert counts == {"经济创新·深度": 1, "镇街动态": 1}


def test_a_corrected_section_reaches_search(two_sections):
    first, _ = two_sections
    page = first.page
    page.section = "园区发展"
    page.save()
    sync.drain()
    assert ids("版名:园区") == [first.pk] and ids("版名:创新") == []


def _page(q):
    from django.test import Client

    return Client().get(reverse("search"), {"q": q}).content.decode()
