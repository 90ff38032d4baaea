"""Both Atom feeds through a real feed parser: every element RFC 4287 requires, print dates, authors."""

import time

import feedparser
import pytest

from articles.models import DateSource, Page, Person

REQUIRED_FEED = ("id", "title", "updated")
REQUIRED_ENTRY = ("id", "title", "updated", "link")


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


def check_required(feed):
    for name in REQUIRED_FEED:
        assert feed.feed.get(name), name
    # An entry without its own author needs one on the feed (RFC 4287 4.1.1).
    assert feed.feed.author_detail.name == "嘉兴日报"
    for entry in feed.entries:
        for name in REQUIRED_ENTRY:
            assert entry.get(name), (name, entry)
        assert entry.authors and all(author.get("name") for author in entry.authors)


def day(struct):
    return time.strftime("%Y-%m-%d", struct)


@pytest.fixture
def estimated(archive):
    Page.objects.update(date_source=DateSource.MASTHEAD)
    Page.objects.filter(pk=archive["p11"].pk).update(date_source=DateSource.ESTIMATED)
    return archive


def test_issue_feed(client, estimated):
    feed = parse(client, "/feed/issues.atom")
    check_required(feed)
    entries = {entry.link.rsplit("/", 2)[-2]: entry for entry in feed.entries}
    assert set(entries) == {"2024-01-05", "2023-07-20", "2023-03-10"}
    for date, entry in entries.items():
        # The print date (published and updated), as the Asia/Shanghai day it was printed.
        assert entry.published.startswith(date) and entry.updated.startswith(date)
        assert entry.published.endswith("+08:00")
    assert "日期据内容推定" in entries["2023-07-20"].title
    assert "日期" not in entries["2023-03-10"].title.split("星期")[1]
    # No stray space before the colon when a page has no section name.
    assert "第1版：" in entries["2024-01-05"].summary and "版 ：" not in entries["2024-01-05"].summary
    assert "第11版 经济创新·深度：" in entries["2023-07-20"].summary


def test_person_feed_entries_carry_every_credited_author_and_the_print_date(client, estimated):
    archive = estimated
    wang = Person.objects.get(name="王强")
    feed = parse(client, f"/person/{wang.pk}/feed.atom")
    check_required(feed)
    (entry,) = feed.entries
    assert [author.name for author in entry.authors] == ["王强", "纪亚千"]
    assert entry.published.startswith("2023-03-10") and entry.updated.startswith("2023-03-10")
    assert entry.link == f"http://testserver/article/{archive['photo'].pk}/"
    assert entry.summary.startswith("2023年3月10日 第C1版")


def test_an_undated_article_still_has_updated(client, archive):
    Page.objects.filter(pk=archive["c1"].pk).update(issue=None)
    li = Person.objects.get(name="李雨婷")
    feed = parse(client, f"/person/{li.pk}/feed.atom")
    check_required(feed)
    assert all("published" not in entry for entry in feed.entries)
