"""Export format 2 loses nothing: export, load into an empty archive, export again, byte for byte.

Run on the five samples after the edits staff make: a headline and a credit
fixed in the form, a reason cleared for the import, a person merged, an
article split and two merged.
"""

import json
from io import StringIO

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from articles.admin import segment_ops
from articles.models import (
    Article, ChangeRecord, Credit, IndexTask, Issue, Page, Person, PersonAlias, ReviewLevel,
)

from admin_helpers import article_form_data, person

TITLE = "“两面锦旗”唱响营商环境“创优曲”"


def export():
    out = StringIO()
    call_command("export_articles", "--format", "2", stdout=out)
    return out.getvalue()


def empty_the_archive():
    for model in (ChangeRecord, Credit, Article, Page, Issue, PersonAlias, Person, IndexTask):
        model.objects.all().delete()


def load(tmp_path, text):
    path = tmp_path / "archive.jsonl"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import_archive", str(path), stdout=out)
    return out.getvalue()


def staff_edits(client, editor):
    article = Article.objects.get(title=TITLE)
    data = article_form_data(article, title="两面锦旗唱响营商环境创优曲")
    for index, credit in enumerate(article.credits.order_by("order", "id")):
        if credit.person.name == "顾秋叶":
            data[f"credits-{index}-person"] = person("顾秋野").pk
    assert client.post(reverse("admin:articles_article_change", args=[article.pk]), data).status_code == 302
    (run,) = set(Page.objects.values_list("import_run", flat=True))
    client.post(reverse("admin:articles_review_queue"), {"clear_reason": "两行标题", "run_scope": run})
    wrong, right = Person.objects.get(name="顾秋叶"), Person.objects.get(name="顾秋野")
    client.post(reverse("admin:articles_person_changelist"), {
        "action": "merge_selected", ACTION_CHECKBOX_NAME: [wrong.pk, right.pk], "merge": "1", "winner": right.pk})
    first = Article.objects.get(page__source_name__startswith="002", position=1)
    segment_ops.split(editor, first.pk, len(first.blocks) - 1, "拆出的一篇")
    merged = Article.objects.get(page__source_name__startswith="000", position=3)
    segment_ops.merge(editor, merged.pk)


def test_round_trip_after_edits_split_and_merge_is_byte_identical(editor_client, editor, imported_samples, tmp_path):
    staff_edits(editor_client, editor)
    assert PersonAlias.objects.filter(name="顾秋叶").exists()
    assert {"split", "merge", "review", "change"} <= set(ChangeRecord.objects.values_list("action", flat=True))
    first = export()

    empty_the_archive()
    assert "已导入：5 个版面" in load(tmp_path, first)
    assert export() == first

    # What the archive shows came back whole, ids and links included.
    article = Article.objects.get(title="两面锦旗唱响营商环境创优曲")
    assert [c.person.name for c in article.credits.order_by("order")] == ["李雨婷", "顾秋野"]
    assert set(article.edited_fields) >= {"title", "credits"}
    assert Article.objects.filter(title="拆出的一篇").exists()
    assert Article.objects.filter(parent__isnull=False).exists()
    assert Person.objects.get(name="顾秋野").aliases.filter(name="顾秋叶").exists()
    cleared = [a for a in Article.objects.all() if "两行标题" in a.cleared_reasons]
    assert cleared and all(a.review_level != ReviewLevel.MAY or len(a.review_reasons) > 1 for a in cleared)
    assert User.objects.get(username="editor").archive_changes.count() == ChangeRecord.objects.filter(
        user__isnull=False).count() > 0
    # New rows after the load get fresh ids, not ones the export used.
    assert Person.objects.create(name="新来的").pk > max(p.pk for p in Person.objects.exclude(name="新来的"))


def test_format_2_holds_what_format_1_dropped(imported_samples):
    lines = [json.loads(line) for line in export().splitlines()]
    assert lines[0]["kind"] == "people" and {line["format"] for line in lines} == {2}
    pages = [line for line in lines if line["kind"] == "page"]
    assert len(pages) == 5
    articles = [a for line in pages for a in line["articles"]]
    assert len(articles) == 28
    lead = next(a for a in articles if a["lead"].startswith("核心提示"))
    assert lead["lead"] and lead["blocks"]
    assert any(a["dateline"] == "本报讯" for a in articles)
    assert any(a["byline"].startswith("■") for a in articles)
    assert any(a["parent"] for a in articles) and any(a["source_spans"] for a in articles)
    assert any(b["kind"] == "subhead" for a in articles for b in a["blocks"])
    notes = {line["page"]["source"]: line["page"]["import_note"] for line in pages}
    assert all(note.startswith(("Inferred from content", "Masthead prints")) for note in notes.values())
    assert any(line["page"]["section"] for line in pages) and any(line["page"]["editor"] for line in pages)
    assert all(isinstance(a["history"], int) for a in articles)


def test_export_query_count_does_not_grow_with_pages(imported_samples, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        export()


def test_a_load_refuses_a_bad_line_and_a_full_archive(imported_samples, tmp_path):
    from django.core.management.base import CommandError

    text = export()
    try:
        load(tmp_path, text)
    except CommandError as error:
        assert "档案不是空的" in str(error) and "archive.jsonl" in str(error)
    else:
        raise AssertionError("a full archive was loaded into")

    empty_the_archive()
    broken = text.splitlines()
    broken[2] = broken[2].replace('"format": 2', '"format": 1', 1)
    try:
        load(tmp_path, "\n".join(broken) + "\n")
    except CommandError as error:
        assert "archive.jsonl:3" in str(error)
    else:
        raise AssertionError("a bad line was loaded")
    assert not Page.objects.exists() and not Person.objects.exists()


def test_unknown_users_of_the_history_come_back_inactive(editor_client, editor, imported_samples, tmp_path):
    staff_edits(editor_client, editor)
    text = export()
    empty_the_archive()
    User.objects.filter(username="editor").delete()
    load(tmp_path, text)
    user = User.objects.get(username="editor")
    assert not user.is_active and not user.has_usable_password()
    assert export() == text
