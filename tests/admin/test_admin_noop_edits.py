"""A form saved untouched is not an edit: textareas come back from browsers with CRLF line breaks."""

from admin_helpers import article_form_data
from django.urls import reverse

from articles.models import Article, ChangeRecord, Page


def change_url(name, obj):
    return reverse(f"admin:articles_{name}_change", args=[obj.pk])


def as_browser_sends(text):
    return text.replace("\n", "\r\n")


def test_untouched_body_sent_with_crlf_is_not_an_edit(editor_client, archive):
    article = archive["main"]
    stored = article.body
    data = article_form_data(article, body=as_browser_sends(stored) + "\r\n")
    assert editor_client.post(change_url("article", article), data).status_code == 302
    article.refresh_from_db()
    assert article.body == stored
    assert article.edited_fields == []
    assert not ChangeRecord.objects.filter(object_id=str(article.pk)).exists()


def test_headline_change_leaves_body_alone(editor_client, archive):
    article = archive["main"]
    Article.objects.filter(pk=article.pk).update(body="党建强，则根基稳。  \n\n加强创新推进\n")
    article.refresh_from_db()
    stored = article.body
    data = article_form_data(article, title="夯实金平湖的党建根基", body=as_browser_sends(stored.rstrip()))
    assert editor_client.post(change_url("article", article), data).status_code == 302
    article.refresh_from_db()
    assert article.edited_fields == ["title"]
    assert article.body == stored  # byte for byte, trailing spaces and all
    record = ChangeRecord.objects.get(object_id=str(article.pk))
    assert [c["field"] for c in record.changes] == ["title"]


def test_real_body_change_is_recorded_with_plain_line_breaks(editor_client, archive):
    article = archive["main"]
    data = article_form_data(article, body="党建强，则根基稳。\r\n\r\n持续推进铁军工程。")
    assert editor_client.post(change_url("article", article), data).status_code == 302
    article.refresh_from_db()
    assert article.body == "党建强，则根基稳。\n\n持续推进铁军工程。"
    assert article.edited_fields == ["body"]
    change = ChangeRecord.objects.get(object_id=str(article.pk)).changes[0]
    assert change["field"] == "body" and change["old"] != change["new"]


def test_untouched_page_leftover_text_is_not_an_edit(editor_client, archive):
    page = archive["clean"]
    Page.objects.filter(pk=page.pk).update(leftover_text="本报地址：平湖市\n邮编 314200")
    page.refresh_from_db()
    data = {
        "issue_date": page.issue.date.isoformat(), "label": page.label, "edition": page.edition,
        "section": page.section, "editor": page.editor, "designer": page.designer,
        "proofreader": page.proofreader, "leftover_text": as_browser_sends(page.leftover_text),
        "articles-TOTAL_FORMS": 0, "articles-INITIAL_FORMS": 0,
        "articles-MIN_NUM_FORMS": 0, "articles-MAX_NUM_FORMS": 0,
    }
    response = editor_client.post(change_url("page", page), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    page.refresh_from_db()
    assert page.leftover_text == "本报地址：平湖市\n邮编 314200"
    assert page.edited_fields == []
