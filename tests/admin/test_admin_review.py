"""The review queue: flagged pages and articles with reasons, and marking them reviewed."""

from django.urls import reverse

from articles.models import Article, ChangeAction, ChangeRecord, Page, ReviewLevel
from articles.parsing.guesses import classify, review_level

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
    assert "须复核文章（4）" in first.content.decode()
    second = editor_client.get(QUEUE, {"p": 2})
    seen = {a.title for a in first.context["articles"]} | {a.title for a in second.context["articles"]}
    assert seen == {"消费券今起发放", "待查2", "待查3", "待查4"}


# -- levels and clearing a reason in bulk (on the imported samples) ----------

def _with_key(key, **filters):
    return [a for a in Article.objects.filter(**filters) if key in {classify(r)[0] for r in a.review_reasons}]


def test_queue_opens_on_must_and_shows_both_counts(editor_client, imported_samples):
    must = Article.objects.filter(review_level=ReviewLevel.MUST)
    may = Article.objects.filter(review_level=ReviewLevel.MAY)
    assert must.exists() and may.count() > must.count()
    response = editor_client.get(QUEUE)
    assert response.context["level"] == ReviewLevel.MUST
    assert {a.pk for a in response.context["articles"]} == set(must.values_list("pk", flat=True))
    pages = Page.objects.filter(needs_review=True).count()
    assert response.context["counts"] == {"must": pages + must.count(), "may": may.count()}
    html = response.content.decode()
    assert f"须复核（<span class=\"count\">{pages + must.count()}</span>）" in html
    assert f"可复核（<span class=\"count\">{may.count()}</span>）" in html

    response = editor_client.get(QUEUE, {"level": "may"})
    assert {a.pk for a in response.context["articles"]} == set(may.values_list("pk", flat=True))
    assert not response.context["pages"], "pages carry only 须复核 reasons"
    assert ("两行标题" in {key for _, key, _ in response.context["reasons"]})


def test_clearing_a_reason_for_an_import(editor_client, editor, imported_samples):
    (run,) = set(Page.objects.values_list("import_run", flat=True))
    having = _with_key("两行标题")
    assert len(having) >= 3
    response = editor_client.post(
        QUEUE + "?level=may", {"clear_reason": "两行标题", "run_scope": run}, follow=True)
    assert f"所有“两行标题”均已核对：{len(having)} 篇文章" in response.content.decode()
    for article in Article.objects.filter(pk__in=[a.pk for a in having]):
        assert "两行标题" in article.cleared_reasons
        assert article.review_level == review_level(article.review_reasons, article.cleared_reasons)
        assert article.needs_review == (article.review_level == ReviewLevel.MUST)
        assert "needs_review" in article.edited_fields
    assert ChangeRecord.objects.filter(action=ChangeAction.REVIEW, user=editor, note="已核对：两行标题").count() \
        == len(having)
    assert "两行标题" not in {key for _, key, _ in response.context["reasons"]}


def test_a_cleared_reason_stays_on_the_row_marked_checked(editor_client, archive):
    page = archive["flagged"]
    heading = "标题存疑：标题结构不确定，两行标题无明显引题/副题标志"
    boundary = "分篇存疑：“某某”按本文小标题处理；如是另一篇（无署名）文章的标题，请拆分"
    article = Article.objects.create(page=page, position=2, title="某某", review_reasons=[heading, boundary],
                                     review_level=ReviewLevel.MUST, needs_review=True)
    editor_client.post(QUEUE, {"clear_reason": "两行标题", "page_scope": page.pk})
    article.refresh_from_db()
    assert (article.review_level, article.needs_review, article.cleared_reasons) == (ReviewLevel.MUST, True, ["两行标题"])
    html = editor_client.get(QUEUE).content.decode()
    row = html.split(f'data-id="{article.pk}"', 1)[1].split("</tr>", 1)[0]
    assert f"【可复核·已核对】{heading}" in row and f"【须复核】{boundary}" in row
    editor_client.post(QUEUE, {"clear_reason": "小标题或另一篇", "page_scope": page.pk})
    article.refresh_from_db()
    assert (article.review_level, article.needs_review) == ("", False)


def test_clearing_a_reason_for_one_page_leaves_the_others(editor_client, imported_samples):
    having = _with_key("两行标题")
    page_id = having[0].page_id
    elsewhere = [a.pk for a in having if a.page_id != page_id]
    assert elsewhere
    editor_client.post(QUEUE + f"?page={page_id}", {"clear_reason": "两行标题", "page_scope": page_id})
    for article in Article.objects.filter(pk__in=[a.pk for a in having]):
        assert ("两行标题" in article.cleared_reasons) == (article.page_id == page_id)


def test_clearing_needs_a_page_or_an_import(editor_client, imported_samples):
    response = editor_client.post(QUEUE, {"clear_reason": "两行标题"}, follow=True)
    assert "请选定一个版面或一次导入" in response.content.decode()
    assert not any(a.cleared_reasons for a in Article.objects.all())


def test_checkers_cannot_clear_a_reason(checker_client, imported_samples):
    (run,) = set(Page.objects.values_list("import_run", flat=True))
    response = checker_client.post(QUEUE, {"clear_reason": "两行标题", "run_scope": run}, follow=True)
    assert "只有查看权限" in response.content.decode()
    assert not any(a.cleared_reasons for a in Article.objects.all())


def test_a_cleared_reason_stays_cleared_on_reimport(editor_client, imported_samples, import_pages, samples_dir):
    (run,) = set(Page.objects.values_list("import_run", flat=True))
    editor_client.post(QUEUE, {"clear_reason": "两行标题", "run_scope": run})
    before = {a.pk: (a.review_level, a.cleared_reasons) for a in Article.objects.all()}
    assert import_pages(samples_dir, "--no-copy", "--reparse")[0] == 0
    assert {a.pk: (a.review_level, a.cleared_reasons) for a in Article.objects.all()} == before


def test_staff_see_the_manifest_note_on_the_page_form_and_in_the_queue(editor_client, imported_samples):
    page = Page.objects.get(source_name__startswith="000")
    form = editor_client.get(reverse("admin:articles_page_change", args=[page.pk])).content.decode()
    assert "清单备注" in form and "Verify against the print archive" in form
    queue = editor_client.get(QUEUE).content.decode()
    row = queue.split(f'<tr class="review-issue" data-id="{page.issue_id}">', 1)[1].split("</tr>", 1)[0]
    assert "清单备注：" in row and "Inferred from content" in row
