"""Everything printed with an article is found: bylines and datelines as printed, the page's staff."""

import pytest

from articles.models import Article
from articles.search.service import SearchRequest, search


def found(q):
    return {hit.id for hit in search(SearchRequest(q=q), facets=False, window=(0, 100), snippets=False).hits}


@pytest.mark.django_db
def test_a_byline_and_a_dateline_as_printed_are_found(indexed_samples):
    printed = [a for a in indexed_samples if "李雨婷" in a.byline]
    assert printed
    for q in ("记者 李雨婷", "记者李雨婷"):
        assert {a.pk for a in printed if "记者" in a.byline.replace(" ", "")} <= found(q), q
    with_dateline = {a.pk for a in indexed_samples if a.dateline == "本报讯"}
    assert with_dateline and with_dateline <= found('"本报讯"')


@pytest.mark.django_db
def test_a_page_editor_finds_the_articles_of_her_pages(indexed_samples):
    edited = {a.pk for a in Article.objects.filter(page__editor="戴琰")}
    assert edited
    assert found("戴琰") == edited
    assert found("编辑 戴琰") == edited
