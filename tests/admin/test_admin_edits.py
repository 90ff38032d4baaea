"""Editing articles, pages and issues through the admin: saved, remembered, recorded, validated."""

from datetime import date

from admin_helpers import add_credit_row, article_form_data, person
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from articles.models import Article, ChangeAction, ChangeRecord, Issue, Page, Role


def change_url(name, obj):
    return reverse(f"admin:articles_{name}_change", args=[obj.pk])


def errors_of(response):
    """Every error message on a re-displayed admin form, as one string."""
    context = response.context
    texts = [str(e) for e in context["errors"]]
    for formset in context.get("inline_admin_formsets", []):
        texts += [str(e) for e in formset.formset.non_form_errors()]
        texts += [str(e) for form in formset.formset.forms for errors in form.errors.values() for e in errors]
    return " ".join(texts)


def test_headline_edit_is_saved_remembered_and_recorded(editor_client, editor, archive):
    article = archive["main"]
    response = editor_client.post(change_url("article", article),
                                  article_form_data(article, title="夯实金平湖的党建根基", kicker="创新奋进"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "夯实金平湖的党建根基"
    assert article.kicker == "创新奋进"
    assert set(article.edited_fields) == {"title", "kicker"}
    record = ChangeRecord.objects.get(object_id=str(article.pk), action=ChangeAction.CHANGE)
    assert record.user == editor
    by_field = {c["field"]: c for c in record.changes}
    assert by_field["title"]["old"] == "夯实党建根基"
    assert by_field["title"]["new"] == "夯实金平湖的党建根基"
    assert by_field["kicker"]["old"] == ""
    assert LogEntry.objects.filter(object_id=str(article.pk), user=editor).exists()


def test_unchanged_save_records_nothing(editor_client, archive):
    article = archive["main"]
    assert editor_client.post(change_url("article", article), article_form_data(article)).status_code == 302
    article.refresh_from_db()
    assert article.edited_fields == []
    assert not ChangeRecord.objects.filter(object_id=str(article.pk)).exists()


def test_credit_inline_edit_marks_credits_edited(editor_client, archive):
    article = archive["main"]
    data = article_form_data(article)
    data["credits-1-person"] = person("张珊").pk  # the correspondent was misread
    data = add_credit_row(data, article, person("王强").pk, Role.PHOTOGRAPHER, 3)
    assert editor_client.post(change_url("article", article), data).status_code == 302
    article.refresh_from_db()
    assert article.edited_fields == ["credits"]
    names = [(c.role, c.person.name) for c in article.credits.order_by("order")]
    assert names == [("reporter", "李雨婷"), ("correspondent", "张珊"), ("photographer", "王强")]
    change = ChangeRecord.objects.get(object_id=str(article.pk)).changes[0]
    assert change["field"] == "credits"
    assert change["old"] == "记者 李雨婷 通讯员 张三"
    assert change["new"] == "记者 李雨婷 通讯员 张珊 摄影 王强"


def test_body_edit_rebuilds_blocks_keeping_subheads(editor_client, archive):
    article = archive["main"]
    body = "党建强，则根基稳；根基稳，则社会兴。\n\n加强创新推进\n\n持续推进铁军工程。"
    assert editor_client.post(change_url("article", article), article_form_data(article, body=body)).status_code == 302
    article.refresh_from_db()
    assert article.blocks == [
        {"text": "党建强，则根基稳；根基稳，则社会兴。", "kind": "p"},
        {"text": "加强创新推进", "kind": "subhead"},
        {"text": "持续推进铁军工程。", "kind": "p"},
    ]
    assert "body" in article.edited_fields
    # The public page shows the corrected body.
    assert "根基稳，则社会兴" in editor_client.get(article.get_absolute_url()).content.decode()


def test_article_moves_to_another_page(editor_client, archive):
    article = archive["brief"]
    target = archive["flagged"]
    response = editor_client.post(change_url("article", article),
                                  article_form_data(article, page=target.pk, position=2))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.page == target
    assert "page" in article.edited_fields
    # Both pages' article lists are now staff's: re-import must not recreate it on the old page.
    assert Page.objects.get(pk=archive["clean"].pk).edited_fields == ["articles"]
    assert Page.objects.get(pk=target.pk).edited_fields == ["articles"]


def test_page_autocomplete_finds_pages_by_date(editor_client, archive):
    response = editor_client.get(reverse("admin:autocomplete"), {
        "app_label": "articles", "model_name": "article", "field_name": "page", "term": "2023-08",
    })
    assert [r["text"] for r in response.json()["results"]] == ["2023-08-18 第C1版"]


def test_article_added_by_staff_is_theirs(editor_client, archive):
    page = archive["flagged"]
    data = {
        "page": page.pk, "position": 5, "kind": "brief", "title": "漏掉的简讯", "body": "第一段。\n\n第二段。",
        "credits-TOTAL_FORMS": 1, "credits-INITIAL_FORMS": 0, "credits-MIN_NUM_FORMS": 0,
        "credits-MAX_NUM_FORMS": 1000, "credits-0-order": 1, "credits-0-role": Role.REPORTER,
        "credits-0-person": person("王强").pk,
    }
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get(title="漏掉的简讯")
    assert {"title", "body", "page", "position", "kind"} <= set(article.edited_fields)
    assert article.blocks == [{"text": "第一段。", "kind": "p"}, {"text": "第二段。", "kind": "p"}]
    assert [c.person.name for c in article.credits.all()] == ["王强"]
    assert Page.objects.get(pk=page.pk).edited_fields == ["articles"]
    assert ChangeRecord.objects.filter(action=ChangeAction.ADD, object_id=str(article.pk)).exists()


def test_empty_title_is_refused_with_a_clear_message(editor_client, archive):
    article = archive["main"]
    response = editor_client.post(change_url("article", article), article_form_data(article, title="   "))
    assert response.status_code == 200
    assert "标题（主题）不能为空" in errors_of(response)
    article.refresh_from_db()
    assert article.title == "夯实党建根基"


def test_taken_position_is_refused(editor_client, archive):
    article = archive["brief"]
    response = editor_client.post(change_url("article", article), article_form_data(article, position=1))
    assert response.status_code == 200
    assert "第 1 篇已是《夯实党建根基》" in errors_of(response)


def test_credit_without_person_is_refused(editor_client, archive):
    article = archive["main"]
    data = add_credit_row(article_form_data(article), article, "", Role.PHOTOGRAPHER, 3)
    response = editor_client.post(change_url("article", article), data)
    assert response.status_code == 200
    assert "每条署名都要选择一位人物" in errors_of(response)
    assert article.credits.count() == 2


def test_duplicate_credit_is_refused(editor_client, archive):
    article = archive["main"]
    data = add_credit_row(article_form_data(article), article, person("李雨婷").pk, Role.REPORTER, 3)
    response = editor_client.post(change_url("article", article), data)
    assert response.status_code == 200
    assert "“李雨婷”以“记者”身份署名了两次" in errors_of(response)
    assert article.credits.count() == 2


def test_same_person_in_two_roles_is_allowed(editor_client, archive):
    article = archive["main"]
    data = add_credit_row(article_form_data(article), article, person("李雨婷").pk, Role.PHOTOGRAPHER, 3)
    assert editor_client.post(change_url("article", article), data).status_code == 302
    assert article.credits.count() == 3


def issue_data(issue, **overrides):
    return {"date": issue.date.isoformat(), "number": issue.number or "", "lunar_date": issue.lunar_date,
            "weekday": issue.weekday, **overrides}


def test_impossible_issue_date_is_refused(editor_client, archive):
    issue = archive["march"]
    response = editor_client.post(change_url("issue", issue), issue_data(issue, date="2023-02-30"))
    assert response.status_code == 200
    assert "日期不存在或格式不对" in errors_of(response)
    issue.refresh_from_db()
    assert issue.date == date(2023, 3, 10)


def test_issue_edit_is_remembered(editor_client, archive):
    issue = archive["march"]
    assert editor_client.post(change_url("issue", issue), issue_data(issue, weekday="星期五")).status_code == 302
    issue.refresh_from_db()
    assert issue.edited_fields == ["weekday"]


def page_data(page, **overrides):
    data = {"issue_date": page.issue.date.isoformat() if page.issue_id else "", "label": page.label,
            "edition": page.edition, "section": page.section, "editor": page.editor, "designer": page.designer,
            "proofreader": page.proofreader, "leftover_text": page.leftover_text,
            "articles-TOTAL_FORMS": 0, "articles-INITIAL_FORMS": 0, "articles-MIN_NUM_FORMS": 0,
            "articles-MAX_NUM_FORMS": 0}
    if page.needs_review:
        data["needs_review"] = "on"
    data.update(overrides)
    return data


def test_page_moves_to_a_new_date(editor_client, archive):
    page = archive["flagged"]
    response = editor_client.post(change_url("page", page), page_data(page, issue_date="2023-08-19"))
    assert response.status_code == 302, errors_of(response)
    page.refresh_from_db()
    assert page.issue.date == date(2023, 8, 19)
    assert page.edited_fields == ["issue"]
    change = ChangeRecord.objects.get(object_id=str(page.pk)).changes[0]
    assert (change["old"], change["new"]) == ("2023年08月18日", "2023年08月19日")


def test_page_date_that_does_not_exist_is_refused(editor_client, archive):
    page = archive["flagged"]
    response = editor_client.post(change_url("page", page), page_data(page, issue_date="2023-13-01"))
    assert response.status_code == 200
    assert "日期不存在或格式不对" in errors_of(response)
    assert Issue.objects.count() == 2


def test_page_cannot_take_a_label_already_on_that_day(editor_client, archive):
    page = archive["flagged"]
    response = editor_client.post(change_url("page", page), page_data(page, issue_date="2023-03-10"))
    assert response.status_code == 200
    assert "2023-03-10 的第 C1 版已存在" in errors_of(response)
    assert Page.objects.get(pk=page.pk).issue == archive["august"]


def test_deleting_an_article_is_recorded(editor_client, editor, archive):
    article = archive["brief"]
    response = editor_client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    record = ChangeRecord.objects.get(action=ChangeAction.DELETE)
    assert (record.object_repr, record.user) == ("简讯一则", editor)
    assert Page.objects.get(pk=archive["clean"].pk).edited_fields == ["articles"]


def test_history_page_shows_old_and_new_values(editor_client, archive):
    article = archive["main"]
    editor_client.post(change_url("article", article), article_form_data(article, title="党建根基更牢"))
    page = editor_client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()
    assert "<del>夯实</del>党建根基<ins>更牢</ins>" in page
    assert "editor" in page


def test_change_form_shows_the_page_raw_text(editor_client, archive):
    html = editor_client.get(change_url("article", archive["main"])).content.decode()
    assert 'id="phnews-source"' in html
    source = html.split('id="phnews-source"')[1]
    assert "党建强，则根基稳。" in source
    # From the title to the last paragraph the page holds (the rest was not on it).
    assert '<mark id="phnews-here">夯实党建根基\n党建强，则根基稳。</mark>' in source


def test_source_marker_finds_wrapped_text():
    from types import SimpleNamespace

    from articles.admin.source import split_at_article

    raw = "报头\n私奉献抗疫情”……近日，刚刚投入\n使用的张江长三角\n"
    article = SimpleNamespace(title="", kicker="", lead="", body="近日，刚刚投入使用的张江长三角科技城")
    before, marked, after = split_at_article(raw, article)
    assert before.endswith("……")
    assert marked == "近日，刚刚投入\n使用的张江"
    assert split_at_article("无关的文字", article) == ("无关的文字", "", "")


def test_source_marker_covers_the_whole_article_across_wrapped_lines():
    from types import SimpleNamespace

    from articles.admin.source import split_at_article

    raw = ("报头 平湖版\n营商环境\n“两面锦旗”唱响\n营商环境“创优曲”\n■记者 李雨婷\n"
           "近日，刚刚投入使用的张江长三\n角科技城平湖园社区的党群服务\n中心里，新悬挂上两面锦旗。\n"
           "企业对园区营商环境的肯定与赞\n许溢于言表。\n下一篇的标题\n下一篇的正文。\n")
    article = SimpleNamespace(
        kicker="营商环境", title="“两面锦旗”唱响营商环境“创优曲”", lead="",
        body="近日，刚刚投入使用的张江长三角科技城平湖园社区的党群服务中心里，新悬挂上两面锦旗。\n\n"
             "企业对园区营商环境的肯定与赞许溢于言表。",
    )
    before, marked, after = split_at_article(raw, article)
    assert before == "报头 平湖版\n"
    assert marked.startswith("营商环境\n“两面锦旗”") and marked.endswith("许溢于言表。")
    assert after == "\n下一篇的标题\n下一篇的正文。\n"


def test_relabelling_a_page_keeps_its_old_article_addresses(editor_client, client, archive):
    page, main = archive["clean"], archive["main"]
    response = editor_client.post(change_url("page", page), page_data(page, label="C3"))
    assert response.status_code == 302
    editor_client.logout()
    old = client.get("/2023-03-10/C1/1/")
    assert old.status_code == 301 and old["Location"] == f"/article/{main.pk}/"
    assert client.get("/2023-03-10/C3/1/").context["article"] == main
    # The page's own old address leads to it too, and so does its JSON.
    moved = client.get("/2023-03-10/C1/")
    assert moved.status_code == 301 and moved["Location"] == "/2023-03-10/C3/"
    assert client.get("/api/2023-03-10/C1.json")["Location"] == "/api/2023-03-10/C3.json"


def test_moving_an_article_on_its_page_keeps_its_old_address(editor_client, client, archive):
    brief = archive["brief"]
    response = editor_client.post(change_url("article", brief), article_form_data(brief, position=5))
    assert response.status_code == 302
    editor_client.logout()
    old = client.get("/2023-03-10/C1/2/")
    assert old.status_code == 301 and old["Location"] == f"/article/{brief.pk}/"
    assert 'id="address-moved"' not in client.get("/2023-03-10/C1/1/").content.decode()
    assert client.get("/2023-03-10/C1/5/").context["article"] == brief
