"""Review levels through the import: 须复核 sets needs_review, 可复核 only stands beside it,
the summary counts both by reason, and every page remembers the run that wrote it."""

import json
from io import StringIO

from django.core.management import call_command

from articles.models import Article, Page, ReviewLevel
from articles.parsing.guesses import classify, review_level
from import_helpers import SAMPLE_001, batch, sample_text


def summary_counts(out, level_name):
    """{reason key: articles} from the summary line of one level."""
    line = next((l for l in out.splitlines() if l.startswith(f"{level_name}原因（文章数）：")), "")
    if not line:
        return {}
    return {key: int(n) for key, n in (item.rsplit(" ", 1) for item in line.split("：", 1)[1].split("、"))}


def test_levels_follow_the_reasons_and_the_summary_counts_them(import_pages, samples_dir):
    code, out, err = import_pages(samples_dir, "--no-copy")
    assert code == 0, err
    articles = list(Article.objects.all())
    assert len(articles) == 28
    for article in articles:
        assert article.review_level == review_level(article.review_reasons)
        assert article.needs_review == (article.review_level == ReviewLevel.MUST)
    must = [a for a in articles if a.review_level == ReviewLevel.MUST]
    may = [a for a in articles if a.review_level == ReviewLevel.MAY]
    # The samples are all parsed exactly: most guesses there are about a heading's layers.
    assert len(may) > len(must) >= 1
    assert f"须复核 版面 {Page.objects.filter(needs_review=True).count()}、文章 {len(must)}；可复核 文章 {len(may)}；" in out

    expected = {"须复核": {}, "可复核": {}}
    for article in must + may:
        for key, level in {classify(r) for r in article.review_reasons}:
            names = expected["须复核" if level == ReviewLevel.MUST else "可复核"]
            names[key] = names.get(key, 0) + 1
    assert summary_counts(out, "须复核") == expected["须复核"]
    assert summary_counts(out, "可复核") == expected["可复核"]
    assert expected["可复核"]["两行标题"] >= 1


def test_each_page_names_the_run_that_last_changed_it(import_pages, samples_dir, tmp_path):
    assert import_pages(samples_dir, "--no-copy")[0] == 0
    runs = set(Page.objects.values_list("import_run", flat=True))
    assert len(runs) == 1 and runs != {""}
    (first_run,) = runs

    # Nothing changed: the pages keep the run that wrote them.
    assert import_pages(samples_dir, "--no-copy", "--reparse")[0] == 0
    assert set(Page.objects.values_list("import_run", flat=True)) == {first_run}

    # A corrected file: its page now answers to the new run, the others do not.
    text = sample_text(SAMPLE_001).replace("潜力十足", "潜力巨大", 1)
    assert import_pages(batch(tmp_path, {SAMPLE_001: text}), "--no-copy")[0] == 0
    changed = Page.objects.get(source_name=SAMPLE_001).import_run
    assert changed not in ("", first_run)
    assert set(Page.objects.exclude(source_name=SAMPLE_001).values_list("import_run", flat=True)) == {first_run}


def test_export_says_needs_review_for_must_only_and_carries_level_and_reasons(imported_samples):
    out = StringIO()
    call_command("export_articles", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    levels = {row["review_level"] for row in rows}
    assert levels == {"must", "may", ""}
    for row in rows:
        assert row["needs_review"] == (row["review_level"] == "must")
        assert row["review_level"] == review_level(row["review_reasons"])
    may = next(row for row in rows if row["review_level"] == "may")
    assert may["review_reasons"] and not may["needs_review"]

