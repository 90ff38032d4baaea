"""Cached reader pages: served from the cache until the archive changes."""

import os

import pytest
from django.core.cache import cache as default_cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.browse import cache as page_cache
from articles.models import Article, Person


@pytest.fixture
def caching(settings, tmp_path):
    settings.PHNEWS_PAGE_CACHE_SECONDS = 60
    settings.VAR_DIR = tmp_path
    default_cache.clear()
    yield
    default_cache.clear()


def get(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries)


def test_second_request_is_served_without_queries(client, archive, caching):
    first, n_first = get(client, "/2023-03-10/C1/1/")
    second, n_second = get(client, "/2023-03-10/C1/1/")
    assert n_first > 0 and n_second == 0
    assert second["X-Page-Cache"] == "hit" and second.content == first.content


def test_an_edit_is_seen_at_once(client, archive, caching, django_capture_on_commit_callbacks):
    get(client, "/2023-03-10/C1/1/")
    with django_capture_on_commit_callbacks(execute=True):
        article = Article.objects.get(pk=archive["main"].pk)
        article.title = "改过的标题"
        article.save()
    response, queries = get(client, "/2023-03-10/C1/1/")
    assert queries > 0 and "改过的标题" in response.content.decode()


def test_another_process_commit_is_seen_through_the_version_file(client, archive, caching):
    get(client, "/people/")
    Person.objects.filter(name="林旭东").update(name="林旭冬")  # no signal here
    assert get(client, "/people/")[1] == 0  # still the cached page...
    version = page_cache._version_file()
    version.touch()
    os.utime(version, ns=(1, 10**18))  # ...until another process marks a commit
    response, queries = get(client, "/people/")
    assert queries > 0 and "林旭冬" in response.content.decode()


def test_staff_and_query_strings_bypass_the_cache(client, archive, caching):
    get(client, "/2023-03-10/")
    assert get(client, "/2023-03-10/", HTTP_COOKIE="sessionid=abc")[1] > 0
    get(client, "/2024-01-05/1/1/?q=实干")
    assert get(client, "/2024-01-05/1/1/?q=实干")[1] > 0


def test_cache_is_off_by_default_in_development(client, archive):
    get(client, "/2023-03-10/")
    assert get(client, "/2023-03-10/")[1] > 0


def test_sitemap_pages_are_served_from_the_cache_until_the_archive_changes(
        client, archive, caching, django_capture_on_commit_callbacks):
    for url in ("/sitemap.xml", "/sitemap-articles.xml", "/sitemap-articles.xml?p=1", "/api/issues.json?year=2023",
                "/feed/issues.atom"):
        first, n_first = get(client, url)
        second, n_second = get(client, url)
        assert n_first > 0 and n_second == 0, url
        assert second["X-Page-Cache"] == "hit" and second.content == first.content, url
        assert second["Content-Type"] == first["Content-Type"], url
    assert get(client, "/sitemap-articles.xml")[0].get("X-Robots-Tag") == "noindex, noodp, noarchive"
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(pk=archive["main"].pk).delete()
    response, queries = get(client, "/sitemap-articles.xml")
    assert queries > 0 and "/2023-03-10/C1/1/" not in response.content.decode()
