"""Every reader page has a JSON twin rendered from the same context as its HTML."""

import inspect

import pytest
from django.test import RequestFactory
from django.urls import resolve as resolve_url

from articles.browse.twin import HTML_ONLY, to_json
from articles.models import Person

PAGES = ["/", "/calendar/", "/calendar/2023/", "/2024-01-05/", "/2024-01-05/1/", "/2024-01-05/1/1/",
         "/people/", "/people/?role=reporter", "person"]


def resolve(url):
    if url == "person":
        return Person.objects.get(name="林旭东").get_absolute_url()
    return url


@pytest.mark.parametrize("url", PAGES)
def test_html_page_names_its_json_twin_which_carries_the_same_context(client, archive, url):
    url = resolve(url)
    response = client.get(url)
    assert response.status_code == 200
    json_url = response.context["json_url"]
    assert f'<link rel="alternate" type="application/json" href="{json_url}">'.replace("&", "&amp;") in \
        response.content.decode()
    twin = client.get(json_url)
    assert twin.status_code == 200 and twin["Content-Type"] == "application/json"
    data = twin.json()
    # Both views unwrap to one context function; the page was rendered from
    # exactly what it returns and the JSON holds every entry but HTML_ONLY.
    path, _, query = url.partition("?")
    match, twin_match = resolve_url(path), resolve_url(json_url.partition("?")[0])
    context_function = inspect.unwrap(match.func)
    assert inspect.unwrap(twin_match.func) is context_function
    request = RequestFactory().get(url)
    request.user = response.wsgi_request.user
    context = context_function(request, **match.kwargs)
    for key, value in context.items():
        assert to_json(response.context[key], request) == to_json(value, request), key
    # ... plus the document's own page address; both addresses absolute.
    assert set(data) == (set(context) - HTML_ONLY) | {"url"}
    assert data["url"] == context["canonical"] and data["url"].startswith("http://testserver/")
    assert data["json_url"] == "http://testserver" + json_url


def test_twin_shows_what_the_page_shows(client, archive):
    page = client.get("/api/2024-01-05/1.json").json()
    assert [a["title"] for a in page["articles"]] == ["以实干担当开创新局", "全市重点项目集中开工"]
    assert [p["label"] for p in page["edition"]] == ["1", "2"]
    assert page["edition"][1]["articles"][0]["dated_url"] == "http://testserver/2024-01-05/2/1/"
    home = client.get("/api/home.json").json()
    assert home["latest"]["date"] == "2024-01-05"
    assert [i["date"] for i in home["recent_issues"]] == ["2024-01-05", "2023-07-20", "2023-03-10"]
    assert home["prev_month"] == [2023, 7] and home["next_month"] is None
    Person.objects.filter(name="本报评论员").update(kind="institution")
    people = client.get("/api/people.json").json()
    assert [p["name"] for g in people["groups"] for p in g["people"]][:2] == ["戴琰", "纪亚千"]
    assert [p["name"] for p in people["institutions"]] == ["本报评论员"]
    article = client.get("/api/2024-01-05/1/1.json").json()
    assert article["citation"].startswith("本报评论员. 以实干担当开创新局")
    assert article["article"]["credits"][0] == {
        "name": "本报评论员", "role": "commentator", "role_label": "评论员",
        "url": "http://testserver" + Person.objects.get(name="本报评论员").get_absolute_url(),
        "json_url": f"http://testserver/api/person/{Person.objects.get(name='本报评论员').pk}.json"}


def test_missing_things_are_json_404s(client, archive):
    for url in ("/api/2023-05-01.json", "/api/2023-03-10/C9.json", "/api/person/9999.json",
                "/api/calendar/1999.json", "/api/people.json?role=astronaut"):
        response = client.get(url)
        assert response.status_code == 404 and "error" in response.json(), url


def test_pages_and_articles_without_a_date_have_twins_by_id(client, db):
    from articles.models import Article, Page

    page = Page.objects.create(label="", source_name="undated.txt", content_hash="u", raw_text="无日期的原文")
    article = Article.objects.create(page=page, position=1, title="无日期的文章")
    for url, twin_url in ((f"/page/{page.pk}/", f"/api/page/{page.pk}.json"),
                          (f"/article/{article.pk}/", f"/api/article/{article.pk}.json")):
        body = client.get(url).content.decode()
        assert f'<link rel="alternate" type="application/json" href="{twin_url}">' in body
    assert client.get(f"/api/page/{page.pk}.json").json()["articles"][0]["title"] == "无日期的文章"
    data = client.get(f"/api/article/{article.pk}.json").json()
    assert data["article"]["title"] == "无日期的文章"
    assert data["article"]["json_url"] == f"http://testserver/api/article/{article.pk}.json"
    assert client.get("/api/page/9999.json").status_code == 404
