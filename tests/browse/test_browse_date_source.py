"""A date the masthead did not print is never shown as if it were: reader pages, JSON, citation, review queue."""

import html
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import User

from articles.models import DateSource, Issue, Page, Person

ESTIMATED_NOTE = "日期据内容推定"
MANIFEST_NOTE = "日期未见于报头，据导入清单"


@pytest.fixture
def estimated(archive):
    """The March issue's page keeps its masthead date; July's page had its date worked out from content."""
    Page.objects.filter(issue__date="2023-07-20").update(date_source=DateSource.ESTIMATED)
    Page.objects.filter(issue__date="2023-03-10").update(date_source=DateSource.MASTHEAD)
    return Page.objects.filter(issue__date="2023-07-20").select_related("issue").first()


def test_issue_page_and_article_say_the_date_was_inferred(client, estimated):
    article = estimated.articles.order_by("position").first()
    for url in (estimated.issue.get_absolute_url(), estimated.get_absolute_url(), article.get_absolute_url()):
        html = client.get(url).content.decode()
        assert f'<span class="date-note"' in html and ESTIMATED_NOTE in html, url


def test_printed_date_carries_no_note(client, estimated):
    html = client.get("/2023-03-10/C1/1/").content.decode()
    assert 'class="date-note"' not in html


def test_citation_carries_the_date_source(client, estimated):
    article = estimated.articles.order_by("position").first()
    html = client.get(article.get_absolute_url()).content.decode()
    citation = html.split('id="citation"')[1].split("</textarea>")[0]
    assert f"[N]. 嘉兴日报, 2023-07-20({estimated.label}).（{ESTIMATED_NOTE}）" in citation
    printed = client.get("/2023-03-10/C1/1/").content.decode().split('id="citation"')[1].split("</textarea>")[0]
    assert "（" not in printed.split("[N].")[1]


def test_json_twins_carry_the_date_source(client, estimated):
    issue = client.get("/api/2023-07-20.json").json()
    assert issue["date_source"] == "estimated" and issue["date_note"] == ESTIMATED_NOTE
    page = client.get(f"/api/2023-07-20/{estimated.label}.json").json()
    assert page["date_note"] == ESTIMATED_NOTE
    assert client.get("/api/2023-03-10.json").json()["date_note"] == ""


def test_sample_manifest_dates_are_not_shown_as_printed(client, imported_samples):
    # Four of the five samples take their date from the manifest, which inferred it.
    html = client.get("/2023-08-18/").content.decode()
    assert MANIFEST_NOTE in html
    assert MANIFEST_NOTE not in client.get("/2023-03-10/").content.decode()


def test_review_queue_lists_every_issue_without_a_printed_date(client, imported_samples):
    admin = User.objects.create_superuser("boss", password="x")
    client.force_login(admin)
    html = client.get("/admin/articles/article/review/").content.decode()
    section = html.split('id="review-dates"')[1].split('<div class="module"')[0]
    listed = {issue.date.isoformat() for issue in Issue.objects.all() if f">{issue.date:%Y-%m-%d}</a>" in section}
    assert listed == {"2023-08-18", "2025-01-14", "2024-01-05", "2023-07-20"}
    assert "清单" in section


def test_home_lists_say_which_dates_were_not_printed(client, estimated, monkeypatch):
    from datetime import date

    from articles.browse import dates

    monkeypatch.setattr(dates, "local_today", lambda: date(2026, 7, 20))
    body = client.get("/").content.decode()
    recent = body.split('class="recent-issues"')[1].split("</section>")[0]
    july = next(line for line in recent.split("<li>") if "2023年7月20日" in line)
    march = next(line for line in recent.split("<li>") if "2023年3月10日" in line)
    assert ESTIMATED_NOTE in july and "date-note" not in march
    history = body.split('class="on-this-day"')[1].split("</section>")[0]
    assert "2023年</a>" in history and ESTIMATED_NOTE in history
    assert client.get("/api/home.json").json()["recent_issues"][1]["date_note"] == ESTIMATED_NOTE


def test_feeds_say_when_the_date_was_not_printed(client, estimated):
    atom = "{http://www.w3.org/2005/Atom}"

    def entries(url):
        root = ET.fromstring(client.get(url).content)
        return [
            (html.unescape(e.find(f"{atom}title").text), html.unescape(e.find(f"{atom}summary").text or ""))
            for e in root.iter(f"{atom}entry")
        ]

    issues = dict(entries("/feed/issues.atom"))
    july = next(title for title in issues if title.startswith("2023年7月20日"))
    march = next(title for title in issues if title.startswith("2023年3月10日"))
    assert july.endswith(f"（{ESTIMATED_NOTE}）")
    assert "（" not in march

    person = Person.objects.get(name="林旭东")
    summaries = dict(entries(f"/person/{person.pk}/feed.atom"))
    assert ESTIMATED_NOTE in summaries["上半年平湖经济稳中向好"]
    assert ESTIMATED_NOTE not in summaries["全市重点项目集中开工"]


def test_calendar_days_say_when_the_date_was_not_printed(client, estimated):
    html_ = client.get("/calendar/2023/").content.decode()
    july = html_.split('id="m07"')[1].split("</table>")[0]
    march = html_.split('id="m03"')[1].split("</table>")[0]
    assert f'title="{ESTIMATED_NOTE}"' in july and "date-not-printed" in july
    assert "date-not-printed" not in march and "title=" not in march
    months = client.get("/api/calendar/2023.json").json()["months"]
    days = {day["date"]: day for month in months for week in month["weeks"] for day in week if day["has_issue"]}
    assert days["2023-07-20"]["date_note"] == ESTIMATED_NOTE and days["2023-03-10"]["date_note"] == ""
