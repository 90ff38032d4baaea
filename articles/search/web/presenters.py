"""What the search page shows around the stored hits: result items, chart bars, facet links, pager."""

from django.urls import Resolver404, resolve, reverse

from articles.browse import citing
from articles.browse.presenters import AUTHOR_ROLES
from articles.labels import date_note
from articles.models import Kind, Role

from articles.search import marks
from articles.search.web.params import query_string

KIND_LABELS = dict(Kind.choices)
ROLE_BY_LABEL = {label: value for value, label in Role.choices}

# Shown under the search box; each must find something in the bundled sample
# pages (tests/search/test_search_views.py runs them).
HELP_EXAMPLES = {
    "phrase": "“营商环境”",
    "exclude": "平湖 -上海",
    "or": "招商 OR 开工",
    "title": "篇名:营商环境",
    "person": "作者:林旭东",
    "column": "栏目:一把手访谈",
    "page": "版次:C1",
}


def byline(credits_text):
    """[(role value, role label, name)] from a stored credit line ("记者 林旭东 胡佳英 通讯员 王晨慧")."""
    found, role = [], ""
    for word in (credits_text or "").split():
        if word in ROLE_BY_LABEL:
            role = word
        else:
            found.append((ROLE_BY_LABEL.get(role, ""), role, word))
    return found


def person_url(name):
    # By name, not id: result pages are built from the index alone, without a query.
    return reverse("person_by_name", kwargs={"name": name})


def result_items(request, result):
    """Each hit as the page shows it and the API gives it: marked title and kicker, absolute links,
    the link that opens the article inside this search (previous/next result), credits as objects."""
    absolute = request.build_absolute_uri
    req = result.request
    items = []
    for hit in result.hits:
        json_url = _json_url(hit.url)
        items.append({
            "id": hit.id,
            "rank": hit.rank + 1,
            "title": hit.title,
            "title_html": hit.title_html,
            "subtitle": hit.subtitle,
            "kicker": hit.kicker,
            "kicker_html": marks.highlight(hit.kicker, result.terms) if hit.kicker else "",
            "column": hit.column,
            "issue_date": hit.issue_date,
            "date_source": hit.date_source or None,
            "date_note": _date_note(hit),
            "page": hit.page,
            "url": absolute(hit.url),
            "json_url": absolute(json_url) if json_url else None,
            "url_in_search": absolute(f"{hit.url}?{query_string(req, hit=hit.rank + 1)}"),
            "snippet": hit.snippet,
            "credits": [
                {"name": name, "role": role, "role_label": label, "url": absolute(person_url(name))}
                for role, label, name in byline(hit.credits)
            ],
            "coins": citing.coins(reference(hit, absolute)),
            "places": [{"name": name, "url": absolute(reverse("place_by_name", kwargs={"name": name}))}
                       for name in hit.places],
        })
    return items


def reference(hit, absolute):
    """A stored hit as a bibliographic record (citing.Reference), its credit line read back by ``byline``."""
    authors = []
    for role, _label, name in byline(hit.credits):
        if role in AUTHOR_ROLES and name not in authors:
            authors.append(name)
    return citing.Reference(
        id=hit.id,
        title=citing.printed_title(hit.kicker, hit.title, hit.subtitle),
        authors=authors,
        date=hit.issue_date,
        date_note=_date_note(hit),
        page=hit.page,
        url=citing.permanent_url(absolute, hit.id),
    )


def _date_note(hit):
    # An index written before the source was stored knows nothing: say nothing rather than guess.
    return date_note(hit.date_source) if hit.issue_date and hit.date_source else ""


def _json_url(url):
    """The JSON twin of an article's reader address, or None (an undated page has none)."""
    try:
        match = resolve(url)
    except Resolver404:
        return None
    return reverse("api_article", kwargs=match.kwargs) if match.url_name == "article" else None


def chart(result):
    """Bars of matches per year, or per month once a year is chosen or all fall in one year.

    Each bar links to the same search narrowed to its period.
    """
    req = result.request
    years = result.years
    by_month = bool(req.year or req.month) or len(years) == 1
    if by_month:
        year = req.year or (req.month[:4] if req.month else next(iter(years), ""))
        if not year:
            return None
        counts = {m: n for m, n in result.months.items() if m.startswith(year)}
        bars = [(f"{year}-{m:02d}", f"{m}月") for m in range(1, 13)]
        title = f"{year}年各月命中篇数"
        link = lambda key: query_string(req, year=key[:4], month=key, page="")  # noqa: E731
    else:
        if not years:
            return None
        first, last = int(min(years)), int(max(years))
        counts = years
        bars = [(str(y), f"{y}") for y in range(first, last + 1)]
        title = "各年命中篇数"
        link = lambda key: query_string(req, year=key, month="", page="")  # noqa: E731
    top = max(counts.values(), default=0) or 1
    return {
        "title": title,
        "bars": [
            {"key": key, "label": label, "count": counts.get(key, 0),
             "percent": round(100 * counts.get(key, 0) / top), "query": link(key),
             "selected": key in (req.year, req.month)}
            for key, label in bars
        ],
    }


def facet_links(result):
    req = result.request
    return {
        "years": [
            {"value": y, "label": f"{y}年", "count": n, "selected": req.year == y,
             "query": query_string(req, year="" if req.year == y else y, month="", page="")}
            for y, n in sorted(result.years.items(), reverse=True)
        ],
        "kinds": [
            {"value": k, "label": KIND_LABELS.get(k, k), "count": n, "selected": req.kind == k,
             "query": query_string(req, kind="" if req.kind == k else k, page="")}
            for k, n in sorted(result.kinds.items(), key=lambda kv: -kv[1])
        ],
        "columns": [
            {"value": c, "label": c, "count": n, "selected": req.column == c,
             "query": query_string(req, column="" if req.column == c else c, page="")}
            for c, n in sorted(result.columns.items(), key=lambda kv: -kv[1])[:15]
        ],
        "places": [
            {"value": p, "label": p, "count": n, "selected": req.place == p,
             "query": query_string(req, place="" if req.place == p else p, page="")}
            for p, n in sorted(result.places.items(), key=lambda kv: (-kv[1], kv[0]))[:15]
        ],
    }


def pager(result, window=3):
    req = result.request
    last = result.pages
    numbers = sorted({1, last, *range(max(1, req.page - window), min(last, req.page + window) + 1)})
    items, previous = [], 0
    for n in numbers:
        if n - previous > 1:
            items.append({"gap": True})
        items.append({"number": n, "current": n == req.page, "query": query_string(req, page=n if n > 1 else "")})
        previous = n
    return {
        "items": items if last > 1 else [],
        "prev": query_string(req, page=req.page - 1 if req.page > 2 else "") if req.page > 1 else None,
        "next": query_string(req, page=req.page + 1) if req.page < last else None,
    }


def active_filters(req):
    """(label, link that removes it) for each filter in force."""
    found = []
    for attr, param, label in (
        ("date_from", "from", "起"), ("date_to", "to", "止"), ("year", "year", "年份"), ("month", "month", "月份"),
        ("person", "person", "作者"), ("kind", "kind", "体裁"), ("column", "column", "栏目"), ("page_label", "label", "版次"),
        ("place", "place", "地点"),
    ):
        value = getattr(req, attr)
        if value:
            shown = KIND_LABELS.get(value, value) if attr == "kind" else value
            changes = {param: "", "page": ""}
            if attr == "year":
                changes["month"] = ""
            found.append({"label": f"{label}：{shown}", "query": query_string(req, **changes)})
    return found
