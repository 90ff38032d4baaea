"""The one function readers' searches go through: request -> haystack SearchQuerySet -> result.

The page, the JSON API, result navigation and the benchmark call ``search``.
The reader's query is parsed and compiled once (``querylang.compile_query``:
a Plan of its matching tree, literal form, ranked terms, marks and weight),
and reaches the backend with the SearchQuerySet (``planned.py``);
the request's filters, sort, facets and page are added with SearchQuerySet's
own methods, and whichever backend is
configured answers it: the local engine (``backend.py``) evaluates the tree
from the index directory, a cluster gets haystack's translation of it
(docs/scaling.md). Snippets and marked titles are asked of the backend with
``SearchQuerySet.highlight()`` and read from each result's ``highlighted``
({field: [HTML fragments]}, as haystack's backends give it): the local
engine marks title and body with ``query/marks.py``; a cluster answers
with its highlight of the document text (``engines/cluster/backend.py``).
Whatever a backend leaves unmarked (a cluster's title line) is marked here
from the stored text with the same module.
"""

import calendar
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils.safestring import mark_safe
from haystack.inputs import Exact
from haystack.query import SQ

from articles.search import admission, budget
from articles.search import marks
from articles.search.documents import SEARCH_FIELDS
from articles.search.planned import PlannedSearchQuerySet
from articles.search.querylang import FIELDS, MATCH_MODES, QueryError, compile_query, parse

logger = logging.getLogger(__name__)

CONNECTION = "default"
UNAVAILABLE = "检索服务暂时不可用，请稍后再试。"
# Seconds a reader is asked to wait after an index or cluster failure (a busy
# heavy search is told admission.RETRY_AFTER_SECONDS, sooner).
RETRY_AFTER_SECONDS = "30"
SORTS = {"relevance": "相关度", "newest": "最新", "oldest": "最早"}
# "order" and "newest" (date, page, position; index/documents.py) order ties exactly on every backend.
_ORDER_BY = {"newest": "newest", "oldest": "order"}
MAX_PAGE_SIZE = 50
DEFAULT_PAGE_SIZE = 20
# Deep paging costs a full sort of every match; nobody reads page 500.
MAX_RESULT_WINDOW = 5000
# The date facet's span when the request sets no dates: the whole archive.
_EARLIEST = date(1949, 1, 1)


@dataclass
class SearchRequest:
    q: str = ""
    field: str = "any"
    match: str = "fuzzy"
    sort: str = "relevance"
    date_from: date | None = None
    date_to: date | None = None
    year: str = ""
    month: str = ""
    person: str = ""
    kind: str = ""
    column: str = ""
    page_label: str = ""
    place: str = ""  # 地点: the place or a place under it (documents.article_places)
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    asked_page: int = 0  # the page asked for, before it was brought within the result window
    client: str = ""  # who asks (an address): heavy-search slots are shared between clients

    def __post_init__(self):
        if self.field not in FIELDS:
            self.field = "any"
        if self.match not in MATCH_MODES:
            self.match = "fuzzy"
        if self.sort not in SORTS:
            self.sort = "relevance"
        self.page_size = max(1, min(int(self.page_size or DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE))
        self.page = max(1, int(self.page or 1))
        self.asked_page = self.asked_page or self.page
        if self.page * self.page_size > MAX_RESULT_WINDOW:
            self.page = max(1, MAX_RESULT_WINDOW // self.page_size)

    @property
    def has_filters(self):
        return any((self.date_from, self.date_to, self.year, self.month, self.person, self.kind,
                    self.column, self.page_label, self.place))


@dataclass
class Hit:
    id: int
    title: str
    subtitle: str
    kicker: str
    column: str
    kind: str
    page: str
    issue_date: date | None
    url: str
    credits: str
    title_html: str
    snippet: str  # HTML, marked
    rank: int  # 0-based position in the whole result list
    date_source: str = ""  # DateSource value; "" for an undated article or an index built before it was stored
    places: list = field(default_factory=list)  # the article's places, then their towns (documents.article_places)


@dataclass
class SearchResult:
    request: SearchRequest
    count: int = 0
    hits: list = field(default_factory=list)
    months: dict = field(default_factory=dict)  # "2023-08" -> count
    kinds: dict = field(default_factory=dict)
    columns: dict = field(default_factory=dict)
    places: dict = field(default_factory=dict)
    error: str = ""
    unavailable: bool = False  # the index (or cluster) failed: answer 503, try again later
    busy: bool = False  # a heavy search found every slot taken (admission.py): answer 503, try again soon
    terms: list = field(default_factory=list)  # folded strings highlighted

    @property
    def pages(self):
        return max(1, -(-self.count // self.request.page_size))

    @property
    def years(self):
        totals = {}
        for month, n in self.months.items():
            totals[month[:4]] = totals.get(month[:4], 0) + n
        return dict(sorted(totals.items()))


def begin(req):
    """A result for ``req`` and the Plan of its query; the plan is None when there is nothing to run.

    A query the reader must rephrase leaves its message in ``result.error``.
    """
    result = SearchResult(request=req)
    try:
        parsed = parse(req.q, req.field)
    except QueryError as error:
        result.error = str(error)
        return result, None
    plan = compile_query(parsed, req.match) if parsed.clauses else None
    if plan is not None:
        result.terms = list(plan.marks)
    return result, plan


def _day_start(day):
    return datetime.combine(day, time.min)


def date_bounds(req):
    """(first, last) datetimes allowed by the request's date, year and month filters, or Nones."""
    start, end = req.date_from, req.date_to
    if req.year:
        year = int(req.year)
        start, end = max(filter(None, (start, date(year, 1, 1)))), min(filter(None, (end, date(year, 12, 31))))
    if req.month:
        year, month = int(req.month[:4]), int(req.month[5:])
        first = date(year, month, 1)
        last = first.replace(day=calendar.monthrange(year, month)[1])
        start, end = max(filter(None, (start, first))), min(filter(None, (end, last)))
    # The end of the last day, without stepping past it (9999-12-31 has no day after).
    return (_day_start(start) if start else None,
            datetime.combine(end, time(23, 59, 59)) if end else None)


def facet_span(req):
    """(first, last) datetimes a date facet of ``req`` counts within: its date filters, else the whole archive."""
    start, end = date_bounds(req)
    return start or _day_start(_EARLIEST), end or _day_start(date(date.today().year + 1, 1, 1))


def queryset(req, plan, facets=True, using=CONNECTION, marked=False):
    """The SearchQuerySet of ``req`` whose query is ``plan``: filters, sort, facets and highlighting added.

    ``plan`` None: every article the filters let through (word trends count them per month).
    """
    sqs = PlannedSearchQuerySet(using=using)
    if plan is not None:
        sqs = sqs.planned(plan)
    if marked:
        sqs = sqs.highlight()
    start, end = date_bounds(req)
    if start and end:
        sqs = sqs.filter(issue_date__range=(start, end))
    elif start:
        sqs = sqs.filter(issue_date__gte=start)
    elif end:
        sqs = sqs.filter(issue_date__lte=end)
    for name, value in (("people", req.person), ("kind", req.kind), ("column", req.column),
                        ("page", req.page_label)):
        if value:
            sqs = sqs.filter(SQ(**{name: Exact(value)}))
    if req.place:  # a place as the reader typed it, an alias too
        sqs = sqs.filter(places=Exact(SEARCH_FIELDS["place"].whole(req.place)))
    if req.sort in _ORDER_BY:
        sqs = sqs.order_by(_ORDER_BY[req.sort])
    if facets:
        first, last = facet_span(req)
        sqs = sqs.facet("kind").facet("column").facet("places")
        sqs = sqs.date_facet("issue_date", start_date=first, end_date=last, gap_by="month")
    return sqs


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


def _fragment(found, *names):
    """The backend's first marked fragment of the first of ``names`` it highlighted, or None."""
    highlighted = getattr(found, "highlighted", None)
    if not isinstance(highlighted, dict):
        return None
    for name in names:
        fragments = highlighted.get(name)
        if fragments:
            # HTML from the backend: ours escapes the text it marks, a cluster is asked to (encoder "html").
            return mark_safe(fragments[0])
    return None


def _values(stored):
    """A several-valued field as stored: a comma-joined string (the local index) or a list (a cluster)."""
    if isinstance(stored, (list, tuple)):
        return [str(v) for v in stored if v]
    return [v for v in _text(stored).split(",") if v]


def _hit(found, rank, terms, snippets):
    field = lambda name: getattr(found, name, None)  # noqa: E731
    title = _text(field("title"))
    title_html, snippet = title, ""
    if snippets:
        title_html = _fragment(found, "title") or marks.highlight(title, terms)
        snippet = _fragment(found, "body", "text") or marks.snippet(_text(field("body")), terms)
    return Hit(
        id=int(found.pk),
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
        places=_values(field("places")),
        title_html=title_html,
        snippet=snippet,
        rank=rank,
    )


def month_counts(facet_counts):
    """{"2023-08": n} from a backend's facet counts holding an issue_date facet by month."""
    return _counts((facet_counts.get("dates") or {}).get("issue_date"), key=_month_key)


def tally(sqs):
    """(count, facet counts) of ``sqs`` without ranking or fetching a hit: one backend search.

    Run directly: haystack's get_count would widen an empty window to one hit, which must be ranked.
    """
    query = sqs.query._clone()
    query.set_limits(0, 0)
    query.run()
    return query.get_count(), query.get_facet_counts()


def _run(sqs, start, stop):
    """(hits of ranks [start, stop), count, facet counts): one backend search."""
    query = sqs.query._clone()
    query.set_limits(start, stop)
    found = query.get_results() if stop > start else []
    return found[:max(0, stop - start)], query.get_count(), query.get_facet_counts() if query.facets else {}


def search(req, facets=True, window=None, snippets=True, using=CONNECTION):
    """Run ``req`` through haystack's connection ``using``.

    ``window=(start, stop)`` returns hits of those 0-based ranks instead of
    the request's page (result navigation); ``snippets=False`` skips
    highlighting; ``facets=False`` skips the month, kind and column counts.

    Never raises for a broken index or cluster: the reader gets a result
    whose ``error`` says search is unavailable (``unavailable`` set), and the
    log gets the traceback. A search over its work budget (budget.py) gets
    the budget's message; a heavy one that finds no free slot
    (admission.py) is not run and says so (``busy`` set).
    """
    result, plan = begin(req)
    if plan is None:
        return result
    start, stop = window or ((req.page - 1) * req.page_size, req.page * req.page_size)
    start, stop = max(0, start), min(stop, MAX_RESULT_WINDOW)
    if not admission.is_heavy(plan):
        return _answer(result, plan, start, stop, facets, snippets, using)
    try:
        with admission.slot(req.client):
            return admission.run_niced(_answer, result, plan, start, stop, facets, snippets, using)
    except admission.Busy as error:
        logger.warning("heavy search refused (%s): %r", error, req.q[:40])
        return busy(req)
    except OSError:  # the slot files cannot be made or opened (var directory full or read-only)
        logger.exception("heavy-search slots unavailable for %r", req.q[:40])
        return unavailable(req)


def _answer(result, plan, start, stop, facets, snippets, using):
    """``result`` filled with the hits of ranks [start, stop) of ``plan``, its count and facets."""
    req = result.request
    try:
        try:
            found, result.count, counts = _run(queryset(req, plan, facets, using, snippets), start, stop)
        except budget.BudgetExceeded:
            raise
        except Exception:  # noqa: BLE001 - facets are optional; the hits must not pay for them
            if not facets:
                raise
            # A backend may reject a facet (a cluster field without a keyword form).
            logger.warning("search facets unavailable; searching without them", exc_info=True)
            found, result.count, counts = _run(queryset(req, plan, False, using, snippets), start, stop)
    except budget.BudgetExceeded as error:
        logger.warning("search over budget (%s): %r", error, req.q[:40])
        return SearchResult(request=req, error=budget.MESSAGE)
    except Exception as error:  # noqa: BLE001 - a damaged index or a failing cluster: tell the reader, keep the page up
        _log_failure(error, req)
        return unavailable(req)
    fields = counts.get("fields") or {}
    result.kinds.update(_counts(fields.get("kind")))
    result.columns.update(_counts(fields.get("column")))
    result.places.update(_counts(fields.get("places")))
    result.months.update(month_counts(counts))
    result.hits = [_hit(found_hit, rank, result.terms, snippets) for rank, found_hit in enumerate(found, start)]
    global _last_failure
    _last_failure = None  # answered again: the next failure is a new one
    return result


_last_failure = None


def _log_failure(error, req):
    """The traceback of a failure once; while the same failure repeats, one line a search."""
    global _last_failure
    seen = (type(error), str(error))
    if seen == _last_failure:
        logger.error("search index still failing (%s: %s) for %r", type(error).__name__, error, req.q[:40])
        return
    _last_failure = seen
    logger.exception("search index failed for %r; the next search reopens it", req.q)


def run_page(req):
    """``search`` for a page of results: a page past the last one answers with the last one.

    Returns (result, the page number asked for if it was moved, else None).
    """
    result = search(req)
    if result.unavailable or not result.count or req.asked_page <= result.pages:
        return result, None
    if req.page <= result.pages:  # moved into the result window already
        return result, req.asked_page
    asked, req.page = req.asked_page, result.pages
    return search(req), asked


def unavailable(req):
    return SearchResult(request=req, error=UNAVAILABLE, unavailable=True)


def busy(req):
    return SearchResult(request=req, error=admission.MESSAGE, busy=True)
