"""The export_articles contract: other tools read it, so it must not drift."""

import json
from io import StringIO

from django.core.management import call_command

from articles.exporting import EXPORT_KEYS
from articles.models import Article, Person, page_sort_key
from articles.parsing import parse_page
from import_helpers import batch

KEYS = ["source", "issue_date", "page", "position", "kind", "column", "kicker", "title", "subtitle",
        "credits", "body", "continued_to", "continued_from", "needs_review", "review_level", "review_reasons"]
TYPES = {
    "source": (str,), "issue_date": (str, type(None)), "page": (str, type(None)), "position": (int,),
    "kind": (str,), "column": (str,), "kicker": (str,), "title": (str,), "subtitle": (str,),
    "credits": (list,), "body": (str,), "continued_to": (str,), "continued_from": (str,), "needs_review": (bool,),
    "review_level": (str,), "review_reasons": (list,),
}


def export():
    out = StringIO()
    call_command("export_articles", stdout=out)
    text = out.getvalue()
    assert text.endswith("\n") or text == ""
    return text, [json.loads(line) for line in text.splitlines()]


def test_exact_keys_in_order_and_types(imported_samples):
    assert list(EXPORT_KEYS) == KEYS
    text, rows = export()
    assert len(rows) == Article.objects.count() > 0
    for row in rows:
        assert list(row) == KEYS
        for key, value in row.items():
            assert isinstance(value, TYPES[key]), (key, value)
        for credit in row["credits"]:
            assert list(credit) == ["name", "role"]
            assert isinstance(credit["name"], str) and isinstance(credit["role"], str)


def test_chinese_is_written_as_is(imported_samples):
    text, rows = export()
    assert "\\u" not in text
    assert "五大“根基”筑实璀璨明珠坚强底座" in text


def test_order_is_issue_date_page_position(imported_samples):
    _, rows = export()
    keys = [(row["issue_date"], row["page"], row["position"]) for row in rows]
    assert keys == sorted(keys, key=lambda k: (k[0], page_sort_key(k[1]), k[2]))
    assert rows[0]["issue_date"] == "2023-03-10" and rows[0]["position"] == 1
    assert rows[-1]["issue_date"] == "2025-01-14"


def test_values_follow_the_archive(imported_samples):
    _, rows = export()
    for page in imported_samples:
        record = parse_page(page.raw_text)
        mine = [row for row in rows if row["source"] == page.source_name]
        assert [row["title"] for row in mine] == [a.title for a in record.articles]
        assert [row["body"] for row in mine] == [a.body for a in record.articles]
        assert [[c["name"] for c in row["credits"]] for row in mine] == [
            [c.name for c in a.credits] for a in record.articles]
        assert {row["page"] for row in mine} == {page.label}
        assert {row["issue_date"] for row in mine} == {page.issue.date.isoformat()}


def test_staff_edits_are_what_is_exported(imported_samples):
    article = Article.objects.order_by("pk").first()
    article.title = "人工订正"
    article.save()
    article.credits.all().delete()
    article.credits.create(person=Person.objects.create(name="新作者"), role="correspondent", order=1)
    _, rows = export()
    row = next(r for r in rows if r["source"] == article.page.source_name and r["position"] == article.position)
    assert row["title"] == "人工订正" and row["credits"] == [{"name": "新作者", "role": "correspondent"}]


def test_undated_page_exports_nulls(import_pages, tmp_path):
    text = "平湖发布\n\n## 我市举办春季招聘会\n\n■记者 林旭东\n\n本报讯 昨天，我市春季招聘会举行。\n"
    code, _, err = import_pages(batch(tmp_path, {"u.txt": text}))
    assert code == 0, err
    _, rows = export()
    assert len(rows) == 1
    row = rows[0]
    assert (row["source"], row["issue_date"], row["page"]) == ("u.txt", None, None)
    assert row["credits"] == [{"name": "林旭东", "role": "reporter"}]


def test_empty_archive_exports_nothing(db):
    assert export() == ("", [])


def test_export_query_count_does_not_grow_with_articles(imported_samples, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        export()
