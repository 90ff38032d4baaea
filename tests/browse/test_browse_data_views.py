"""JSON, Atom feeds, sitemap.xml and robots.txt."""

import xml.etree.ElementTree as ET

from articles.models import Article, Issue, Person

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_json_walks_from_issue_list_to_person_by_links(client, archive):
    listing = client.get("/api/issues.json").json()
    assert [i["date"] for i in listing["issues"]] == ["2023-03-10", "2023-07-20", "2024-01-05"]
    issue = client.get(listing["issues"][0]["json_url"]).json()
    assert issue["issue"]["lunar_date"] == "农历癸卯年二月十九" and issue["issue"]["number"] == 5134
    assert issue["next_issue"]["date"] == "2023-07-20" and issue["prev_issue"] is None
    page = client.get(issue["pages"][0]["json_url"]).json()
    assert page["page"]["label"] == "C1" and page["page"]["editor"] == "戴琰"
    positions = [a["position"] for a in page["articles"]]
    positions += [s["position"] for a in page["articles"] for s in a["page_sidebars"]]
    assert sorted(positions) == [1, 2, 3]
    article = client.get(page["articles"][0]["json_url"]).json()
    assert article["article"]["title"] == "夯实金平湖璀璨明珠的党建根基"
    assert article["article"]["blocks"][1] == {"text": "加强创新推进，构建大党建新格局", "kind": "subhead"}
    # The permanent link first, the dated place it is read at now beside it.
    pk = article["article"]["url"].rstrip("/").rsplit("/", 1)[1]
    assert article["article"]["url"] == f"http://testserver/article/{pk}/"
    assert article["article"]["json_url"] == f"http://testserver/api/article/{pk}.json"
    assert article["article"]["dated_url"] == "http://testserver/2023-03-10/C1/1/"
    person = client.get(article["article"]["credits"][0]["json_url"]).json()
    assert person["person"]["name"] == "李雨婷"
    titles = {a["title"] for group in person["by_role"] for a in group["articles"]}
    assert titles == {"夯实金平湖璀璨明珠的党建根基", "根基在基层"}


def test_json_continuation_and_year_filter(client, archive):
    head = client.get("/api/2024-01-05/1/1.json").json()
    assert head["article"]["continuation"]["dated_url"] == "http://testserver/2024-01-05/2/1/"
    tail = client.get("/api/2024-01-05/2/1.json").json()
    assert tail["continued_by"][0]["dated_url"] == "http://testserver/2024-01-05/1/1/"
    assert client.get(tail["continued_by"][0]["json_url"]).json()["article"]["position"] == 1
    assert [i["date"] for i in client.get("/api/issues.json", {"year": "2024"}).json()["issues"]] == ["2024-01-05"]
    assert client.get("/api/issues.json", {"year": "二〇二四"}).status_code == 400


def test_json_missing_objects_are_404_json(client, archive):
    for url in ("/api/2023-05-01.json", "/api/2023-03-10/C9.json", "/api/person/9999.json"):
        response = client.get(url)
        assert response.status_code == 404 and "error" in response.json()


def test_issue_feed_is_atom_with_newest_issue_first(client, archive):
    response = client.get("/feed/issues.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [
        "http://testserver/2024-01-05/", "http://testserver/2023-07-20/", "http://testserver/2023-03-10/"]
    assert "以实干担当开创新局" in entries[0].find(f"{ATOM}summary").text


def test_person_feed_lists_their_articles(client, archive):
    lin = Person.objects.get(name="林旭东")
    feed = ET.fromstring(client.get(f"/person/{lin.pk}/feed.atom").content)
    assert [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")] == ["全市重点项目集中开工", "上半年平湖经济稳中向好"]
    assert client.get("/person/9999/feed.atom").status_code == 404


def test_sitemap_lists_every_issue_page_article_and_person(client, archive):
    index = ET.fromstring(client.get("/sitemap.xml").content)
    sections = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert "http://testserver/sitemap-articles.xml" in sections
    locs = set()
    for section in sections:
        root = ET.fromstring(client.get(section.removeprefix("http://testserver")).content)
        locs |= {loc.text for loc in root.iter(f"{SITEMAP}loc")}
    expected = {"http://testserver/", "http://testserver/calendar/"}
    for obj in [*Issue.objects.all(), *Person.objects.all()]:
        expected.add("http://testserver" + obj.get_absolute_url())
    for article in Article.objects.all():
        expected.add("http://testserver" + article.get_permanent_url())
    assert expected <= locs


def test_robots_points_at_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_sitemap_sections_are_paged_by_id_so_a_request_costs_the_same_at_any_size(client, archive, monkeypatch):
    from django.db import connection
    from django.db.models import Max
    from django.test.utils import CaptureQueriesContext

    from articles.browse import sitemaps

    for section in ("IssueSitemap", "PageSitemap", "ArticleSitemap", "PersonSitemap"):
        assert getattr(sitemaps, section).limit == sitemaps.PAGE_SIZE <= 5000
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 2)
    with CaptureQueriesContext(connection) as queries:
        index = ET.fromstring(client.get("/sitemap.xml").content)
    # The index never loads or counts a section's rows: it asks each table for its highest id.
    assert all("MAX(" in query["sql"].upper() and "JOIN" not in query["sql"].upper()
               for query in queries.captured_queries)
    sections = [loc.text.removeprefix("http://testserver") for loc in index.iter(f"{SITEMAP}loc")]
    pages = [s for s in sections if s.startswith("/sitemap-articles.xml")]
    top = Article.objects.aggregate(top=Max("pk"))["top"]
    assert len(pages) == -(-top // 2) and pages[0] == "/sitemap-articles.xml"
    # Page n holds the ids 2n-1 and 2n; fetch the pages that hold an article.
    expected = {"http://testserver" + a.get_permanent_url(): a.pk
                for a in Article.objects.select_related("page__issue") if a.page.issue_id}
    seen = []
    for number in sorted({-(-pk // 2) for pk in expected.values()}):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/sitemap-articles.xml", {"p": number})
        found = [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]
        assert 1 <= len(found) <= 2 and len(queries) <= 2, number
        assert all(-(-expected[url] // 2) == number for url in found)
        seen += found
    assert sorted(seen) == sorted(expected)
    assert client.get("/sitemap-articles.xml", {"p": len(pages) + 1}).status_code == 404
    assert client.get("/sitemap-articles.xml", {"p": "x"}).status_code == 404
