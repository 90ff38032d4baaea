"""Reading a search from URL parameters, and writing it back into links.

One place for both directions so the page, the API and the result links
always agree on names: q, field, match, sort, from, to, year, month, person,
kind, column, label (版次), place (地点), page, page_size.
"""

import re
from datetime import date
from urllib.parse import urlencode

from articles.search.text import strip_format_characters
from articles.search.service import DEFAULT_PAGE_SIZE, SearchRequest

FILTER_PARAMS = ("from", "to", "year", "month", "person", "kind", "column", "label", "place")
_YEAR = re.compile(r"\d{4}")
_MONTH = re.compile(r"\d{4}-\d{2}")
MAX_FILTER_CHARS = 80


def _date(value, name, problems):
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        problems.append(f"{name}“{value[:20]}”不是有效日期（格式：2023-08-18），已忽略。")
        return None


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _year(value, rejected):
    if value and not (_YEAR.fullmatch(value) and int(value) >= 1):
        rejected.append(f"年份“{value[:20]}”不是有效年份（0001–9999，如 2023）。")
        return ""
    return value


def _month(value, rejected):
    if value and not (_MONTH.fullmatch(value) and int(value[:4]) >= 1 and 1 <= int(value[5:]) <= 12):
        rejected.append(f"月份“{value[:20]}”不是有效月份（格式：2023-08）。")
        return ""
    return value


def request_from(params, default_page_size=DEFAULT_PAGE_SIZE):
    """(SearchRequest, problems, rejected) from a QueryDict or dict; never raises.

    ``problems`` are told to the reader beside the results; ``rejected`` are
    parameters the search cannot run with (a month 13): the page answers 400
    with them and searches nothing.
    """
    problems, rejected = [], []

    def get(name):
        # Invisible format marks (a pasted U+200F, U+FEFF) would make a value match nothing.
        value = strip_format_characters(params.get(name) or "")
        return value if name == "q" else value.strip()[:MAX_FILTER_CHARS]

    year = _year(get("year"), rejected)
    month = _month(get("month"), rejected)
    req = SearchRequest(
        q=get("q"),
        field=get("field") or "any",
        match=get("match") or "fuzzy",
        sort=get("sort") or "relevance",
        date_from=_date(get("from"), "起始日期", problems),
        date_to=_date(get("to"), "截止日期", problems),
        year=year,
        month=month,
        person=get("person").replace(" ", ""),
        kind=get("kind"),
        column=get("column"),
        page_label=get("label").upper(),
        place=get("place"),
        page=_int(params.get("page"), 1),
        page_size=_int(params.get("page_size"), default_page_size),
    )
    if req.date_from and req.date_to and req.date_from > req.date_to:
        problems.append("起始日期晚于截止日期，没有文章能同时满足。")
    return req, problems, rejected


def params_of(req, **changes):
    """The URL parameters that reproduce ``req`` (minus defaults), with ``changes`` applied."""
    values = {
        "q": req.q,
        "field": "" if req.field == "any" else req.field,
        "match": "" if req.match == "fuzzy" else req.match,
        "sort": "" if req.sort == "relevance" else req.sort,
        "from": req.date_from.isoformat() if req.date_from else "",
        "to": req.date_to.isoformat() if req.date_to else "",
        "year": req.year,
        "month": req.month,
        "person": req.person,
        "kind": req.kind,
        "column": req.column,
        "label": req.page_label,
        "place": req.place,
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v not in ("", None)}


def query_string(req, **changes):
    return urlencode(params_of(req, **changes))


def trends_query(req, terms, **changes):
    """The 词语趋势 page's query string: ``terms`` (a ``q`` each), with the place, person, field and match of ``req``."""
    values = {"q": list(terms), "field": "" if req.field == "any" else req.field,
              "match": "" if req.match == "fuzzy" else req.match, "place": req.place, "person": req.person, **changes}
    return urlencode({k: v for k, v in values.items() if v not in ("", None, [])}, doseq=True)
