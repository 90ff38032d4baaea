"""Running a search through haystack's SearchQuerySet: the path readers take on a cluster.

Same request and result objects as ``engine.search``, so views, the API and
the article page's result navigation need not know which one ran. The local
Whoosh engine reads its index directly and stays the default; this module is
used when HAYSTACK_CONNECTIONS names another engine (Elasticsearch, see
docs/scaling.md), and speaks only haystack's portable query language.

Matching mirrors ``query.term_query``: every literal becomes an exact
(phrase) query, which both our Whoosh bigrams and the cluster's cjk_bigram
analysis answer as "this substring occurs"; a fuzzy multi-word term also
matches when each of its jieba words occurs. A one-character literal goes to
the unigram companion field (``text_1`` ...), which both backends index.
Snippets are cut by ``highlight.py`` from the stored body, never taken from
the backend's highlighter: that output is not HTML-escaped and does not know
Chinese word boundaries.
"""

import logging
import re
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import and_, or_

from haystack.inputs import Exact
from haystack.query import SQ, SearchQuerySet

from .query import highlight
from .query.engine import MAX_RESULT_WINDOW, Hit, begin

logger = logging.getLogger(__name__)

CONNECTION = "default"
# The searchable field of each reader-facing field, and its one-character companion.
_GROUP_FIELD = {"any": "text", "headline": "headline", "person": "people_text", "column": "column_text"}
_UNIGRAM_FIELD = {"text": "text_1", "headline": "headline_1", "people_text": "people_text_1",
                  "column_text": "column_text_1"}
# Inside an exact phrase both backends read other punctuation as text, but a
# quote ends the phrase and a backslash escapes; the pieces around them must each occur.
_PIECES = re.compile(r'["\\]+')
# "order" and "newest" (documents.document_for) order ties exactly as the local engine.
_SORTS = {"newest": "newest", "oldest": "order"}
_EARLIEST = date(1949, 1, 1)


def _literal(field, text):
    pieces = [p for p in _PIECES.split(text) if p]
    if not pieces:
        return None
    parts = [SQ(**{(_UNIGRAM_FIELD[field] if len(p) == 1 else field): Exact(p)}) for p in pieces]
    return reduce(and_, parts)


def term_sq(term, mode):
    """The SQ matching one parsed term (``query.term_query`` in haystack's terms)."""
    if term.field == "page":
        return SQ(page=Exact(term.folded))
    if mode == "exact" and term.field == "person":
        return SQ(people=Exact(term.folded))
    if mode == "exact" and term.field == "column":
        return SQ(column=Exact(term.folded))
    field = _GROUP_FIELD[term.field]
    whole = _literal(field, term.folded)
    if whole is None or mode == "exact" or term.phrase or len(term.folded) <= 2:
        return whole
    pieces = [_literal(field, w) for w in term.fuzzy_words]
    pieces = [p for p in pieces if p is not None]
    if len(pieces) <= 1:
        return whole
    return whole | reduce(and_, pieces)


def matching_sq(parsed, mode):
    required = []
    for clause in parsed.clauses:
        options = [q for q in (term_sq(t, mode) for t in clause) if q is not None]
        if options:
            required.append(reduce(or_, options))
    if not required:
        return None
    matching = reduce(and_, required)
    # Exclusion is always literal, as in the local engine.
    for term in parsed.excluded:
        excluded = term_sq(term, "exact")
        if excluded is not None:
            matching &= ~excluded
    return matching


def _day_start(day):
    return datetime.combine(day, time.min)


def _date_bounds(req):
    """(first, last) datetimes allowed by the request's date, year and month filters, or Nones."""
    start, end = req.date_from, req.date_to
    if req.year:
        year = int(req.year)
        start, end = max(filter(None, (start, date(year, 1, 1)))), min(filter(None, (end, date(year, 12, 31))))
    if req.month:
        year, month = int(req.month[:4]), int(req.month[5:])
        first = date(year, month, 1)
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        start, end = max(filter(None, (start, first))), min(filter(None, (end, last)))
    return (_day_start(start) if start else None,
            _day_start(end) + timedelta(days=1) - timedelta(seconds=1) if end else None)


def _filtered(sqs, req):
    start, end = _date_bounds(req)
    if start and end:
        sqs = sqs.filter(issue_date__range=(start, end))
    elif start:
        sqs = sqs.filter(issue_date__gte=start)
    elif end:
        sqs = sqs.filter(issue_date__lte=end)
    for field, value in (("people", req.person), ("kind", req.kind), ("column", req.column),
                         ("page", req.page_label)):
        if value:
            sqs = sqs.filter(SQ(**{field: Exact(value)}))
    return sqs


def _month_span(req):
    """The months the date facet must cover: the archive's issues, within the request's dates."""
    from django.db.models import Max, Min

    from articles.models import Issue

    bounds = Issue.objects.aggregate(first=Min("date"), last=Max("date"))
    first, last = bounds["first"] or _EARLIEST, bounds["last"] or date.today()
    start, end = _date_bounds(req)
    first = max(first, start.date()) if start else first
    last = min(last, end.date()) if end else last
    # Whole months, the last one included.
    first = first.replace(day=1)
    last = (last.replace(day=28) + timedelta(days=4)).replace(day=1)
    return _day_start(first), _day_start(max(last, first + timedelta(days=1)))


def _fetch_range(start, stop):
    """An offset range covering [start, stop) that is one whole page of some page length.

    haystack's Whoosh backend turns offsets into (page number, page length)
    and would return the wrong hits for a window such as ranks 4..6; a
    cluster takes offsets as they are, so the wider fetch costs it nothing.
    """
    length = max(1, stop - start)
    while True:
        first = start // length * length
        if first + length >= stop:
            return first, first + length
        length += 1


def _month_key(key):
    if isinstance(key, (tuple, list)):
        key = key[0]
    if isinstance(key, (date, datetime)):
        return f"{key:%Y-%m}"
    return str(key)[:7]


def _counts(pairs, key=str):
    counts = {}
    for value, n in pairs or ():
        if value in (None, "") or not n:
            continue
        name = key(value)
        counts[name] = counts.get(name, 0) + n
    return dict(sorted(counts.items()))


def _text(value):
    # haystack's Whoosh backend json-decodes stored strings that look like numbers.
    return "" if value is None else str(value)


def _to_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _people(value):
    if isinstance(value, str):
        value = value.split(",")
    return [p for p in (value or []) if p]


def _facet_counts(sqs, req):
    """haystack's facet counts of ``sqs``, or {} where the backend cannot count them.

    A query of its own: a backend that rejects a facet (Elasticsearch on a
    field without a keyword form; haystack's Whoosh backend on query facets)
    fails, or with SILENTLY_FAIL answers "nothing found", for the whole query
    it is part of, and the hits must not pay for that.
    """
    first, last = _month_span(req)
    faceted = sqs.facet("kind").facet("column").date_facet(
        "issue_date", start_date=first, end_date=last, gap_by="month")
    query = faceted.query._clone()
    query.set_limits(0, 1)
    try:
        return query.get_facet_counts() or {}
    except Exception:  # noqa: BLE001 - facets are optional; the search already answered
        logger.warning("search facets unavailable from %s", type(query.backend).__name__, exc_info=True)
        return {}


def search(req, facets=True, window=None, snippets=True):
    """Run ``req`` through haystack's default connection; the signature of ``engine.search`` minus ``path``."""
    result, parsed = begin(req)
    if parsed is None:
        return result
    matching = matching_sq(parsed, req.match)
    if matching is None:
        return result
    result.terms = parsed.highlight_terms(req.match)
    sqs = _filtered(SearchQuerySet(using=CONNECTION).filter(matching), req)
    if req.sort in _SORTS:
        sqs = sqs.order_by(_SORTS[req.sort])
    start, stop = window or ((req.page - 1) * req.page_size, req.page * req.page_size)
    start, stop = max(0, start), min(stop, MAX_RESULT_WINDOW)
    query = sqs.query._clone()
    fetch_start, fetch_stop = _fetch_range(start, max(stop, start + 1))
    query.set_limits(fetch_start, fetch_stop)
    found = query.get_results() if stop > start else []
    result.count = query.get_count()
    if facets and result.count:
        counts = _facet_counts(sqs, req)
        fields = counts.get("fields") or {}
        result.kinds.update(_counts(fields.get("kind")))
        result.columns.update(_counts(fields.get("column")))
        result.months.update(_counts((counts.get("dates") or {}).get("issue_date"), key=_month_key))
    for rank, found_hit in enumerate(found[start - fetch_start:stop - fetch_start], start):
        field = lambda name: getattr(found_hit, name, None)  # noqa: E731
        title = _text(field("title"))
        result.hits.append(Hit(
            id=int(found_hit.pk),
            title=title,
            subtitle=_text(field("subtitle")),
            kicker=_text(field("kicker")),
            column=_text(field("column")),
            kind=_text(field("kind")),
            page=_text(field("page")),
            issue_date=_to_date(field("issue_date")),
            url=_text(field("url")),
            credits=_text(field("credits")),
            date_source=_text(field("date_source")),
            people=_people(field("people")),
            title_html=highlight.highlight(title, result.terms) if snippets else title,
            snippet=highlight.snippet(_text(field("body")), result.terms) if snippets else "",
            rank=rank,
        ))
    return result
