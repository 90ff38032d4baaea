"""Reader views: home, calendar, issue, page, article, person.

Views are thin: they ask queries.py for rows (a fixed number of queries each)
and presenters.py for shapes, and hand both to a template.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from . import dates, queries
from .cache import cached_page
from .highlight import mark_terms
from .lunar import issue_lunar_date
from .presenters import citation, credits_by_role, crumbs, date_note, issue_date_source
from .search_hook import article_search_context


# Above this many articles a person's page shows one year at a time.
PERSON_PAGE_LIMIT = 300


def _canonical(request, obj_or_path):
    path = obj_or_path if isinstance(obj_or_path, str) else obj_or_path.get_absolute_url()
    return request.build_absolute_uri(path)


@require_safe
@cached_page
def home(request):
    latest = queries.latest_issue()
    today = dates.local_today()
    pages = queries.issue_pages(latest) if latest else []
    context = {
        "latest": latest,
        "pages": pages,
        "date_note": date_note(issue_date_source(pages)) if latest else "",
        "today": today,
        "on_this_day": queries.on_this_day(today),
        "canonical": _canonical(request, reverse("home")),
        "lunar": issue_lunar_date(latest) if latest else "",
        "prev_issue": queries.neighbour_issues(latest.date)[0] if latest else None,
    }
    if latest:
        month_dates = queries.issue_dates(year=latest.date.year)
        context["month"] = dates.month_grid(latest.date.year, latest.date.month, month_dates)
    return render(request, "articles/home.html", context)


@require_safe
@cached_page
def calendar_index(request):
    years = queries.issue_years()
    return render(request, "articles/calendar_index.html", {
        "years": years,
        "canonical": _canonical(request, reverse("calendar")),
    })


@require_safe
@cached_page
def calendar_year(request, year):
    if not 1 <= year <= 9999:
        raise Http404("没有这一年。")
    issue_dates = queries.issue_dates(year=year)
    years = [y for y, _ in queries.issue_years()]
    if not issue_dates and year not in years:
        raise Http404(f"{year}年没有报纸。")
    return render(request, "articles/calendar_year.html", {
        "year": year,
        "months": dates.year_grids(year, issue_dates),
        "issue_count": len(issue_dates),
        "prev_year": max((y for y in years if y < year), default=None),
        "next_year": min((y for y in years if y > year), default=None),
        "canonical": _canonical(request, reverse("calendar_year", kwargs={"year": year})),
    })


@require_safe
def jump(request):
    """A typed date: to its issue, or back to the calendar with a message."""
    typed = request.GET.get("date", "")
    day = dates.parse_typed_date(typed)
    if day is None:
        return render(request, "articles/calendar_index.html", {
            "years": queries.issue_years(),
            "typed": typed,
            "error": f"“{typed}”不是有效的日期，请按 2023-03-10 的格式输入。" if typed else "请输入日期。",
        }, status=400)
    return redirect("issue", date=day)


def _no_issue(request, day):
    before, after = queries.neighbour_issues(day)
    return render(request, "articles/no_issue.html", {
        "day": day, "prev_issue": before, "next_issue": after,
    }, status=404)


@require_safe
@cached_page
def issue(request, date):
    found = queries.Issue.objects.filter(date=date).first()
    if found is None:
        return _no_issue(request, date)
    before, after = queries.neighbour_issues(date)
    pages = queries.issue_pages(found)
    return render(request, "articles/issue.html", {
        "issue": found,
        "pages": pages,
        "date_note": date_note(issue_date_source(pages)),
        "crumbs": crumbs(issue=found),
        "lunar": issue_lunar_date(found),
        "prev_issue": before,
        "next_issue": after,
        "canonical": _canonical(request, found),
    })


def _render_page(request, page):
    articles = queries.page_articles(page)
    siblings = queries.sibling_pages(page)
    index = next((i for i, p in enumerate(siblings) if p.pk == page.pk), None)
    prev_page = siblings[index - 1] if index else None
    next_page = siblings[index + 1] if index is not None and index + 1 < len(siblings) else None
    for item in (prev_page, next_page):
        if item is not None:
            item.issue = page.issue  # known already: no query per link
    for article in articles:
        article.page = page
        article.credit_groups = credits_by_role(article.credits.all())
        article.first_lines = next((b["text"] for b in article.blocks if b.get("kind", "p") == "p"), article.body[:200])
    top = [a for a in articles if not a.parent_id]
    children = {}
    for article in articles:
        if article.parent_id:
            children.setdefault(article.parent_id, []).append(article)
    orphans = [a for a in articles if a.parent_id and a.parent_id not in {t.pk for t in top}]
    for article in top:
        article.page_sidebars = children.get(article.pk, [])
    before, after = queries.neighbour_issues(page.issue.date) if page.issue_id else (None, None)
    return render(request, "articles/page.html", {
        "prev_issue": before,
        "next_issue": after,
        "page": page,
        "issue": page.issue,
        "date_note": date_note(page.date_source) if page.issue_id else "",
        "articles": top + orphans,
        "siblings": siblings,
        "crumbs": crumbs(issue=page.issue, page=page),
        "lunar": issue_lunar_date(page.issue) if page.issue else "",
        "prev_page": prev_page,
        "next_page": next_page,
        "canonical": _canonical(request, page),
    })


@require_safe
@cached_page
def page(request, date, label):
    return _render_page(request, queries.get_page(issue__date=date, label=label))


@require_safe
def page_by_id(request, pk):
    found = queries.get_page(pk=pk)
    if found.issue_id and found.label:
        return redirect(found, permanent=True)
    return _render_page(request, found)


@require_safe
@cached_page
def page_raw(request, date, label):
    """The page's text exactly as imported, for reading beside the parse or reuse."""
    found = queries.get_page(issue__date=date, label=label)
    return HttpResponse(found.raw_text, content_type="text/plain; charset=utf-8")


def _render_article(request, article):
    order = queries.issue_reading_order(article)
    index = next(i for i, row in enumerate(order) if row[0] == article.pk)
    page = article.page
    issue = page.issue

    def neighbour(row):
        if row is None:
            return None
        pk, label, position, title = row
        if issue and label:
            url = reverse("article", kwargs={"date": issue.date, "label": label, "position": position})
        else:
            url = reverse("article_by_id", kwargs={"pk": pk})
        return {"url": url, "title": title, "label": label}

    search = article_search_context(request, article)
    blocks = [
        {"kind": block.get("kind", "p"), "html": mark_terms(block.get("text", ""), search["terms"])}
        for block in (article.blocks or [])
    ]
    if not blocks and article.body:
        blocks = [{"kind": "p", "html": mark_terms(text, search["terms"])}
                  for text in article.body.split("\n\n") if text.strip()]
    sidebars = list(article.sidebars.all())
    for sidebar in sidebars:
        sidebar.credit_groups = credits_by_role(sidebar.credits.all())
        sidebar.rendered_blocks = [
            {"kind": b.get("kind", "p"), "html": mark_terms(b.get("text", ""), search["terms"])}
            for b in (sidebar.blocks or [])
        ]
        sidebar.page = page
    before, after = queries.neighbour_issues(issue.date) if issue else (None, None)
    return render(request, "articles/article.html", {
        "prev_issue": before,
        "next_issue": after,
        "article": article,
        "page": page,
        "issue": issue,
        "blocks": blocks,
        "headline_html": {part: mark_terms(getattr(article, part), search["terms"])
                          for part in ("column", "kicker", "title", "subtitle")},
        "credit_groups": credits_by_role(article.credits.all()),
        "sidebars": sidebars,
        "continued_by": list(article.continued_by.all()),
        "prev_article": neighbour(order[index - 1] if index > 0 else None),
        "next_article": neighbour(order[index + 1] if index + 1 < len(order) else None),
        "citation": citation(article),
        "date_note": date_note(page.date_source) if issue else "",
        "search": search,
        "query": search["query"],
        "crumbs": crumbs(issue=issue, page=page, article=article),
        "lunar": issue_lunar_date(issue) if issue else "",
        "permalink": _canonical(request, article),
        "canonical": _canonical(request, article),
    })


@require_safe
@cached_page
def article(request, date, label, position):
    found = queries.get_article(page__issue__date=date, page__label=label, position=position)
    return _render_article(request, found)


@require_safe
def article_by_id(request, pk):
    found = queries.get_article(pk=pk)
    if found.page.issue_id and found.page.label:
        return redirect(found, permanent=True)
    return _render_article(request, found)


@require_safe
@cached_page
def person(request, pk):
    found = queries.get_person(pk)
    per_year = queries.person_year_counts(found)
    total = sum(per_year.values())
    years = sorted((y for y in per_year if y is not None), reverse=True)
    year = request.GET.get("year", "")
    if year:
        if not (year.isdigit() and int(year) in per_year):
            raise Http404(f"{found.name}在{year}年没有署名文章。")
        year = int(year)
    elif total > PERSON_PAGE_LIMIT and years:
        # A prolific reporter's whole career would be one enormous page.
        year = years[0]
    else:
        year = None
    credits = queries.person_credits(found, year=year)
    roles = {}
    labels = dict(queries.Credit._meta.get_field("role").choices)
    for credit in credits:
        credit.article.date_note = date_note(credit.article.page.date_source) if credit.article.page.issue_id else ""
        roles.setdefault(credit.role, []).append(credit.article)
    by_role = [
        {"role": role, "label": labels.get(role, role), "articles": articles}
        for role, articles in sorted(roles.items(), key=lambda item: -len(item[1]))
    ]
    return render(request, "articles/person.html", {
        "person": found,
        "aliases": list(found.aliases.all()),
        "by_role": by_role,
        "per_year": [(y, per_year[y]) for y in years],
        "undated": per_year.get(None, 0),
        "total": total,
        "year": year,
        "all_on_one_page": total <= PERSON_PAGE_LIMIT,
        "canonical": _canonical(request, found),
    })


@require_safe
def person_by_name(request, name):
    """A byline name (as the search index keeps it) to that person's page, through aliases too."""
    return redirect(queries.person_named(name))


@require_safe
@cached_page
def people(request):
    return render(request, "articles/people.html", {
        "people": queries.people_with_counts(),
        "canonical": _canonical(request, reverse("people")),
    })


@require_safe
def robots_txt(request):
    return render(request, "robots.txt", {
        "sitemap_url": request.build_absolute_uri(reverse("sitemap")),
    }, content_type="text/plain; charset=utf-8")
