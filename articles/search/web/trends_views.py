"""词语趋势: the trends page and its JSON twin (/api/trends), from one context function.

Parameters: ``q`` once per term (1–4, the search syntax), ``place`` and
``person`` (the search page's filters), ``field`` and ``match`` (for every
term, as on the search page), ``per=100`` (per 100 articles of the period as
well), ``by=month`` or ``by=year`` (otherwise month, or year over spans longer
than trends.MAX_MONTHS).
"""

from django.urls import reverse

from articles.browse.twin import twin
from articles.clients import client_address
from articles.search import service, trends
from articles.search.querylang import FIELDS, MATCH_MODES
from articles.search.text import strip_format_characters
from articles.search.web import trend_chart
from articles.search.web.params import query_string, request_from, trends_query
from articles.search.web.views import answer_status, any_origin

# What the form, the chart and the table need; the JSON has the same numbers in "series".
HTML_ONLY = ("chart", "table", "problems", "rejected", "form_terms", "fields", "match_modes", "periods_by",
             "per_links", "result")


def terms_of(params):
    """The non-empty ``q`` values, stripped, each once, in the order given."""
    found = (strip_format_characters(value).strip() for value in params.getlist("q"))
    return list(dict.fromkeys(term for term in found if term))


def trends_context(request):
    params = request.GET
    terms = terms_of(params)
    # The search page's own reading of the filters: the same trimming, the same field and match names.
    base, _, _ = request_from({name: params.get(name, "") for name in ("place", "person", "field", "match")})
    per = params.get("per") == "100"
    by = params.get("by") if params.get("by") in trends.PERIODS else ""
    rejected = []
    if len(terms) > trends.MAX_TERMS:
        rejected.append(f"最多比较{trends.MAX_TERMS}个词语，这里有{len(terms)}个；请去掉一些再试。")
    if terms and not rejected:
        found = trends.trends(terms, place=base.place, person=base.person, field=base.field, match=base.match,
                              by=by, client=client_address(request))
    else:
        found = trends.Trends(series=[trends.Series(q=term) for term in terms], place=base.place,
                              person=base.person)
    series = _series(request, found, base, per)
    problems = [*rejected, *filter(None, [found.error])]
    problems += [f"“{item['q']}”：{item['error']}" for item, *_ in series if item["error"]]
    drawn = [line for line in series if not line[0]["error"]]
    context = {
        "terms": terms,
        "place": base.place,
        "person": base.person,
        "field": base.field,
        "match": base.match,
        "per": 100 if per else None,
        "by": found.by,
        "periods": found.periods,
        "printed": [found.printed.get(period, 0) for period in found.periods],
        "series": [item for item, *_ in series],
        "json_url": f"{reverse('api_trends')}?{request.GET.urlencode()}" if terms else None,
        "problems": problems,
        "rejected": bool(rejected),
        "result": found,
        "chart": _chart(found, drawn, per),
        "table": _table(found, drawn, per),
        "form_terms": (terms + [""] * trends.MAX_TERMS)[:max(trends.MAX_TERMS, len(terms))],
        "fields": FIELDS.items(),
        "match_modes": MATCH_MODES.items(),
        "periods_by": {key: (label, trends_query(base, terms, per="100" if per else "", by=key))
                       for key, label in trends.PERIODS.items()},
        "per_links": (trends_query(base, terms, by=by), trends_query(base, terms, by=by, per="100")),
    }
    if problems:
        context["error"] = " ".join(problems)
    return context


def _series(request, found, base, per):
    """(JSON item, counts, per-100 values, search links) of each term; a term not counted has no points."""
    absolute = request.build_absolute_uri
    series = []
    for s in found.series:
        req = service.SearchRequest(q=s.q, field=base.field, match=base.match, place=base.place, person=base.person)
        periods = found.periods if not s.error else []
        links = [f"{reverse('search')}?{query_string(req, **{found.by: period})}" for period in periods]
        counts, per_hundred = (found.counts(s), found.per_hundred(s)) if periods else ([], [])
        item = {"q": s.q, "error": s.error, "count": s.count,
                "search_url": absolute(f"{reverse('search')}?{query_string(req)}"), "points": []}
        for period, n, hundredth, link in zip(periods, counts, per_hundred, links):
            point = {"period": period, "count": n, "url": absolute(link)}
            if per:
                point["per_hundred"] = hundredth
            item["points"].append(point)
        series.append((item, counts, per_hundred, links))
    return series


def _chart(found, drawn, per):
    lines = []
    for item, counts, per_hundred, links in drawn:
        values = per_hundred if per else counts
        tips = [f"{item['q']} · {trend_chart.period_label(p)}："
                + (f"每百篇中{'—' if v is None else v}篇" if per else f"{v}篇")
                for p, v in zip(found.periods, values)]
        lines.append((item["q"], values, links, tips))
    made = trend_chart.chart(found.periods, lines)
    if made:
        what = "每百篇文章中提及的篇数" if per else "提及的文章篇数"
        made["title"] = f"{what}（{trends.PERIODS[found.by]}）"
    return made


def _table(found, drawn, per):
    rows = []
    for k, period in enumerate(found.periods):
        cells = []
        for item, counts, per_hundred, links in drawn:
            cells.append({"count": counts[k], "href": links[k], "per_hundred": per_hundred[k] if per else None})
        rows.append({"period": period, "label": trend_chart.period_label(period), "cells": cells,
                     "printed": found.printed.get(period, 0)})
    return {"terms": [item["q"] for item, *_ in drawn], "rows": rows} if drawn and rows else None


# Not cached: counts come from the index, which catches up with the archive after its queue drains.
trends_page, _api_trends = twin(trends_context, "articles/trends.html", cached=False, html_only=HTML_ONLY,
                                finish=answer_status)
api_trends = any_origin(_api_trends)
