"""JSON views for reuse of the archive's data.

In the manner of newspaper archives' APIs (Chronicling America): every
object has a JSON twin at its HTML address plus ``.json`` under /api/, and
objects link to each other by absolute URL, so a client can walk from the
list of issues to an issue, a page, an article and a person without
building URLs itself.
"""

from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from . import dates, queries
from .cache import cached_page
from .lunar import issue_lunar_date
from .presenters import EDITION, PAPER, date_note, issue_date_source


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False, "indent": 1})


def _abs(request, path):
    return request.build_absolute_uri(path)


def _issue_urls(request, day):
    return {
        "url": _abs(request, reverse("issue", kwargs={"date": day})),
        "json_url": _abs(request, reverse("api_issue", kwargs={"date": day})),
    }


def _page_urls(request, page):
    kwargs = {"date": page.issue.date, "label": page.label}
    return {
        "url": _abs(request, reverse("page", kwargs=kwargs)),
        "json_url": _abs(request, reverse("api_page", kwargs=kwargs)),
        "raw_text_url": _abs(request, reverse("page_raw", kwargs=kwargs)),
    }


def _article_urls(request, article, page):
    kwargs = {"date": page.issue.date, "label": page.label, "position": article.position}
    return {
        "url": _abs(request, reverse("article", kwargs=kwargs)),
        "json_url": _abs(request, reverse("api_article", kwargs=kwargs)),
    }


def _credit(request, credit):
    return {
        "name": credit.person.name,
        "role": credit.role,
        "role_label": credit.get_role_display(),
        "url": _abs(request, reverse("person", kwargs={"pk": credit.person_id})),
        "json_url": _abs(request, reverse("api_person", kwargs={"pk": credit.person_id})),
    }


def _not_found(message):
    return _json({"error": message}, status=404)


@require_safe
def issues(request):
    """Every issue by date; ``?year=2023`` narrows to one year."""
    year = request.GET.get("year")
    qs = queries.Issue.objects.order_by("date").only("date", "number", "lunar_date")
    if year:
        if not year.isdigit():
            return _json({"error": "year 应为四位数字，如 ?year=2023"}, status=400)
        qs = qs.filter(date__year=int(year))
    return _json({
        "title": f"{PAPER}·{EDITION}",
        "issues": [
            {"date": i.date.isoformat(), "number": i.number, "lunar_date": issue_lunar_date(i),
             **_issue_urls(request, i.date)}
            for i in qs
        ],
    })


@require_safe
@cached_page
def issue(request, date):
    found = queries.Issue.objects.filter(date=date).first()
    if found is None:
        return _not_found(f"{date.isoformat()} 没有报纸。")
    pages = queries.issue_pages(found)
    before, after = queries.neighbour_issues(date)
    return _json({
        "date": found.date.isoformat(),
        "date_cn": dates.date_cn(found.date),
        "weekday": found.weekday or dates.weekday_cn(found.date),
        "lunar_date": issue_lunar_date(found),
        "lunar_date_printed": bool(found.lunar_date),
        "date_source": issue_date_source(pages),
        "date_note": date_note(issue_date_source(pages)),
        "number": found.number,
        **_issue_urls(request, found.date),
        "previous_issue": _issue_urls(request, before.date) | {"date": before.date.isoformat()} if before else None,
        "next_issue": _issue_urls(request, after.date) | {"date": after.date.isoformat()} if after else None,
        "pages": [
            {"label": p.label, "section": p.section, "edition": p.edition,
             "editor": p.editor, "designer": p.designer, "proofreader": p.proofreader,
             "headlines": [a.title for a in p.articles.all() if not a.parent_id],
             **_page_urls(request, p)}
            for p in pages if p.label
        ],
    })


@require_safe
@cached_page
def page(request, date, label):
    found = queries.Page.objects.select_related("issue").filter(issue__date=date, label=label).first()
    if found is None:
        return _not_found(f"{date.isoformat()} 没有第{label}版。")
    articles = queries.page_articles(found)
    return _json({
        "issue": {"date": found.issue.date.isoformat(), **_issue_urls(request, found.issue.date)},
        "date_source": found.date_source,
        "date_note": date_note(found.date_source),
        "label": found.label,
        "section": found.section,
        "edition": found.edition,
        "editor": found.editor,
        "designer": found.designer,
        "proofreader": found.proofreader,
        **_page_urls(request, found),
        "articles": [
            {"position": a.position, "kind": a.kind, "column": a.column, "kicker": a.kicker,
             "title": a.title, "subtitle": a.subtitle,
             "credits": [_credit(request, c) for c in a.credits.all()],
             **_article_urls(request, a, found)}
            for a in articles
        ],
        "leftover_text": found.leftover_text,
        "orphan_bylines": found.orphan_bylines,
    })


def _link(request, other):
    if other is None or not other.page.issue_id or not other.page.label:
        return None
    return {"title": other.title, "page": other.page.label, **_article_urls(request, other, other.page)}


@require_safe
@cached_page
def article(request, date, label, position):
    qs = queries.Article.objects.filter(page__issue__date=date, page__label=label, position=position)
    if not qs.exists():
        return _not_found(f"{date.isoformat()} 第{label}版没有第{position}篇文章。")
    found = queries.get_article(pk=qs.values_list("pk", flat=True)[0])
    page = found.page
    continued_by = next(iter(found.continued_by.all()), None)
    return _json({
        "issue": {"date": page.issue.date.isoformat(), **_issue_urls(request, page.issue.date)},
        "page": {"label": page.label, **_page_urls(request, page)},
        "date_source": page.date_source,
        "date_note": date_note(page.date_source),
        "position": found.position,
        "kind": found.kind,
        "kind_label": found.get_kind_display(),
        "column": found.column,
        "kicker": found.kicker,
        "title": found.title,
        "subtitle": found.subtitle,
        "lead": found.lead,
        "dateline": found.dateline,
        "credits": [_credit(request, c) for c in found.credits.all()],
        "blocks": found.blocks,
        "body": found.body,
        "continued_to": found.continued_to,
        "continued_from": found.continued_from,
        "continuation": _link(request, found.continuation),
        "continued_by": _link(request, continued_by),
        "parent": _link(request, found.parent),
        **_article_urls(request, found, page),
    })


@require_safe
@cached_page
def person(request, pk):
    found = queries.Person.objects.filter(pk=pk).first()
    if found is None:
        return _not_found(f"没有编号为 {pk} 的人物。")
    credits = queries.person_credits(found)
    return _json({
        "name": found.name,
        "kind": found.kind,
        "url": _abs(request, reverse("person", kwargs={"pk": pk})),
        "json_url": _abs(request, reverse("api_person", kwargs={"pk": pk})),
        "articles": [
            {"title": c.article.title, "role": c.role, "role_label": c.get_role_display(),
             "date": c.article.page.issue.date.isoformat() if c.article.page.issue_id else None,
             **(_article_urls(request, c.article, c.article.page)
                if c.article.page.issue_id and c.article.page.label else {})}
            for c in credits
        ],
    })
