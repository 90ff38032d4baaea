"""The import command's report, as lines of text."""

from collections import Counter

from articles.models import Article, DateSource, Issue, Page
from articles.parsing.guesses import LEVEL_NAMES, MAY, MUST

SOURCE_NAMES = dict(DateSource.choices)


def archive_totals():
    """(issues, pages, articles) the archive holds now."""
    return Issue.objects.count(), Page.objects.count(), Article.objects.count()


def summarize(results, dry_run=False, verbosity=1, totals=None):
    lines = []
    prefix = "【演练，未写入】" if dry_run else ""
    imported = [r for r in results if r.status in ("new", "updated")]
    if verbosity >= 1 or dry_run:
        for result in imported:
            lines.append(prefix + _describe(result))
            if verbosity >= 2 or dry_run:
                lines.extend(f"    ! {reason}" for reason in result.page_reasons)
            if verbosity >= 2 or dry_run:
                lines.extend(f"    {n}. {title}" for n, title in enumerate(result.titles, start=1))
        if verbosity >= 2:
            lines.extend(f"未变 {r.path}" for r in results if r.status == "unchanged")

    kept = [(r, line) for r in imported for line in r.kept]
    if kept:
        lines.append("保留的人工修改：")
        lines.extend(f"  {r.path.name}：{line}" for r, line in kept)

    count = lambda status: sum(1 for r in results if r.status == status)  # noqa: E731
    people = sorted({name for r in imported for name in r.people_created})
    lines.append(
        f"{prefix}汇总：文件 {len(results)} 个；"
        f"版面 新增 {count('new')}、更新 {count('updated')}、未变 {count('unchanged')}；"
        f"文章 新增 {sum(r.articles_created for r in imported)}、更新 {sum(r.articles_updated for r in imported)}、"
        f"删除 {sum(r.articles_deleted for r in imported)}；"
        f"新人物 {len(people)}；"
        f"须复核 版面 {sum(1 for r in imported if r.page_flagged)}、文章 {sum(r.articles_flagged for r in imported)}；"
        f"可复核 文章 {sum(r.articles_may for r in imported)}；"
        f"保留人工修改 {len(kept)} 处；"
        f"拒收 {count('rejected')}"
    )
    reasons = Counter()
    for result in imported:
        reasons.update(result.reason_counts)
    for level in (MUST, MAY):
        counted = sorted(((n, key) for (key, lv), n in reasons.items() if lv == level), key=lambda x: (-x[0], x[1]))
        if counted:
            lines.append(f"{prefix}{LEVEL_NAMES[level]}原因（文章数）：" + "、".join(f"{key} {n}" for n, key in counted))
    if totals is not None:
        # What a re-run that changed nothing most wants to know: what is there.
        issues, pages, articles = totals
        lines.append(f"档案现有{'（演练未写入，不含本次）' if dry_run else ''}：{issues} 期、{pages} 个版面、{articles} 篇文章")
    return lines


def _describe(result):
    when = f"{result.issue_date}" if result.issue_date else "日期不详"
    where = f"第 {result.label} 版" if result.label else "版次不详"
    action = "新建" if result.status == "new" else "更新"
    flag = "，待复核" if result.page_flagged else ""
    return (
        f"{action} {result.path}：{when} {where}（日期来源：{SOURCE_NAMES.get(result.date_source, result.date_source)}）"
        f"，文章 {result.articles_total} 篇{flag}"
    )
