"""Atom feeds show markup held in article text as text, in every field a reader displays."""

import html
import re
import xml.etree.ElementTree as ET

from django.conf import settings

from articles.models import Article, Credit, Person, Role

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = "<img src=x onerror=alert(document.cookie)>"


def shown(element):
    """What a reader that renders the field as HTML displays: tags are gone, text stays."""
    assert element.get("type") == "html", element.tag
    markup = element.text or ""
    # Only the line breaks the feed itself writes may be markup.
    assert re.sub(r"<br>", "", markup).count("<") == 0, markup
    return html.unescape(markup.replace("<br>", "\n"))


def hostile_article(archive):
    page = archive["p11"]
    page.section = f"经济{HOSTILE}"
    page.save()
    # The 160-character cut falls inside the tag: 150 characters, then the markup.
    body = "平" * 150 + '<b onclick="steal()">加粗</b>' + "湖" * 50
    article = Article.objects.create(page=page, position=2, title=f"标题{HOSTILE}", body=body)
    villain = Person.objects.create(name=f"<script>alert(1)</script>记者")
    Credit.objects.create(article=article, person=villain, role=Role.REPORTER, order=1)
    return article, villain


def test_person_feed_escapes_title_summary_and_feed_title(client, archive):
    article, villain = hostile_article(archive)
    feed = ET.fromstring(client.get(f"/person/{villain.pk}/feed.atom").content)
    entry = feed.find(f"{ATOM}entry")
    summary = shown(entry.find(f"{ATOM}summary"))
    assert summary.endswith(article.body[:160] + "…")
    assert summary.endswith("<b onclick…")  # cut on the text, shown as text
    assert shown(entry.find(f"{ATOM}title")) == f"标题{HOSTILE}"
    assert shown(feed.find(f"{ATOM}title")).startswith("<script>alert(1)</script>记者的文章")


def test_issue_feed_escapes_titles_and_sections(client, archive):
    hostile_article(archive)
    feed = ET.fromstring(client.get("/feed/issues.atom").content)
    summaries = [shown(entry.find(f"{ATOM}summary")) for entry in feed.findall(f"{ATOM}entry")]
    july = next(text for text in summaries if f"标题{HOSTILE}" in text)
    assert f"第11版 经济{HOSTILE}：上半年平湖经济稳中向好；标题{HOSTILE}" in july.splitlines()
    for entry in feed.findall(f"{ATOM}entry"):
        shown(entry.find(f"{ATOM}title"))
    assert shown(feed.find(f"{ATOM}title")) == f"{settings.PHNEWS_SITE_NAME} 新一期"
