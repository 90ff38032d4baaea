"""/api/articles.json: the whole archive a page at a time, by cursor, under the operator's rate cap."""

import pytest

from articles.models import Article


@pytest.fixture(autouse=True)
def own_rate_cache(settings):
    settings.CACHES = {**settings.CACHES, "api_rate": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api-rate-tests"}}
    settings.PHNEWS_API_RATE_PER_MINUTE = 0


def walk(client, url):
    pages = []
    while url:
        data = client.get(url).json()
        pages.append(data)
        url = data["next"]
    return pages


def test_next_links_walk_every_article_once_in_id_order(client, imported_samples):
    pages = walk(client, "/api/articles.json?page_size=5")
    ids = [a["id"] for page in pages for a in page["results"]]
    assert ids == sorted(Article.objects.values_list("pk", flat=True))
    assert len(ids) == 28 and len(pages) == 6
    assert pages[0]["previous"] is None and pages[-1]["next"] is None
    assert all(page["count"] == 28 for page in pages)
    first = pages[0]["results"][0]
    article = Article.objects.select_related("page__issue").get(pk=first["id"])
    # Complete records: the text, the credits and where it was printed.
    assert first["title"] == article.title and first["body"] == article.body
    assert first["date"] == article.page.issue.date.isoformat() and first["page"] == article.page.label
    assert [c["name"] for c in first["credits"]] == [c.person.name for c in article.credits.order_by("order", "id")]
    # Previous goes back to exactly the page before.
    back = client.get(pages[2]["previous"]).json()
    assert [a["id"] for a in back["results"]] == [a["id"] for a in pages[1]["results"]]


def test_a_walk_neither_skips_nor_repeats_while_the_archive_changes(client, imported_samples):
    first = client.get("/api/articles.json?page_size=7").json()
    seen = [a["id"] for a in first["results"]]
    # Staff delete an article already read and one not yet read; an import adds one.
    remaining = list(Article.objects.exclude(pk__in=seen).order_by("pk"))
    Article.objects.filter(pk__in=[seen[0], remaining[3].pk]).delete()
    added = Article.objects.create(page=remaining[0].page, position=99, title="新加的文章")
    for page in walk(client, first["next"]):
        seen += [a["id"] for a in page["results"]]
    expected = [a.pk for a in remaining if a.pk != remaining[3].pk] + [added.pk]
    assert seen[7:] == expected
    assert len(seen) == len(set(seen))


def test_query_count_does_not_grow_with_the_page(client, imported_samples, django_assert_num_queries):
    with django_assert_num_queries(5):
        client.get("/api/articles.json?page_size=2")
    with django_assert_num_queries(5):
        client.get("/api/articles.json?page_size=20")


@pytest.mark.parametrize("query", ["page_size=0", "page_size=x", "after=-1", "after=1&before=9", "before=²"])
def test_bad_parameters_are_a_400_in_chinese(client, db, query):
    response = client.get(f"/api/articles.json?{query}")
    assert response.status_code == 400
    assert response.json()["status"] == 400


def test_page_size_is_held_to_the_operator_s_largest(client, imported_samples, settings):
    settings.PHNEWS_API_MAX_PAGE_SIZE = 4
    data = client.get("/api/articles.json?page_size=50").json()
    assert data["page_size"] == 4 and len(data["results"]) == 4
    assert "page_size=4" in data["next"]


def test_the_operator_s_rate_cap_answers_429_per_client(client, db, settings):
    settings.PHNEWS_API_RATE_PER_MINUTE = 3
    for _ in range(3):
        assert client.get("/api/articles.json", REMOTE_ADDR="10.0.0.1").status_code == 200
    refused = client.get("/api/articles.json", REMOTE_ADDR="10.0.0.1")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "每分钟至多 3 次" in refused.json()["error"]
    assert client.get("/api/articles.json", REMOTE_ADDR="10.0.0.2").status_code == 200
