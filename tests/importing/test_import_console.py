"""What the import command tells the person who runs it."""

from articles.models import Article, Issue, Page


def test_rerun_reports_what_the_archive_holds(import_pages, samples_dir):
    code, first, err = import_pages(samples_dir, "--no-copy")
    assert code == 0, err
    holds = f"档案现有：{Issue.objects.count()} 期、{Page.objects.count()} 个版面、{Article.objects.count()} 篇文章"
    assert holds in first
    code, again, err = import_pages(samples_dir, "--no-copy")
    assert code == 0, err
    assert "未变 5" in again and holds in again
    assert Article.objects.count() > 20 and "共 0 篇" not in again


def test_dry_run_says_its_totals_exclude_it(import_pages, samples_dir):
    code, out, err = import_pages(samples_dir, "--no-copy", "--dry-run")
    assert code == 0, err
    assert "档案现有（演练未写入，不含本次）：0 期、0 个版面、0 篇文章" in out
