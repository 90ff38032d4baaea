"""The edit history as a diff: changed passages with context, unchanged text folded."""

import re

from django.urls import reverse

from articles.admin import segment_ops
from articles.admin.textdiff import render, segments
from articles.models import Article, ChangeRecord

PARAGRAPH = "平湖市持续优化营商环境，企业办事更加便利，群众满意度不断提升。"


def test_a_changed_character_shows_alone_with_its_context():
    old = PARAGRAPH * 4 + "记者李雨婷" + PARAGRAPH * 4
    new = PARAGRAPH * 4 + "记者李玉婷" + PARAGRAPH * 4
    parts = segments(old, new, context=10)
    assert ("del", "雨") in parts and ("ins", "玉") in parts
    folds = [text for kind, text in parts if kind == "fold"]
    # Everything but ten characters either side of the change is folded.
    assert sum(folds) == len(old) - 1 - 20


def test_one_character_islands_join_the_change_around_them():
    parts = segments("甲乙丙丁", "子乙寅丁")
    assert parts == [("del", "甲乙丙"), ("ins", "子乙寅"), ("same", "丁")]


def test_a_long_changed_run_is_cut_in_the_middle_when_capped():
    html = render("开头。" + PARAGRAPH * 20, "开头。", cap=40)
    assert "另有" in html and html.count("<del>") == 2
    assert len(re.sub(r"<[^>]+>", "", html)) < 200


def test_empty_sides_are_named():
    assert "（原为空）" in render("", "新标题") and "<ins>新标题</ins>" in render("", "新标题")
    assert "（改为空）" in render("旧标题", "")


def test_text_is_escaped():
    html = render("甲乙", "甲<b>乙")
    assert "<b>" not in html and "<ins>&lt;b&gt;</ins>" in html


def _split_archive(editor, archive):
    main = archive["main"]
    long_body = "\n\n".join([PARAGRAPH * 6, "加强创新推进", PARAGRAPH * 6, PARAGRAPH * 5])
    Article.objects.filter(pk=main.pk).update(body=long_body, blocks=[])
    segment_ops.split(editor, main.pk, 1, "加强创新推进", heading=True)
    return main


def test_history_after_a_split_shows_the_cut_not_both_bodies(editor_client, editor, archive):
    main = _split_archive(editor, archive)
    html = editor_client.get(reverse("admin:articles_article_history", args=[main.pk])).content.decode()
    records = html.split('id="phnews-change-records"')[1]
    assert "字未改动" in records  # the kept paragraph is folded, not repeated
    assert records.count(PARAGRAPH) < 6 * 2


def test_change_record_list_stays_compact(editor_client, editor, archive):
    _split_archive(editor, archive)
    assert ChangeRecord.objects.count() >= 3
    html = editor_client.get(reverse("admin:articles_changerecord_changelist")).content.decode()
    rows = html.split('id="result_list"')[1]
    # Each record shows a few lines: no row repeats a whole body.
    assert max(row.count(PARAGRAPH) for row in rows.split("<tr")) <= 2
    assert "另有" in rows or "字未改动" in rows
