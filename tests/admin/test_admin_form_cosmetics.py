"""What staff see in the article and page admin: review marks, headline boxes, credit rows, related-object controls."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.urls import reverse


def test_needs_review_column_shows_a_warning_not_a_green_tick(editor_client, archive):
    html = editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    rows = {m.group(1): m.group(0) for m in re.finditer(r'<tr>.*?>([^<]+)</a></th>.*?</tr>', html, re.S)}
    flagged = next(row for title, row in rows.items() if "消费券今起发放" in title)
    clean = next(row for title, row in rows.items() if "简讯一则" in title)
    assert "⚠ 待复核" in flagged and "⚠" not in clean
    assert 'class="phnews-reviewed"' in clean
    assert "icon-yes.svg" not in html and "icon-no.svg" not in html
    pages = editor_client.get(reverse("admin:articles_page_changelist")).content.decode()
    assert pages.count("⚠ 待复核") == 1
    inline = editor_client.get(reverse("admin:articles_page_change", args=[archive["flagged"].pk])).content.decode()
    assert "⚠ 待复核" in inline


def test_headline_boxes_are_wide(editor_client, archive):
    html = editor_client.get(reverse("admin:articles_article_change", args=[archive["main"].pk])).content.decode()
    for name in ("kicker", "title", "subtitle"):
        box = re.search(rf'<input [^>]*name="{name}"[^>]*>', html).group(0)
        assert "phnews-headline" in box and 'maxlength="200"' in box
    # The rule lives in the admin's stylesheet (no <style> under the Content-Security-Policy).
    assert "css/admin.css" in html
    stylesheet = Path(finders.find("css/admin.css")).read_text(encoding="utf-8")
    assert "input.phnews-headline { width: 100%; max-width: 48em;" in stylesheet


def test_extra_credit_row_continues_the_byline_order(editor_client, archive):
    html = editor_client.get(reverse("admin:articles_article_change", args=[archive["main"].pk])).content.decode()
    orders = dict(re.findall(r'name="credits-(\d+|__prefix__)-order" value="(\d+)"', html))
    assert orders["0"] == "1" and orders["1"] == "2"
    assert orders["2"] == "3"  # the empty row offered for one more byline
    assert int(orders["__prefix__"]) > 3


def test_no_control_beside_a_related_box_deletes_the_record(editor_client, archive):
    html = editor_client.get(reverse("admin:articles_article_change", args=[archive["main"].pk])).content.decode()
    assert "delete-related" not in html
    assert 'id="change_id_credits-0-person"' in html  # other controls stay
    credit = archive["main"].credits.first()
    html = editor_client.get(reverse("admin:articles_credit_change", args=[credit.pk])).content.decode()
    assert "delete-related" not in html


def test_page_form_shows_the_masthead_and_edited_fields_under_chinese_labels(editor_client, archive):
    from articles.models import Page

    page = archive["clean"]
    Page.objects.filter(pk=page.pk).update(
        masthead={"date": "2023-03-10", "weekday": "星期五", "issue_number": 5134, "editor": "戴琰",
                  "news_hotline": "85012345", "stamp": "样报"},
        edited_fields=["articles", "section"])
    html = editor_client.get(reverse("admin:articles_page_change", args=[page.pk])).content.decode()
    block = html.split("phnews-masthead")[1].split("</dl>")[0]
    for label, value in (("出版日期", "2023-03-10"), ("星期", "星期五"), ("总期号", "5134"), ("编辑", "戴琰"),
                         ("新闻热线", "85012345"), ("stamp", "样报")):
        assert f"<dt>{label}</dt><dd>{value}</dd>" in block
    assert "news_hotline" not in html and '"issue_number"' not in html
    edited = re.search(r"field-edited_fields_text.*?<div class=\"readonly\">(.*?)</div>", html, re.S).group(1)
    assert edited == "本版文章（分段）、版名"
    from articles.models import Article

    Article.objects.filter(pk=archive["main"].pk).update(edited_fields=["body", "credits"])
    html = editor_client.get(reverse("admin:articles_article_change", args=[archive["main"].pk])).content.decode()
    edited = re.search(r"field-edited_fields_text.*?<div class=\"readonly\">(.*?)</div>", html, re.S).group(1)
    assert edited == "正文、署名"
