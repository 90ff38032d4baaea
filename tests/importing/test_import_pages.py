"""import_pages on hand-made batches: rejection, atomicity, dates, re-import."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.importing import importer
from articles.models import Article, Credit, DateSource, IndexTask, Issue, Page, Person, PersonAlias
from articles.parsing import parse_page
from import_helpers import PAGE_C2, SAMPLE_001, SAMPLE_004, batch, sample_text

D = datetime.date


def counts():
    return {model.__name__: model.objects.count() for model in (Issue, Page, Article, Credit, Person)}


EMPTY = {"Issue": 0, "Page": 0, "Article": 0, "Credit": 0, "Person": 0}


# -- rejection ---------------------------------------------------------------

def test_bad_files_are_rejected_by_name_and_good_ones_still_go_in(import_pages, tmp_path):
    good = sample_text(SAMPLE_004)
    folder = batch(tmp_path / "in", {
        "good.txt": good,
        "empty.txt": b"",
        "blank.txt": b"  \n\n\t \n",
        "nul.txt": good.encode("utf-8")[:300] + b"\x00" + good.encode("utf-8")[300:],
        "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "cut.txt": good.encode("utf-8")[:-1] if good.encode("utf-8")[-1] > 0x7F else good.encode("utf-8") + "平".encode()[:2],
        "notes.md": "not a page",  # not *.txt: not even looked at
    }, manifest={"good.txt": ("2023-07-20", "11")})
    code, out, err = import_pages(folder)
    assert code == 1
    for name, reason in [("empty.txt", "空文件"), ("blank.txt", "空白"), ("nul.txt", "NUL"),
                         ("image.txt", "PNG"), ("cut.txt", "截断")]:
        line = next(line for line in err.splitlines() if name in line)
        assert reason in line, line
    assert "notes.md" not in err + out
    assert list(Page.objects.values_list("source_name", flat=True)) == ["good.txt"]
    assert "拒收 5" in out


def test_rejected_only_run_stores_nothing(import_pages, tmp_path):
    folder = batch(tmp_path, {"empty.txt": b"", "bin.txt": bytes(range(256)) * 4})
    code, out, err = import_pages(folder)
    assert code == 1 and counts() == EMPTY


def test_missing_path_is_an_error(import_pages, tmp_path):
    code, out, err = import_pages(tmp_path / "nowhere")
    assert code == 1 and "nowhere" in err


def test_gbk_page_imports_like_its_utf8_original(import_pages, tmp_path):
    text = sample_text(SAMPLE_004)
    folder = batch(tmp_path, {"gbk.txt": text.encode("gbk")}, manifest={"gbk.txt": ("2023-07-20", "11")})
    code, out, err = import_pages(folder)
    assert code == 0, err
    page = Page.objects.get(source_name="gbk.txt")
    assert page.raw_text == text
    assert page.articles.count() == len(parse_page(text).articles)


def test_broken_manifest_rejects_the_files_it_covers(import_pages, tmp_path):
    folder = batch(tmp_path, {"a.txt": sample_text(SAMPLE_004)})
    (folder / "manifest.csv").write_text("file,date,page\na.txt,2023-13-01,11\n", encoding="utf-8")
    code, out, err = import_pages(folder)
    assert code == 1 and "manifest.csv:2" in err and "a.txt" in err
    assert counts() == EMPTY


def test_same_content_under_another_name_is_rejected(import_pages, tmp_path):
    text = sample_text(SAMPLE_004)
    folder = batch(tmp_path, {"a.txt": text, "b.txt": text},
                   manifest={"a.txt": ("2023-07-20", "11"), "b.txt": ("2023-07-21", "11")})
    code, out, err = import_pages(folder)
    assert code == 1 and "b.txt" in err and "a.txt" in err
    assert Page.objects.count() == 1


def test_two_files_claiming_one_page_of_one_issue(import_pages, tmp_path):
    folder = batch(tmp_path, {"a.txt": sample_text(SAMPLE_004), "b.txt": sample_text(SAMPLE_004) + "\n补一行。\n"},
                   manifest={"a.txt": ("2023-07-20", "11"), "b.txt": ("2023-07-20", "11")})
    code, out, err = import_pages(folder)
    assert code == 1 and "b.txt" in err and "第 11 版已由文件 a.txt 导入" in err
    assert list(Page.objects.values_list("source_name", flat=True)) == ["a.txt"]


# -- atomicity ---------------------------------------------------------------

def test_a_file_failing_mid_way_leaves_nothing(import_pages, tmp_path, monkeypatch):
    """A genuine constraint violation after pages, articles and people are written."""
    real = importer.credit_roles
    calls = []

    def doubled(record):
        credits, reasons = real(record)
        calls.append(record.position)
        # credit_unique_per_role is violated by the database, late in the file.
        if len(calls) == 3 and credits:
            credits = credits + credits[:1]
        return credits, reasons

    monkeypatch.setattr(importer, "credit_roles", doubled)
    folder = batch(tmp_path, {"a.txt": sample_text(SAMPLE_001)})
    code, out, err = import_pages(folder)
    assert code == 1 and "a.txt" in err and "IntegrityError" in err
    assert counts() == EMPTY
    assert IndexTask.objects.count() == 0  # no search task for rolled-back rows


# -- dates -------------------------------------------------------------------

def test_date_option_then_estimate_then_unknown(import_pages, tmp_path):
    text = sample_text(SAMPLE_004)  # no masthead date; text mentions 2023 and 1至6月
    code, _, err = import_pages(batch(tmp_path / "a", {"a.txt": text}), "--date", "2023-07-20", "--page", "11")
    assert code == 0, err
    page = Page.objects.get(source_name="a.txt")
    assert (page.issue.date, page.date_source, page.label) == (D(2023, 7, 20), DateSource.OPTION, "11")

    estimated = text.replace("经济创新", "经济创新 ", 1)  # another file, same evidence
    code, _, err = import_pages(batch(tmp_path / "b", {"b.txt": estimated}))
    assert code == 0, err
    page = Page.objects.get(source_name="b.txt")
    assert page.date_source == DateSource.ESTIMATED and page.needs_review
    assert any("推测" in reason for reason in page.review_reasons)

    undated = "平湖发布\n\n## 我市举办春季招聘会\n\n■记者 林旭东\n\n本报讯 昨天，我市春季招聘会举行，百余家企业提供岗位。\n"
    code, _, err = import_pages(batch(tmp_path / "c", {"c.txt": undated}))
    assert code == 0, err
    page = Page.objects.get(source_name="c.txt")
    assert (page.issue, page.date_source, page.needs_review) == (None, DateSource.UNKNOWN, True)


def test_estimated_date_never_takes_an_imported_page(import_pages, tmp_path):
    text = sample_text(SAMPLE_004)
    import_pages(batch(tmp_path / "a", {"a.txt": text}))  # estimated
    first = Page.objects.get(source_name="a.txt")
    assert first.date_source == DateSource.ESTIMATED
    code, out, err = import_pages(batch(tmp_path / "b", {"b.txt": text + "\n（完）\n"}))
    assert code == 0, err
    second = Page.objects.get(source_name="b.txt")
    assert second.issue is None and second.needs_review
    assert any("a.txt" in reason for reason in second.review_reasons)


def test_masthead_issue_details_go_on_the_issue(import_pages, tmp_path):
    code, _, err = import_pages(batch(tmp_path, {"a.txt": sample_text(SAMPLE_001)}))
    assert code == 0, err
    issue = Issue.objects.get()
    assert (issue.date, issue.number, issue.weekday) == (D(2023, 3, 10), 5134, "星期五")


# -- dry run -----------------------------------------------------------------

def test_dry_run_reports_and_stores_nothing(import_pages, samples_dir, settings):
    code, out, err = import_pages(samples_dir, "--dry-run")
    assert code == 0, err
    assert counts() == EMPTY and IndexTask.objects.count() == 0
    assert not any(settings.PHNEWS_DATA_DIR.iterdir())
    assert "演练" in out and "新增 5" in out
    assert "五大“根基”筑实璀璨明珠坚强底座" in out  # article titles are shown


def test_dry_run_still_fails_on_bad_files(import_pages, tmp_path):
    code, out, err = import_pages(batch(tmp_path, {"x.txt": b""}), "--dry-run")
    assert code == 1 and "x.txt" in err


# -- re-import ---------------------------------------------------------------

def snapshot():
    return {
        "pages": list(Page.objects.order_by("pk").values_list("pk", "updated_at", "content_hash")),
        "articles": list(Article.objects.order_by("pk").values_list("pk", "updated_at", "position", "title")),
        "credits": list(Credit.objects.order_by("pk").values_list("pk", "article_id", "person_id", "role", "order")),
        "people": list(Person.objects.order_by("pk").values_list("pk", "name")),
        "issues": list(Issue.objects.order_by("pk").values_list("pk", "updated_at")),
    }


def test_reimporting_unchanged_files_writes_nothing(imported_samples, import_pages, samples_dir):
    before = snapshot()
    tasks = IndexTask.objects.count()
    with CaptureQueriesContext(connection) as queries:
        code, out, err = import_pages(samples_dir, "--no-copy")
    assert code == 0 and "未变 5" in out
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert len(queries) <= 2 * 5  # a lookup or two per file, not per article
    assert snapshot() == before and IndexTask.objects.count() == tasks


def test_reparse_of_unchanged_files_changes_nothing_either(imported_samples, import_pages, samples_dir):
    before = snapshot()
    code, out, err = import_pages(samples_dir, "--no-copy", "--reparse")
    assert code == 0, err
    assert "更新 5" in out and "文章 新增 0、更新 0、删除 0" in out
    assert snapshot() == before


def changed_page(tmp_path, text, name="page.txt"):
    return batch(tmp_path, {name: text}, manifest={name: ("2023-03-10", "C1")})


def test_changed_file_replaces_the_parse_but_keeps_staff_edits(import_pages, tmp_path):
    text = sample_text(SAMPLE_001)
    folder = changed_page(tmp_path, text)
    assert import_pages(folder)[0] == 0
    page = Page.objects.get()
    first, second, third = page.articles.order_by("position")[:3]

    # Staff edits in the admin (which records the field names it changed).
    second.title = "人工订正的标题"
    second.edited_fields = ["title"]
    second.save()
    third.credits.all().delete()
    Credit.objects.create(article=third, person=Person.objects.create(name="人工添加"), role="reporter", order=1)
    third.edited_fields = ["credits"]
    third.save()
    page.section = "要闻"
    page.edited_fields = ["section"]
    page.save()
    ids = {a.position: a.pk for a in page.articles.all()}

    # The file changes: a sentence of the first article is corrected.
    old_phrase = "党建强，则根基稳"
    assert text.count(old_phrase) == 1
    (folder / "page.txt").write_text(text.replace(old_phrase, "党建强，根基就稳"), encoding="utf-8")
    code, out, err = import_pages(folder)
    assert code == 0, err
    assert "更新 1" in out and "保留的人工修改" in out and "人工订正的标题" in out

    page.refresh_from_db()
    assert page.section == "要闻"
    assert page.raw_text.count("党建强，根基就稳") == 1
    articles = {a.position: a for a in page.articles.all()}
    assert {a.position: a.pk for a in articles.values()} == ids  # same rows, same URLs
    assert "党建强，根基就稳" in articles[1].body
    assert articles[2].title == "人工订正的标题"
    assert [c.person.name for c in articles[3].credits.all()] == ["人工添加"]
    # An unedited article's credits follow the parse.
    record = parse_page(page.raw_text).articles[3]
    assert [(c.person.name, c.role) for c in articles[4].credits.order_by("order")] == [
        (c.name, c.role) for c in record.credits]


def test_staff_edited_article_that_left_the_parse_is_kept_and_flagged(import_pages, tmp_path):
    text = sample_text(SAMPLE_001)
    folder = changed_page(tmp_path, text)
    import_pages(folder)
    record = parse_page(text)
    gone, plain = record.articles[-1], record.articles[-2]
    page = Page.objects.get()
    edited = page.articles.get(position=gone.position)
    edited.kicker = "人工补的引题"
    edited.edited_fields = ["kicker"]
    edited.save()

    # Drop the source lines of the last two articles; only the edited one stays.
    dropped = set(gone.lines) | set(plain.lines)
    lines = text.split("\n")
    (folder / "page.txt").write_text("\n".join(l for i, l in enumerate(lines) if i not in dropped), encoding="utf-8")
    code, out, err = import_pages(folder)
    assert code == 0, err
    titles = set(page.articles.values_list("title", flat=True))
    assert gone.title in titles and plain.title not in titles
    kept = Article.objects.get(pk=edited.pk)
    assert kept.kicker == "人工补的引题" and kept.needs_review
    assert any("保留" in reason for reason in kept.review_reasons)
    assert "删除 1" in out and gone.title in out


def test_changed_date_moves_the_page_and_drops_the_empty_issue(import_pages, tmp_path):
    text = sample_text(SAMPLE_004)
    folder = batch(tmp_path, {"a.txt": text}, manifest={"a.txt": ("2023-07-20", "11")})
    import_pages(folder)
    batch(tmp_path, {"a.txt": text + "\n"}, manifest={"a.txt": ("2023-07-21", "11")})
    code, out, err = import_pages(folder)
    assert code == 0, err
    assert list(Issue.objects.values_list("date", flat=True)) == [D(2023, 7, 21)]


# -- people, continuations, search -------------------------------------------

def test_names_resolve_through_aliases(import_pages, tmp_path):
    merged = Person.objects.create(name="李雨婷（记者）")
    PersonAlias.objects.create(name="李 雨婷", person=merged)  # saved normalised
    import_pages(batch(tmp_path, {"a.txt": sample_text(SAMPLE_001)}))
    assert not Person.objects.filter(name="李雨婷").exists()
    assert Credit.objects.filter(person=merged).count() >= 1


@pytest.mark.parametrize("order", [("c1.txt", "c2.txt"), ("c2.txt", "c1.txt")])
def test_continuations_link_whichever_page_comes_first(import_pages, tmp_path, order):
    files = {"c1.txt": sample_text(SAMPLE_001), "c2.txt": PAGE_C2}
    manifest = {"c1.txt": ("2023-03-10", "C1"), "c2.txt": ("2023-03-10", "C2")}
    for name in order:
        code, _, err = import_pages(batch(tmp_path / name, {name: files[name]}, manifest={name: manifest[name]}))
        assert code == 0, err
    start = Article.objects.get(page__label="C1", continued_to="C2")
    rest = Article.objects.get(page__label="C2", continued_from="C1")
    assert start.continuation_id == rest.pk
    # Nothing else got linked.
    assert Article.objects.exclude(pk=start.pk).filter(continuation__isnull=False).count() == 0


def test_staff_set_continuation_is_not_undone(import_pages, tmp_path):
    folder = batch(tmp_path, {"c1.txt": sample_text(SAMPLE_001), "c2.txt": PAGE_C2},
                   manifest={"c1.txt": ("2023-03-10", "C1"), "c2.txt": ("2023-03-10", "C2")})
    import_pages(folder)
    start = Article.objects.get(page__label="C1", continued_to="C2")
    other = Article.objects.get(page__label="C2", position=2)
    start.continuation = other
    start.edited_fields = ["continuation"]
    start.save()
    (folder / "c2.txt").write_text(PAGE_C2 + "\n", encoding="utf-8")
    import_pages(folder)
    start.refresh_from_db()
    assert start.continuation_id == other.pk


def test_search_is_told_about_every_imported_article(import_pages, tmp_path):
    import_pages(batch(tmp_path, {"a.txt": sample_text(SAMPLE_004)}))
    queued = set(IndexTask.objects.values_list("article_id", flat=True))
    assert queued == set(Article.objects.values_list("pk", flat=True)) and queued


def test_a_copy_of_each_imported_file_is_kept(import_pages, tmp_path, settings):
    data = sample_text(SAMPLE_004).encode("gbk")
    import_pages(batch(tmp_path, {"a.txt": data}))
    copies = list((settings.PHNEWS_DATA_DIR / "pages").rglob("*.txt"))
    assert [copy.read_bytes() for copy in copies] == [data]
    assert copies[0].stem == Page.objects.get().content_hash


def test_progress_bar_on_request(import_pages, samples_dir):
    code, out, err = import_pages(samples_dir, "--progress", "--no-copy")
    assert code == 0 and "5/5" in err


def test_a_parser_crash_rejects_only_that_file(import_pages, tmp_path, monkeypatch):
    real = importer._parse

    def fragile(text):
        if "爆炸" in text:
            raise ValueError("unexpected layout")
        return real(text)

    monkeypatch.setattr(importer, "_parse", fragile)
    folder = batch(tmp_path, {"ok.txt": sample_text(SAMPLE_004), "bad.txt": "爆炸\n"},
                   manifest={"ok.txt": ("2023-07-20", "11")})
    code, out, err = import_pages(folder)
    assert code == 1 and "bad.txt" in err and "unexpected layout" in err
    assert list(Page.objects.values_list("source_name", flat=True)) == ["ok.txt"]


def test_a_page_without_articles_is_kept_and_flagged(import_pages, tmp_path):
    code, out, err = import_pages(batch(tmp_path, {"ads.txt": "平湖发布\n\n今平湖客户端\n"}), "--date", "2023-01-02")
    assert code == 0, err
    page = Page.objects.get()
    assert page.articles.count() == 0 and page.needs_review
    assert "平湖发布" in page.raw_text


def test_corrected_manifest_moves_an_unchanged_page(import_pages, tmp_path):
    text = sample_text(SAMPLE_004)
    folder = batch(tmp_path, {"a.txt": text}, manifest={"a.txt": ("2023-07-02", "11")})
    import_pages(folder)
    page = Page.objects.get()
    batch(tmp_path, {}, manifest={"a.txt": ("2023-07-20", "11")})
    code, out, err = import_pages(folder)
    assert code == 0 and "更新 1" in out
    page.refresh_from_db()
    assert page.issue.date == D(2023, 7, 20) and page.date_source == DateSource.MANIFEST
    assert list(Issue.objects.values_list("date", flat=True)) == [D(2023, 7, 20)]
    # The masthead's date is printed fact: a manifest cannot move that page.
    dated = batch(tmp_path / "m", {"m.txt": sample_text(SAMPLE_001)}, manifest={"m.txt": ("2023-03-10", "C1")})
    import_pages(dated)
    batch(dated, {}, manifest={"m.txt": ("2023-03-11", "C1")})
    code, out, err = import_pages(dated)
    assert "未变 1" in out
    assert Page.objects.get(source_name="m.txt").issue.date == D(2023, 3, 10)


def test_explicit_manifest_and_overlapping_paths(import_pages, tmp_path):
    folder = batch(tmp_path / "pages", {"a.txt": sample_text(SAMPLE_004)},
                   manifest={"a.txt": ("2023-07-01", "11")})
    explicit = batch(tmp_path / "lists", {}, manifest={"a.txt": ("2023-07-20", "11")}) / "manifest.csv"
    code, out, err = import_pages(folder, folder / "a.txt", "--manifest", explicit)
    assert code == 0, err
    assert "文件 1 个" in out  # named twice, imported once
    assert Page.objects.get().issue.date == D(2023, 7, 20)


def test_unreadable_explicit_manifest_rejects_everything(import_pages, tmp_path):
    folder = batch(tmp_path, {"a.txt": sample_text(SAMPLE_004)})
    code, out, err = import_pages(folder, "--manifest", tmp_path / "missing.csv")
    assert code == 1 and "missing.csv" in err and counts() == EMPTY


def test_staff_changed_article_list_is_not_undone(import_pages, tmp_path):
    """The admin adds "articles" to Page.edited_fields when staff add, move or delete articles."""
    text = sample_text(SAMPLE_001)
    folder = changed_page(tmp_path, text)
    import_pages(folder)
    page = Page.objects.get()
    deleted = page.articles.order_by("position").last()
    deleted_title = deleted.title
    deleted.delete()
    added = Article.objects.create(page=page, position=50, title="人工补录的简讯", body="正文。",
                                   edited_fields=["body", "page", "position", "title"])
    page.edited_fields = ["articles"]
    page.save()
    count = page.articles.count()

    (folder / "page.txt").write_text(text.replace("党建强，则根基稳", "党建强，根基就稳"), encoding="utf-8")
    code, out, err = import_pages(folder)
    assert code == 0, err
    assert page.articles.count() == count
    assert not page.articles.filter(title=deleted_title).exists()  # the deletion stands
    added.refresh_from_db()
    assert (added.title, added.position, added.needs_review) == ("人工补录的简讯", 50, False)
    assert "党建强，根基就稳" in page.articles.get(position=1).body  # matched ones still follow the file
    assert deleted_title in out and "未重新建立" in out


def test_article_placed_by_staff_is_kept_quietly(import_pages, tmp_path):
    folder = changed_page(tmp_path, sample_text(SAMPLE_001))
    import_pages(folder)
    page = Page.objects.get()
    added = Article.objects.create(page=page, position=60, title="人工补录", body="正文。",
                                   edited_fields=["page", "title"])
    (folder / "page.txt").write_text(sample_text(SAMPLE_001) + "\n", encoding="utf-8")
    code, out, err = import_pages(folder)
    assert code == 0, err
    added.refresh_from_db()
    assert added.title == "人工补录" and not added.needs_review
