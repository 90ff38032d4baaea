"""JSON twins: absolute addresses everywhere, linked calendar years and days, one Chinese error shape."""

import pytest

from articles.models import Person


def test_calendar_years_are_objects_with_absolute_links(client, archive):
    data = client.get("/api/calendar.json").json()
    assert data["years"][0] == {
        "year": 2023, "issue_count": 2,
        "url": "http://testserver/calendar/2023/", "json_url": "http://testserver/api/calendar/2023.json",
    }
    assert data["json_url"] == "http://testserver/api/calendar.json"
    assert data["url"] == "http://testserver/calendar/"


def test_calendar_days_with_an_issue_link_it(client, archive):
    data = client.get("/api/calendar/2023.json").json()
    days = [day for month in data["months"] for week in month["weeks"] for day in week]
    issue_days = [day for day in days if day["has_issue"]]
    assert [day["date"] for day in issue_days] == ["2023-03-10", "2023-07-20"]
    assert issue_days[0]["url"] == "http://testserver/2023-03-10/"
    assert issue_days[0]["json_url"] == "http://testserver/api/2023-03-10.json"
    assert all("url" not in day for day in days if not day["has_issue"])


@pytest.mark.parametrize("url", ["/api/person/999.json", "/api/2023-05-01.json", "/api/article/999.json",
                                 "/api/nothing/here.json", "/api/2023-03-10/C9.json"])
def test_missing_things_answer_in_chinese_in_one_shape(client, archive, url):
    response = client.get(url)
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    data = response.json()
    assert set(data) == {"error", "status"} and data["status"] == 404
    assert any("\u4e00" <= ch <= "\u9fff" for ch in data["error"]) and "matches" not in data["error"]


def test_bad_parameters_answer_in_the_same_shape(client, archive):
    response = client.get("/api/issues.json", {"year": "二〇二三"})
    assert response.status_code == 400 and response.json() == {"error": "year 应为 0001 至 9999 之间的四位数字，如 ?year=2023",
                                                                "status": 400}


@pytest.mark.parametrize("url", ["/", "/calendar/", "/calendar/2023/", "/2023-03-10/", "/2023-03-10/C1/",
                                 "/2023-03-10/C1/1/", "/people/", "person"])
def test_every_reader_page_shows_a_link_to_its_twin(client, archive, url):
    if url == "person":
        url = Person.objects.get(name="李雨婷").get_absolute_url()
    response = client.get(url)
    json_url = response.context["json_url"]
    assert f'<a href="{json_url}">JSON</a>' in response.content.decode()


def test_search_page_links_its_json(client, archive):
    body = client.get("/search/", {"q": "党建"}).content.decode()
    assert '<link rel="alternate" type="application/json" href="/api/search?q=%E5%85%9A%E5%BB%BA">' in body
