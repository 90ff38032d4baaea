"""The five bundled sample pages through the real command and parser."""

import datetime

from articles.models import Article, Credit, DateSource, Issue, Page, Person
from articles.parsing import parse_page

from import_helpers import SAMPLE_000, SAMPLE_001, sample_text

MANIFEST_DATES = {
    "000_285f95864da877a9.txt": ("2023-08-18", "C1"),
    "001_754509dbfb55a7fd.txt": ("2023-03-10", "C1"),
    "002_7206550a6ff1634f.txt": ("2025-01-14", "1"),
    "003_cbb89e9e58ce2ee3.txt": ("2024-01-05", "1"),
    "004_bbd399b75d63cd0b.txt": ("2023-07-20", "11"),
}


def test_every_sample_gets_its_manifest_date_and_label(imported_samples, samples_dir):
    # The expectation is read from the bundled manifest, and checked against it.
    manifest = (samples_dir / "manifest.csv").read_text(encoding="utf-8")
    for name, (day, label) in MANIFEST_DATES.items():
        assert f"{name},{day},{label}," in manifest
    got = {page.source_name: (page.issue.date.isoformat(), page.label) for page in imported_samples}
    assert got == MANIFEST_DATES


def test_the_dated_page_takes_its_date_and_masthead_from_print(imported_samples):
    page = next(p for p in imported_samples if p.source_name == SAMPLE_001)
    assert page.date_source == DateSource.MASTHEAD
    assert page.issue.date == datetime.date(2023, 3, 10)
    assert page.issue.number == 5134
    assert "二月十九" in page.issue.lunar_date
    assert page.issue.weekday == "星期五"
    assert page.masthead["issue_number"] == 5134 and page.masthead["date"] == "2023-03-10"
    assert (page.editor, page.designer, page.proofreader) == ("戴琰", "李春霞", "张真")
    others = [p for p in imported_samples if p.source_name != SAMPLE_001]
    assert {p.date_source for p in others} == {DateSource.MANIFEST}


def test_pages_keep_raw_text_and_every_parsed_article_in_order(imported_samples, samples_dir):
    for page in imported_samples:
        text = (samples_dir / page.source_name).read_text(encoding="utf-8")
        assert page.raw_text == text
        record = parse_page(text)
        assert page.leftover_text == record.leftover_text
        stored = list(page.articles.order_by("position"))
        assert [(a.position, a.title, a.kind, a.body) for a in stored] == [
            (r.position, r.title, r.kind, r.body) for r in record.articles
        ]
        for article, article_record in zip(stored, record.articles):
            credits = [(c.person.name, c.role) for c in article.credits.select_related("person").order_by("order")]
            assert credits == [("".join(c.name.split()), c.role) for c in article_record.credits]
            assert article.continued_to == article_record.continued_to
            assert article.needs_review == article_record.needs_review


def test_sidebar_points_at_its_main_article(imported_samples):
    records = {p.source_name: parse_page(p.raw_text) for p in imported_samples}
    checked = 0
    for page in imported_samples:
        for record in records[page.source_name].articles:
            if record.parent_position:
                article = page.articles.get(position=record.position)
                assert article.parent.position == record.parent_position
                assert article.parent.page_id == page.pk
                checked += 1
    assert checked >= 1


def test_people_are_one_row_per_name(imported_samples):
    names = list(Person.objects.values_list("name", flat=True))
    assert len(names) == len(set(names))
    assert all(" " not in name and "\u3000" not in name for name in names)
    # 王强 is printed "王 强" on several pages: still one person with many credits.
    wang = Person.objects.get(name="王强")
    assert Credit.objects.filter(person=wang).values("article__page").distinct().count() >= 2


def test_orphan_byline_stays_on_its_page(imported_samples):
    page = next(p for p in imported_samples if p.source_name == SAMPLE_000)
    record = parse_page(sample_text(SAMPLE_000))
    assert record.orphan_bylines, "sample 000 ends with a byline of no article"
    assert page.orphan_bylines == [
        {"text": b.text, "credits": [{"name": c.name, "role": c.role} for c in b.credits], "lines": b.lines}
        for b in record.orphan_bylines
    ]
    assert page.needs_review and page.review_reasons


def test_counts_match_the_parse(imported_samples):
    expected = sum(len(parse_page(p.raw_text).articles) for p in imported_samples)
    assert Article.objects.count() == expected
    assert Issue.objects.count() == 5
    assert Page.objects.count() == 5


def test_people_are_recorded_by_what_they_are(imported_samples):
    kinds = dict(Person.objects.values_list("name", "kind"))
    # 言成声 signs commentaries with no role word: a pen name. 本报评论员 signs
    # for the paper. 黄雨欣 signs a sidebar without a role but is a reporter.
    assert (kinds["言成声"], kinds["本报评论员"], kinds["黄雨欣"], kinds["王强"]) == (
        "pen_name", "institution", "person", "person",
    )
