"""Building index documents never loads a page's raw text, once or once per article."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.search.documents import articles_for_index, document_for
from articles.search_indexes import ArticleIndex

pytestmark = pytest.mark.django_db


def test_documents_are_built_without_the_pages_raw_text(imported_samples):
    with CaptureQueriesContext(connection) as queries:
        docs = [document_for(article) for article in articles_for_index(Article.objects.order_by("pk"))]
    assert len(docs) == Article.objects.count() > 0
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "raw_text" not in sql and "leftover_text" not in sql
    # Articles with their pages and issues; credits with people; places with their towns.
    assert len(queries.captured_queries) == 3
    # The documents still carry what search needs from the page and issue.
    first = Article.objects.select_related("page__issue").order_by("pk").first()
    assert docs[0]["page"] == first.page.label and docs[0]["url"] == first.get_absolute_url()


def test_haystack_rebuild_queryset_defers_the_raw_text_too(imported_samples):
    sql = str(ArticleIndex().index_queryset().query)
    assert "raw_text" not in sql


def test_haystack_prepares_any_article_as_the_index_loads_it(imported_samples):
    # haystack may hand full_prepare an Article read any way at all; it must
    # get the same document as the build's prefetched rows give.
    loaded = {a.pk: document_for(a) for a in articles_for_index(Article.objects.all())}
    credited = next(a for a in Article.objects.order_by("pk") if a.credits.exists())
    for article in (credited, Article.objects.order_by("-pk").first()):
        assert ArticleIndex().full_prepare(Article.objects.get(pk=article.pk)) == loaded[article.pk]
    assert loaded[credited.pk]["people"]
