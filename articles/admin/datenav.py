"""Date drill-down for the article list, read from the issues table.

Django's date hierarchy asks the article list itself for its years, months
and days: a DISTINCT over every article joined to its page and issue, which
takes most of the list's time on a large archive. The days the paper came
out are the same question asked of the issues table (one row a day, indexed
by date), so the links are built from there. They list days with an issue
whatever other filters are set; the filters still apply to the results.
"""

import datetime

from django.utils import formats
from django.utils.text import capfirst

from articles.models import Issue

FIELD = "page__issue__date"


def issue_date_nav(cl):
    year_field, month_field, day_field = (f"{FIELD}__{part}" for part in ("year", "month", "day"))

    def value(name):
        raw = cl.params.get(name)
        if isinstance(raw, list):
            raw = raw[-1] if raw else None
        return int(raw) if raw and str(raw).isdigit() else None

    def link(filters):
        return cl.get_query_string(filters, [f"{FIELD}__"])

    year, month, day = value(year_field), value(month_field), value(day_field)
    issues = Issue.objects.order_by()
    if year and month and day:
        try:
            chosen = datetime.date(year, month, day)
        except ValueError:
            return {"show": False}
        return {
            "show": True,
            "back": {"link": link({year_field: year, month_field: month}),
                     "title": capfirst(formats.date_format(chosen, "YEAR_MONTH_FORMAT"))},
            "choices": [{"title": capfirst(formats.date_format(chosen, "MONTH_DAY_FORMAT"))}],
        }
    if year and month:
        days = issues.filter(date__year=year, date__month=month).dates("date", "day")
        return {
            "show": True,
            "back": {"link": link({year_field: year}), "title": str(year)},
            "choices": [{"link": link({year_field: year, month_field: month, day_field: d.day}),
                         "title": capfirst(formats.date_format(d, "MONTH_DAY_FORMAT"))} for d in days],
        }
    if year:
        months = issues.filter(date__year=year).dates("date", "month")
        return {
            "show": True,
            "back": {"link": link({}), "title": "全部日期"},
            "choices": [{"link": link({year_field: year, month_field: m.month}),
                         "title": capfirst(formats.date_format(m, "YEAR_MONTH_FORMAT"))} for m in months],
        }
    years = issues.dates("date", "year")
    return {
        "show": True,
        "back": None,
        "choices": [{"link": link({year_field: str(y.year)}), "title": str(y.year)} for y in years],
    }
