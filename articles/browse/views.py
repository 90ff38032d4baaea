"""Reader pages: home, calendar, issue, page, article, person, people.

Each page is one context function: it asks queries.py for rows (a fixed
number of queries each) and presenters.py for shapes. ``twin`` turns each
into an HTML view and its JSON twin, so both always say the same thing.
"""

import functools
from datetime import date as Date

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from .. import addresses
from ..models import PageRole, PersonKind, Role
from . import citation_views, citing, dates, pinyin, places, queries
from .cache import cached_page
from .lunar import issue_lunar_date
from .presenters import citation, crumbs, headline_tree, issue_date_source
from ..labels import credits_by_role, date_note, page_date_note
from .search_hook import article_search_context, related_reports
from .twin import Moved, json_error, twin

# Above this many articles a person's page shows one year at a time.
PERSON_PAGE_LIMIT = 300
RECENT_ISSUES = 8


def _canonical(request, obj_or_path):
    path = obj_or_path if isinstance(obj_or_path, str) else obj_or_path.get_absolute_url()
    return request.build_absolute_uri(path)


def _shown_month(request, latest):
    """(year, month) the home calendar shows: ?month=2023-08, else the latest issue's."""
    shown = dates.parse_month(request.GET.get("month", ""))
    if shown is not None:
        return shown
    day = latest.date if latest else dates.local_today()
    return day.year, day.month


def home_context(request):
    latest = queries.latest_issue()
    today = dates.local_today()
    pages = queries.issue_pages(latest) if latest else []
    year, month = _shown_month(request, latest)
    before, after = queries.months_around(year, month)
    recent = queries.recent_issues(RECENT_ISSUES)
    for issue in recent:
        issue.date_note = date_note(issue.date_source)
    on_this_day = queries.on_this_day(today)
    for day in on_this_day:
        day["date_note"] = date_note(issue_date_source([a.page for a in day["articles"]]))
    return {
        "latest": latest,
        "pages": pages,
        "date_note": date_note(issue_date_source(pages)) if latest else "",
        "today": today,
        "on_this_day": on_this_day,
        "lunar": issue_lunar_date(latest) if latest else "",
        "prev_issue": queries.neighbour_issues(latest.date)[0] if latest else None,
        "month": dates.month_grid(year, month, _date_notes(year)) if latest else None,
        "prev_month": before,
        "next_month": after,
        "recent_issues": recent,
        "canonical": _canonical(request, reverse("home")),
        "json_url": reverse("api_home"),
    }


def _date_notes(year):
    """{issue date: its date note} for one year's calendar."""
    return {day: date_note(source) for day, source in queries.issue_dates(year=year).items()}


def calendar_index_context(request):
    return {
        "years": queries.issue_years(),
        "canonical": _canonical(request, reverse("calendar")),
        "json_url": reverse("api_calendar"),
    }


class NoYear(Http404):
    """No paper that year; the HTML page names the nearest years that have some."""

    def __init__(self, year, years):
        self.year = year
        self.before = max((y for y in years if y < year), default=None)
        self.after = min((y for y in years if y > year), default=None)
        nearest = "、".join(f"{y}年" for y in (self.before, self.after) if y)
        super().__init__(f"档案中没有{year}年的报纸。" + (f"最近的年份：{nearest}。" if nearest else ""))


def calendar_year_context(request, year):
    years = [entry.year for entry in queries.issue_years()]
    if not 1 <= year <= 9999:
        raise NoYear(year, years)
    issue_dates = _date_notes(year)
    if not issue_dates and year not in years:
        raise NoYear(year, years)
    return {
        "year": year,
        "months": dates.year_grids(year, issue_dates),
        # What the calendar's * stands for, said on the page (a tooltip is no use on a phone).
        "date_marks": sorted({note for note in issue_dates.values() if note}),
        "issue_count": len(issue_dates),
        "prev_year": max((y for y in years if y < year), default=None),
        "next_year": min((y for y in years if y > year), default=None),
        "canonical": _canonical(request, reverse("calendar_year", kwargs={"year": year})),
        "json_url": reverse("api_calendar_year", kwargs={"year": year}),
    }


class NoIssue(Http404):
    """No paper that day; the HTML page offers the nearest issues instead."""

    def __init__(self, day):
        super().__init__(f"{day.isoformat()} 没有报纸。")
        self.day = day


def issue_context(request, date):
    found = queries.Issue.objects.filter(date=date).first()
    if found is None:
        raise NoIssue(date)
    before, after = queries.neighbour_issues(date)
    pages = queries.issue_pages(found)
    source = issue_date_source(pages)
    return {
        "issue": found,
        "pages": pages,
        "date_source": source,
        "date_note": date_note(source),
        "crumbs": crumbs(issue=found),
        "lunar": issue_lunar_date(found),
        "prev_issue": before,
        "next_issue": after,
        "canonical": _canonical(request, found),
        "json_url": reverse("api_issue", kwargs={"date": found.date}),
    }


def _page_context(request, page):
    articles = queries.page_articles(page)
    # Every page of the issue with its headlines: the edition's table of contents.
    edition = queries.issue_pages(page.issue) if page.issue_id else [page]
    if not page.issue_id:
        page.headlines = headline_tree(articles)
    index = next((i for i, p in enumerate(edition) if p.pk == page.pk), None)
    prev_page = edition[index - 1] if index else None
    next_page = edition[index + 1] if index is not None and index + 1 < len(edition) else None
    for article in articles:
        article.page = page
        article.credit_groups = credits_by_role(article.credits.all())
        # One COinS span an article: a reference manager offers to save the page's articles at once.
        article.coins = citing.coins(citing.from_article(article, request.build_absolute_uri))
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
    return {
        "prev_issue": before,
        "next_issue": after,
        "page": page,
        "issue": page.issue,
        "date_source": page.date_source,
        "date_note": page_date_note(page),
        "articles": top + orphans,
        "edition": edition,
        "crumbs": crumbs(issue=page.issue, page=page),
        "lunar": issue_lunar_date(page.issue) if page.issue else "",
        "prev_page": prev_page,
        "next_page": next_page,
        "staff": request.user.is_staff,
        "citation_downloads": citation_views.page_download_links(request, page),
        "canonical": _canonical(request, page),
        "json_url": _page_json_path(page),
    }


def page_context(request, date, label):
    try:
        found = queries.get_page(issue__date=date, label=label)
    except Http404:
        moved = addresses.page_moved(date, label)
        if moved is None:
            raise
        raise Moved(moved.get_absolute_url(), _page_json_path(moved)) from None
    return _page_context(request, found)


def _page_json_path(page):
    if page.issue_id and page.label:
        return reverse("api_page", kwargs={"date": page.issue.date, "label": page.label})
    return reverse("api_page_by_id", kwargs={"pk": page.pk})


def page_by_id_context(request, pk):
    return _page_context(request, queries.get_page(pk=pk))


@require_safe
@cached_page
def page_raw(request, date, label):
    """The page's text exactly as imported, for reading beside the parse or reuse."""
    found = queries.get_page(issue__date=date, label=label)
    return HttpResponse(found.raw_text, content_type="text/plain; charset=utf-8")


@require_safe
@cached_page
def page_raw_by_id(request, pk):
    """The same for a page without date or label (reached by id)."""
    return HttpResponse(queries.get_page(pk=pk).raw_text, content_type="text/plain; charset=utf-8")


def _article_context(request, article):
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
    mark = search.pop("mark")
    blocks = [
        {"kind": block.get("kind", "p"), "html": mark(block.get("text", ""))}
        for block in (article.blocks or [])
    ]
    if not blocks and article.body:
        blocks = [{"kind": "p", "html": mark(text)}
                  for text in article.body.split("\n\n") if text.strip()]
    sidebars = list(article.sidebars.all())
    for sidebar in sidebars:
        sidebar.credit_groups = credits_by_role(sidebar.credits.all())
        sidebar.rendered_blocks = [
            {"kind": b.get("kind", "p"), "html": mark(b.get("text", ""))}
            for b in (sidebar.blocks or [])
        ]
        sidebar.page = page
    before, after = queries.neighbour_issues(issue.date) if issue else (None, None)
    dated = issue and page.label
    reference = citing.from_article(article, request.build_absolute_uri)
    return {
        "prev_issue": before,
        "next_issue": after,
        "article": article,
        "page": page,
        "issue": issue,
        "blocks": blocks,
        "headline_html": {part: mark(getattr(article, part))
                          for part in ("column", "kicker", "title", "subtitle")},
        "credit_groups": credits_by_role(article.credits.all()),
        "places": list(article.article_places.all()),
        "sidebars": sidebars,
        "continued_by": list(article.continued_by.all()),
        # None when the index cannot answer: the page leaves the section out.
        "related": related_reports(article),
        "prev_article": neighbour(order[index - 1] if index > 0 else None),
        "next_article": neighbour(order[index + 1] if index + 1 < len(order) else None),
        "citation": citation(article),
        "reference": reference,
        "citation_meta": citing.meta_tags(reference),
        "citation_downloads": citation_views.download_links(request, "article_citation", pk=article.pk),
        "date_source": page.date_source,
        "date_note": page_date_note(page) if issue else "",
        "search": search,
        "query": search["query"],
        "crumbs": crumbs(issue=issue, page=page, article=article),
        "lunar": issue_lunar_date(issue) if issue else "",
        "permalink": _canonical(request, article.get_permanent_url()),
        "canonical": _canonical(request, article.get_permanent_url()),
        "json_url": (reverse("api_article", kwargs={"date": issue.date, "label": page.label,
                                                    "position": article.position}) if dated
                     else reverse("api_article_by_id", kwargs={"pk": article.pk})),
    }


def article_context(request, date, label, position):
    """The article at a dated address; the one the address first named, if staff moved it since."""
    try:
        found = queries.get_article(page__issue__date=date, page__label=label, position=position)
    except Http404:
        found = None
    named = addresses.named_by(date, label, position)
    if named is None or (found is not None and found.pk == named):
        if found is None:
            raise Http404("没有这篇文章。")
        return _article_context(request, found)
    held = addresses.holder(named)
    if found is None:
        if held is None:
            raise Http404("这个地址上的文章已被删除。")
        raise Moved(held.get_permanent_url(), reverse("api_article_by_id", kwargs={"pk": held.pk}))
    context = _article_context(request, found)
    # Someone citing this address before the change meant another article: say where it went.
    context["address_moved"] = {
        "address": request.path, "title": held.title if held else "",
        "url": held.get_permanent_url() if held else "", "merged": held is not None and held.pk != named,
        "now_at": held.position if held else None,
    }
    return context


def article_by_id_context(request, pk):
    try:
        return _article_context(request, queries.get_article(pk=pk))
    except Http404:
        held = addresses.holder(pk)
        if held is None:
            raise Http404("没有这篇文章（可能已被删除）。") from None
        raise Moved(held.get_permanent_url(), reverse("api_article_by_id", kwargs={"pk": held.pk})) from None


def person_context(request, pk):
    found = queries.get_person(pk)
    per_year = queries.person_year_counts(found)
    total = sum(per_year.values())
    years = sorted((y for y in per_year if y is not None), reverse=True)
    year = dates.shown_year(request, per_year, total, PERSON_PAGE_LIMIT, found.name + "在{year}年没有署名文章。")
    credits = queries.person_credits(found, year=year)
    roles = {}
    labels = dict(Role.choices)
    for credit in credits:
        credit.article.date_note = date_note(credit.article.page.date_source) if credit.article.page.issue_id else ""
        roles.setdefault(credit.role, []).append(credit.article)
    by_role = [
        {"role": role, "label": labels.get(role, role), "articles": articles}
        for role, articles in sorted(roles.items(), key=lambda item: -len(item[1]))
    ]
    # The pages they are printed as 编辑, 版式 or 校对 of (the year shown, when one is).
    page_roles = {}
    for credit in queries.person_pages(found, year=year):
        credit.page.date_note = date_note(credit.page.date_source) if credit.page.issue_id else ""
        page_roles.setdefault(credit.role, []).append(credit.page)
    page_labels = dict(PageRole.choices)
    return {
        "person": found,
        "aliases": list(found.aliases.all()),
        "by_role": by_role,
        "page_roles": [{"role": role, "label": page_labels[role], "pages": page_roles[role]}
                       for role in PageRole.values if role in page_roles],
        "per_year": [{"year": y, "count": per_year[y], "selected": y == year} for y in years],
        "undated": per_year.get(None, 0),
        "total": total,
        "year": year,
        "all_on_one_page": total <= PERSON_PAGE_LIMIT,
        "canonical": _canonical(request, found),
        "json_url": reverse("api_person", kwargs={"pk": found.pk}),
    }


@require_safe
def person_by_name(request, name):
    """A byline name (as the search index keeps it) to that person's page, through aliases too."""
    return redirect(queries.person_named(name))


def people_context(request):
    """People by pinyin under initial letters; institutions (本报评论员) apart; ?role= narrows."""
    role = request.GET.get("role", "")
    if role and role not in Role.values:
        raise Http404(f"没有“{role}”这种署名身份。")
    rows = queries.people_with_counts(role=role or None)
    institutions = sorted((p for p in rows if p.kind == PersonKind.INSTITUTION), key=lambda p: pinyin.sort_key(p.name))
    people = sorted((p for p in rows if p.kind != PersonKind.INSTITUTION), key=lambda p: pinyin.sort_key(p.name))
    groups = []
    for person in people:
        person.initial = pinyin.initial(person.name)
        if not groups or groups[-1]["letter"] != person.initial:
            groups.append({"letter": person.initial, "people": []})
        groups[-1]["people"].append(person)
    groups.sort(key=lambda g: (g["letter"] == "#", g["letter"]))
    present = {g["letter"] for g in groups}
    return {
        "groups": groups,
        "letters": [{"letter": c, "present": c in present} for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ#"],
        "institutions": institutions,
        "people_count": len(people),
        "role": role,
        "roles": [{"value": value, "label": label, "selected": value == role} for value, label in Role.choices],
        "canonical": _canonical(request, reverse("people")),
        "json_url": reverse("api_people") + (f"?role={role}" if role else ""),
    }


home, api_home = twin(home_context, "articles/home.html")
calendar_index, api_calendar = twin(calendar_index_context, "articles/calendar_index.html")
_calendar_year_html, api_calendar_year = twin(calendar_year_context, "articles/calendar_year.html")
_issue_html, api_issue = twin(issue_context, "articles/issue.html")
page, api_page = twin(page_context, "articles/page.html")
article, api_article = twin(article_context, "articles/article.html")
person, api_person = twin(person_context, "articles/person.html")
people, api_people = twin(people_context, "articles/people.html")
place, api_place = twin(places.place_context, "articles/place.html")
places_index, api_places = twin(places.places_context, "articles/places.html")


@require_safe
def place_by_name(request, name):
    """A place's name or alias (as search results give it) to its page."""
    return redirect(places.place_named(name))
_page_by_id_html, api_page_by_id = twin(page_by_id_context, "articles/page.html")
# The permanent link: served here, never redirected to a dated address that may change meaning.
article_by_id, api_article_by_id = twin(article_by_id_context, "articles/article.html")


@require_safe
@functools.wraps(_page_by_id_html)
def page_by_id(request, pk):
    """A page by id: its dated address when it has one, else rendered here (no date or label)."""
    found = queries.Page.objects.filter(pk=pk).select_related("issue").only("id", "label", "issue__date").first()
    if found is not None and found.issue_id and found.label:
        return redirect(found, permanent=True)
    return _page_by_id_html(request, pk=pk)


@functools.wraps(_calendar_year_html)
def calendar_year(request, year):
    try:
        return _calendar_year_html(request, year=year)
    except NoYear as missing:
        return render(request, "articles/no_year.html", {
            "year": missing.year, "prev_year": missing.before, "next_year": missing.after,
            "message": str(missing), "years": queries.issue_years(),
        }, status=404)


@require_safe
def unpadded_date(request, year, month, day, rest):
    try:
        found = Date(int(year), int(month), int(day))
    except ValueError:
        raise Http404(f"{year}-{month}-{day} 不是一个日期。") from None
    if found.isoformat() == f"{year}-{month}-{day}":
        raise Http404("没有这个页面。")  # already written in full: nothing else to send it to
    target = f"/{found.isoformat()}/{rest}"
    query = request.GET.urlencode()
    return redirect(target + (f"?{query}" if query else ""), permanent=True)


@require_safe
def api_unknown(request, rest):
    return json_error(f"没有这个数据接口：/api/{rest}", 404)


@functools.wraps(_issue_html)
def issue(request, date):
    try:
        return _issue_html(request, date=date)
    except NoIssue as missing:
        return _no_issue(request, missing.day)


def _no_issue(request, day):
    before, after = queries.neighbour_issues(day)
    return render(request, "articles/no_issue.html", {
        "day": day, "prev_issue": before, "next_issue": after,
    }, status=404)


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


@require_safe
def robots_txt(request):
    return render(request, "robots.txt", {
        "sitemap_url": request.build_absolute_uri(reverse("sitemap")),
    }, content_type="text/plain; charset=utf-8")
