"""Shaping model rows for templates and JSON: citations, crumbs, headline trees, an issue's date evidence."""

from ..labels import PAPER, date_note
from ..models import DATE_SOURCE_RANK, DateSource, Role
from .lunar import issue_lunar_date

# Roles whose holders are the authors of the text in a bibliographic sense.
AUTHOR_ROLES = {Role.REPORTER, Role.TRAINEE_REPORTER, Role.CORRESPONDENT, Role.COMMENTATOR, Role.AUTHOR}


def issue_date_source(pages):
    """The best date evidence among an issue's pages."""
    ranks = [DATE_SOURCE_RANK.index(p.date_source) for p in pages if p.date_source in DATE_SOURCE_RANK]
    return DATE_SOURCE_RANK[min(ranks)] if ranks else DateSource.UNKNOWN


def citation(article):
    """The article as a GB/T 7714-2015 newspaper reference ([N]).

    Form: 责任者. 题名: 其他题名信息[N]. 报纸名, 出版日期(版次).
    More than three authors are cut to three and "等", as the standard says.
    """
    names = []
    for credit in article.credits.all():
        if credit.role in AUTHOR_ROLES and credit.person.name not in names:
            names.append(credit.person.name)
    if len(names) > 3:
        names = names[:3] + ["等"]
    title = article.title
    subtitle = article.subtitle.lstrip("—－- ").strip()
    if subtitle:
        title += f": {subtitle}"
    page = article.page
    where = PAPER
    if page.issue_id:
        where += f", {page.issue.date.isoformat()}"
        if page.label:
            where += f"({page.label})"
    authors = ", ".join(names)
    note = date_note(page.date_source) if page.issue_id else ""
    # GB/T 7714 has no slot for an unprinted date; a note after the entry keeps it honest.
    return (f"{authors}. " if authors else "") + f"{title}[N]. {where}." + (f"（{note}）" if note else "")


def split_terms(query):
    """Words to mark in an article reached from a search, longest first."""
    terms = {term for term in (query or "").split() if term}
    return sorted(terms, key=len, reverse=True)[:10]


def issue_label(issue):
    from .dates import date_cn, weekday_cn

    return f"{date_cn(issue.date)} {issue.weekday or weekday_cn(issue.date)}"


def crumbs(issue=None, page=None, article=None):
    """Date › page › article, each a link but the last."""
    trail = []
    if issue is not None:
        trail.append({"label": issue_label(issue), "url": issue.get_absolute_url(),
                      "note": issue_lunar_date(issue)})
    elif page is not None:
        trail.append({"label": "日期不详", "url": None, "note": ""})
    if page is not None:
        label = page.label_cn + (f" {page.section}" if page.section else "")
        trail.append({"label": label, "url": page.get_absolute_url(), "note": ""})
    if article is not None:
        trail.append({"label": article.title, "url": article.get_absolute_url(), "note": ""})
    if trail:
        trail[-1]["current"] = True
    return trail


def headline_tree(articles):
    """A page's articles as its contents list: top-level ones in reading order,
    each with ``nav_sidebars`` (its sidebars, and theirs, in reading order).

    A sidebar whose parent is not among them stands at its own place.
    """
    articles = list(articles)
    ids = {a.pk for a in articles}
    children = {}
    for article in articles:
        if article.parent_id in ids:
            children.setdefault(article.parent_id, []).append(article)

    def descendants(article):
        found = []
        for child in children.get(article.pk, []):
            found += [child, *descendants(child)]
        return found

    top = [a for a in articles if a.parent_id not in ids]
    for article in top:
        article.nav_sidebars = descendants(article)
    return top
