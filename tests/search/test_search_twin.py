"""The results page and /api/search are one twin: both render what one context function returns."""

import html as html_lib
import inspect
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache as default_cache
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils.safestring import mark_safe

from articles.browse import twin
from articles.search.web import presenters, views

pytestmark = pytest.mark.django_db


def hit_lines(html):
    """(href, title text, date) of each result line, in order."""
    lines = re.findall(r'<li class="search-hit">(.*?)</li>', html, re.S)
    found = []
    for line in lines:
        href, title = re.search(r'<h2 class="hit-title"><a href="([^"]*)">(.*?)</a></h2>', line).groups()
        date = re.search(r'<time datetime="([^"]*)">', line)
        found.append((html_lib.unescape(href), re.sub(r"<[^>]+>", "", title), date.group(1) if date else None))
    return found


def test_page_names_its_json_twin_which_carries_the_same_context(client, indexed_samples):
    response = client.get(reverse("search"), {"q": "平湖", "page_size": 5, "page": 2})
    assert response.status_code == 200
    page = response.content.decode()
    json_url = response.context["json_url"]
    assert json_url.startswith(reverse("api_search") + "?")
    escaped = json_url.replace("&", "&amp;")
    assert f'<link rel="alternate" type="application/json" href="{escaped}">' in page
    assert f'<a href="{escaped}" id="search-json">JSON</a>' in page

    answer = client.get(json_url)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/json"
    assert answer["Access-Control-Allow-Origin"] == "*"
    data = answer.json()
    assert (data["page"], data["page_size"]) == (2, 5)

    # Both views unwrap to one context function; the JSON is its every entry but the HTML's own.
    context_function = inspect.unwrap(resolve(reverse("search")).func)
    assert inspect.unwrap(resolve(reverse("api_search")).func) is context_function is views.search_context
    request = RequestFactory().get(reverse("search"), {"q": "平湖", "page_size": 5, "page": 2})
    context = context_function(request)
    assert set(data) == set(context) - twin.HTML_ONLY - set(views.HTML_ONLY)
    for key in data:
        expected = twin.to_json(response.context[key], request)
        if key == "json_url":  # every twin gives its own address absolute
            expected = request.build_absolute_uri(expected)
        assert expected == data[key], key


def test_every_result_line_shows_what_the_json_gives(client, indexed_samples):
    params = {"q": "发展", "page_size": 20}
    data = client.get(reverse("api_search"), params).json()
    lines = hit_lines(client.get(reverse("search"), params).content.decode())
    assert len(lines) == len(data["results"]) > 5
    for (href, title, date), hit in zip(lines, data["results"]):
        assert title == hit["title"]
        assert href == hit["url_in_search"] and href.startswith(hit["url"] + "?")
        assert date == hit["issue_date"]
    # Absolute addresses, as every twin gives them, and each leads where it says.
    first = data["results"][0]
    assert first["url"].startswith("http://testserver/")
    assert client.get(first["json_url"]).json()["article"]["title"] == first["title"]
    assert client.get(first["url_in_search"]).status_code == 200


def test_a_change_to_the_context_shows_in_both(client, indexed_samples, monkeypatch):
    params = {"q": "平湖", "page_size": 10}
    before = client.get(reverse("api_search"), params).json()["results"]
    real = presenters.result_items

    def newest_title_marked(request, result):
        items = real(request, result)[::-1]
        items[0]["title"] = "【改】" + items[0]["title"]
        items[0]["title_html"] = mark_safe("【改】" + items[0]["title_html"])
        return items

    monkeypatch.setattr(presenters, "result_items", newest_title_marked)
    after = client.get(reverse("api_search"), params).json()["results"]
    lines = hit_lines(client.get(reverse("search"), params).content.decode())
    assert [r["id"] for r in after] == [r["id"] for r in before][::-1]
    assert after[0]["title"] == "【改】" + before[-1]["title"]
    assert [title for _, title, _ in lines] == [r["title"] for r in after]


def test_a_page_past_the_last_says_so_in_both(client, indexed_samples):
    last = client.get(reverse("api_search"), {"q": "平湖", "page_size": 5}).json()["pages"]
    asked = {"q": "平湖", "page_size": 5, "page": last + 3}
    message = f"没有第{last + 3}页：结果只有{last}页，这里是最后一页。"
    data = client.get(reverse("api_search"), asked).json()
    response = client.get(reverse("search"), asked)
    assert data["error"] == message and data["page"] == last
    assert f'<p class="search-problem" role="alert">{message}</p>' in response.content.decode()
    assert [title for _, title, _ in hit_lines(response.content.decode())] == [r["title"] for r in data["results"]]
    # The page's JSON link is the page it shows, not the one asked for.
    assert parse_qs(urlsplit(response.context["json_url"]).query)["page"] == [str(last)]


def test_search_answers_are_never_served_from_the_page_cache(client, indexed_samples, settings, tmp_path):
    # The page cache keys on the archive's version; a search answers from the index and the load.
    settings.PHNEWS_PAGE_CACHE_SECONDS = 60
    settings.VAR_DIR = tmp_path
    default_cache.clear()
    try:
        for url in (reverse("search"), reverse("api_search"), reverse("home")):
            client.get(url)
            again = client.get(url)
            assert (again.get("X-Page-Cache") == "hit") is (url == reverse("home")), url
    finally:
        default_cache.clear()
