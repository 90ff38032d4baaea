"""Migration 0004 on a database holding the wrong records the old admin wrote."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("articles", "0003_change_record")]
AFTER = [("articles", "0004_forget_noop_text_edits")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_schema(transactional_db):
    apps = migrate(BEFORE)
    yield apps
    migrate(executor_leaf())


def executor_leaf():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_noop_body_edits_are_forgotten_and_real_ones_kept(old_schema):
    apps = old_schema
    Issue = apps.get_model("articles", "Issue")
    Page = apps.get_model("articles", "Page")
    Article = apps.get_model("articles", "Article")
    ChangeRecord = apps.get_model("articles", "ChangeRecord")
    ContentType = apps.get_model("contenttypes", "ContentType")
    article_type, _ = ContentType.objects.get_or_create(app_label="articles", model="article")
    page_type, _ = ContentType.objects.get_or_create(app_label="articles", model="page")

    issue = Issue.objects.create(date="2023-03-10")
    page = Page.objects.create(issue=issue, label="C1", source_name="a.txt", content_hash="a", raw_text="x",
                               leftover_text="报头\r\n地址", edited_fields=["leftover_text"])
    original = "第一段。\n\n第二段。"
    # Saved untouched twice, then the headline fixed: body stays marked and CRLF'd.
    noop = Article.objects.create(page=page, position=1, title="标题改过", body=original.replace("\n", "\r\n"),
                                  edited_fields=["body", "title"])
    # Saved untouched, then the body really corrected.
    real = Article.objects.create(page=page, position=2, title="乙", body="改正后的正文。",
                                  edited_fields=["body"])
    # Created by staff: no body record at all; its body is theirs.
    created = Article.objects.create(page=page, position=3, title="丙", body="新写的。", edited_fields=["body"])
    # A body too long for the history to hold whole: the evidence is cut.
    long_text = "长" * 2100
    cut = Article.objects.create(page=page, position=4, title="丁", body=long_text, edited_fields=["body"])

    def record(obj, content_type, *changes):
        return ChangeRecord.objects.create(action="change", content_type=content_type, object_id=str(obj.pk),
                                           object_repr="x", changes=list(changes))

    body_noop = {"field": "body", "label": "正文", "old": original, "new": original.replace("\n", "\r\n")}
    only_noop = record(noop, article_type, body_noop)
    mixed = record(noop, article_type, dict(body_noop, old=body_noop["new"]),
                   {"field": "title", "label": "主题", "old": "标题", "new": "标题改过"})
    record(real, article_type, {"field": "body", "label": "正文", "old": "原文。", "new": "原文。\r\n"})
    record(real, article_type, {"field": "body", "label": "正文", "old": "原文。\r\n", "new": "改正后的正文。"})
    shown = long_text[:2000] + "……（以下略）"
    record(cut, article_type, {"field": "body", "label": "正文", "old": shown, "new": shown})
    record(page, page_type, {"field": "leftover_text", "label": "未归入文章的文字", "old": "报头\n地址 ",
                             "new": "报头\r\n地址"})

    apps = migrate(AFTER)
    Article = apps.get_model("articles", "Article")
    Page = apps.get_model("articles", "Page")
    ChangeRecord = apps.get_model("articles", "ChangeRecord")
    IndexTask = apps.get_model("articles", "IndexTask")

    fixed = Article.objects.get(pk=noop.pk)
    assert fixed.edited_fields == ["title"]
    assert fixed.body == original
    assert not ChangeRecord.objects.filter(pk=only_noop.pk).exists()
    assert [c["field"] for c in ChangeRecord.objects.get(pk=mixed.pk).changes] == ["title"]
    assert IndexTask.objects.filter(article_id=noop.pk).exists()

    assert Article.objects.get(pk=real.pk).edited_fields == ["body"]
    assert Article.objects.get(pk=real.pk).body == "改正后的正文。"
    assert Article.objects.get(pk=created.pk).edited_fields == ["body"]
    assert Article.objects.get(pk=cut.pk).edited_fields == ["body"]

    fixed_page = Page.objects.get(pk=page.pk)
    assert fixed_page.edited_fields == []
    assert fixed_page.leftover_text == "报头\n地址 "
