"""The review queue: flagged pages and articles with reasons, and marking them reviewed."""

from django.urls import reverse

from articles.models import Article, ChangeAction, ChangeRecord, Page

QUEUE = reverse("admin:articles_review_queue")


def test_queue_lists_flagged_items_with_reasons(editor_client, archive):
    response = editor_client.get(QUEUE)
    assert response.status_code == 200
    assert [p.source_name for p in response.context["pages"]] == ["flagged.txt"]
    assert [a.title for a in response.context["articles"]] == ["消费券今起发放"]
    html = response.content.decode()
    for text in ("日期为推测（2023-08-18）", "据正文推测", "■摄影 王 强", "标题不确定：可能是引题", "记者 王强"):
        assert text in html, text
    assert "夯实党建根基" not in html
    assert "'credits'" not in html, "orphan bylines show their text, not their stored structure"


def test_every_admin_page_links_the_queue(editor_client, archive):
    assert f'href="{QUEUE}"' in editor_client.get(reverse("admin:index")).content.decode()


def test_marking_reviewed_clears_flags_and_is_remembered(editor_client, editor, archive):
    page, article = archive["flagged"], archive["voucher"]
    response = editor_client.post(QUEUE, {"page": [page.pk], "article": [article.pk]}, follow=True)
    assert "已将 2 项标记为已复核" in response.content.decode()
    page.refresh_from_db()
    article.refresh_from_db()
    assert (page.needs_review, article.needs_review) == (False, False)
    assert "needs_review" in page.edited_fields and "needs_review" in article.edited_fields
    assert page.review_reasons, "reasons stay for reference"
    assert ChangeRecord.objects.filter(action=ChangeAction.REVIEW, user=editor).count() == 2
    assert not response.context["pages"] and not response.context["articles"]


def test_mark_reviewed_action_on_the_article_list(editor_client, archive):
    article = archive["voucher"]
    editor_client.post(reverse("admin:articles_article_changelist"),
                       {"action": "mark_reviewed", "_selected_action": [article.pk, archive["main"].pk]})
    article.refresh_from_db()
    assert not article.needs_review
    # Only the flagged one counts as reviewed; the other is untouched.
    assert Article.objects.get(pk=archive["main"].pk).edited_fields == []


def test_checkers_see_the_queue_but_cannot_mark(checker_client, archive):
    response = checker_client.get(QUEUE)
    assert response.status_code == 200
    assert 'name="page"' not in response.content.decode()
    checker_client.post(QUEUE, {"page": [archive["flagged"].pk]})
    assert Page.objects.get(pk=archive["flagged"].pk).needs_review


def test_queue_is_paged(editor_client, archive, monkeypatch):
    from articles.admin import review

    monkeypatch.setattr(review, "PER_PAGE", 2)
    page = archive["flagged"]
    for n in range(2, 5):
        Article.objects.create(page=page, position=n, title=f"待查{n}", needs_review=True, review_reasons=["测试"])
    first = editor_client.get(QUEUE)
    assert len(first.context["articles"]) == 2
    assert "待复核文章（4）" in first.content.decode()
    second = editor_client.get(QUEUE, {"p": 2})
    seen = {a.title for a in first.context["articles"]} | {a.title for a in second.context["articles"]}
    assert seen == {"消费券今起发放", "待查2", "待查3", "待查4"}
