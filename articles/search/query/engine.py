"""Running a search: query + filters + sort + page -> a plain result object.

Callable without a request (views, the JSON API, the bench):

    from articles.search.query.engine import SearchRequest, search
    result = search(SearchRequest(q="平湖 招商", sort="newest"), path="/tmp/idx")

Everything shown comes from stored fields of the per-process searcher; only
the hits of the requested page are highlighted.
"""

import heapq
import logging
from array import array
import threading
import weakref
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from .. import budget
from ..index.analysis import fold
from ..index.documents import ORDER_DAY
from ..store import searcher
from ..whoosh_blocks import read_column
from . import evaluate, highlight
from .parse import (
    FIELDS, MATCH_MODES, QueryError, headline_query, literal_query, matching_query, parse, ranking_query,
)

log = logging.getLogger(__name__)

SORTS = {"relevance": "相关度", "newest": "最新", "oldest": "最早"}
MAX_PAGE_SIZE = 50
DEFAULT_PAGE_SIZE = 20
# Deep paging costs a full sort of every match; nobody reads page 500.
MAX_RESULT_WINDOW = 5000
# Scoring is pure Python and linear in the matches. Past this many matches a
# query is so broad (a word in most articles) that term-frequency scores say
# little; such results are ordered headline matches first, then newest first
# (literal holders before all that, as in every relevance order: _relevance).
SCORE_LIMIT = 1000
# Literal holders are looked for among the best-ranked matches first: this
# many times the ranks still wanted (at least LITERAL_MIN_WINDOW), four times
# as many each further round.
LITERAL_WINDOW = 3
LITERAL_MIN_WINDOW = 48


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
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    def __post_init__(self):
        if self.field not in FIELDS:
            self.field = "any"
        if self.match not in MATCH_MODES:
            self.match = "fuzzy"
        if self.sort not in SORTS:
            self.sort = "relevance"
        self.page_size = max(1, min(int(self.page_size or DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE))
        self.page = max(1, int(self.page or 1))
        if self.page * self.page_size > MAX_RESULT_WINDOW:
            self.page = max(1, MAX_RESULT_WINDOW // self.page_size)

    @property
    def has_filters(self):
        return any((self.date_from, self.date_to, self.year, self.month, self.person, self.kind,
                    self.column, self.page_label))


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
    people: list
    title_html: str
    snippet: str  # HTML, marked
    rank: int  # 0-based position in the whole result list
    date_source: str = ""  # DateSource value; "" for an undated article or an index built before it was stored


@dataclass
class SearchResult:
    request: SearchRequest
    count: int = 0
    hits: list = field(default_factory=list)
    months: dict = field(default_factory=dict)  # "2023-08" -> count
    kinds: dict = field(default_factory=dict)
    columns: dict = field(default_factory=dict)
    error: str = ""
    unavailable: bool = False  # the index (or cluster) failed: answer 503, try again later
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


# Filters read the per-searcher columns (one list lookup per matched article)
# instead of running Whoosh range and term queries over the whole index.
_COLUMN_FILTERS = (("year", "year"), ("month", "month"), ("kind", "kind"), ("column", "column"),
                   ("page_label", "page"))


def _filtered(s, req, matched):
    """The docnums of ``matched`` that pass the request's filters."""
    if req.person:
        # The people field holds folded names (analysis.name_list_analyzer).
        matched = matched & evaluate.term_docs(s.reader(), "people", fold(req.person))
    for attribute, name in _COLUMN_FILTERS:
        wanted = getattr(req, attribute)
        if wanted and matched:
            values = _column(s, name)
            matched = {d for d in matched if values[d] == wanted}
    if (req.date_from or req.date_to) and matched:
        order = _column(s, "order")
        # Undated articles (day 0 in their order number) never pass a date filter.
        low = req.date_from.toordinal() if req.date_from else 1
        high = req.date_to.toordinal() if req.date_to else date.max.toordinal()
        matched = {d for d in matched if low <= order[d] // ORDER_DAY <= high}
    return matched


_columns = weakref.WeakKeyDictionary()
_columns_lock = threading.Lock()


def _column(s, name):
    """All values of a sortable column of searcher ``s``, by docnum; read once per searcher."""
    with _columns_lock:
        cached = _columns.setdefault(s, {})
        if name not in cached:
            cached[name] = read_column(s.reader(), name)
        return cached[name]


def _count(values, docs):
    counts = Counter(map(values.__getitem__, docs))
    counts.pop("", None)
    counts.pop(None, None)
    return dict(sorted(counts.items()))


def _to_date(value):
    if isinstance(value, datetime):
        return value.date()
    return value


# Match sets of recent searches, per searcher: paging through results and the
# article page's previous/next links run the same search again and again.
# A new searcher (after any index write) starts with an empty cache.
MATCH_CACHE_SIZE = 32
_matches = weakref.WeakKeyDictionary()


def _match_key(req):
    return (req.q, req.field, req.match, req.date_from, req.date_to, req.year, req.month,
            req.person, req.kind, req.column, req.page_label)


def _match_set(s, req, parsed):
    """Docnums matching the query and filters, in index order (a shared, read-only array).

    An array of machine integers, not a list of Python ints: a broad match
    set of 15,000 articles is 60 KB instead of ~1 MB, and the cache holds
    MATCH_CACHE_SIZE of them in every worker.
    """
    key = _match_key(req)
    with _columns_lock:
        cache = _matches.setdefault(s, {})
        if key in cache:
            cache[key] = cache.pop(key)  # most recently used last
            return cache[key]
    matched = array("I", sorted(_filtered(s, req, evaluate.evaluate(s, matching_query(parsed, req.match)))))
    with _columns_lock:
        cache[key] = matched
        while len(cache) > MATCH_CACHE_SIZE:
            del cache[next(iter(cache))]
    return matched


def _first(items, key, largest=False):
    """``best(n)`` for _holders_first: the first n of ``items`` by ``key``.

    A heap for a few; once n nears the whole, everything is sorted once and
    later rounds slice it (heapq documents both as equal to sorting).
    """
    everything = None

    def best(n):
        nonlocal everything
        if everything is None and n * 4 < len(items):
            return (heapq.nlargest if largest else heapq.nsmallest)(n, items, key=key)
        if everything is None:
            everything = sorted(items, key=key, reverse=largest)
        return everything[:n]

    return best


def _holders_first(s, literal, best, total, wanted):
    """(holders, others, complete): the best-ranked matches split by whether they hold the query as written.

    ``best(n)`` gives the first n of ``total`` matches in rank order. Checking
    positions is the costly part of a query, so it runs on a window of the
    best matches, widened until ``wanted`` holders are found or every match
    is checked (``complete``; ``others`` is then every non-holder, in order).
    """
    holders, others, checked = [], [], 0
    window = max(LITERAL_WINDOW * wanted, LITERAL_MIN_WINDOW)
    while len(holders) < wanted and checked < total:
        window = min(window, total)
        fresh = best(window)[checked:]
        found = evaluate.evaluate(s, literal, within=set(fresh))
        for d in fresh:
            (holders if d in found else others).append(d)
        checked, window = window, window * 4
    return holders, others, checked >= total


def _relevance(s, req, parsed, matched, limit):
    """The first ``limit`` matches in relevance order.

    An unquoted fuzzy term also matches its words apart, but every article
    holding the query as written ranks above every article holding only its
    words: literal containment is the first sort key, over the score and
    over the unscored order alike.
    """
    order = _column(s, "order")
    literal = literal_query(parsed, req.match)
    ranking = ranking_query(parsed, req.match)
    if ranking is not None and len(matched) <= SCORE_LIMIT:
        scores = dict.fromkeys(matched, 0.0)
        scores.update(evaluate.scores(s, ranking, set(matched)))

        # Highest score first; equal scores newest first.
        best = _first(matched, lambda d: (-round(scores[d], 6), -order[d]))
        if literal is None:
            return best(limit)
        holders, others, _ = _holders_first(s, literal, best, len(matched), limit)
        return (holders + others)[:limit]
    # Unscored (too many matches, or only person and page terms): headline
    # matches, then the rest, each newest first.
    pool = set(matched)
    in_headline = evaluate.evaluate(s, headline_query(parsed), within=pool) if ranking is not None else set()
    rest = pool - in_headline
    if literal is None:
        ranked = heapq.nlargest(limit, in_headline, key=order.__getitem__)
        return ranked + heapq.nlargest(limit - len(ranked), rest, key=order.__getitem__)
    # Literal holders first (headline matches, then the rest), then the
    # others in the same order; each group is checked newest first, a window at a time.
    newest = order.__getitem__
    holders, others, complete = _holders_first(
        s, literal, _first(in_headline, newest, largest=True), len(in_headline), limit)
    ranked = holders[:limit]
    if len(ranked) < limit:
        rest_holders, rest_others, rest_complete = _holders_first(
            s, literal, _first(rest, newest, largest=True), len(rest), limit - len(ranked))
        ranked += rest_holders
        if rest_complete:
            ranked += others + rest_others
    return ranked[:limit]


def begin(req):
    """A result for ``req`` and its parsed query; the query is None when there is nothing to run.

    A query the reader must rephrase leaves its message in ``result.error``.
    """
    result = SearchResult(request=req)
    try:
        parsed = parse(req.q, req.field)
    except QueryError as error:
        result.error = str(error)
        return result, None
    return result, (parsed if parsed.clauses else None)


def search(req, path=None, facets=True, window=None, snippets=True):
    """Run ``req`` against the index at ``path`` (default: settings.PHNEWS_INDEX_DIR).

    ``window=(start, stop)`` returns hits of those 0-based ranks instead of
    the request's page (result navigation); ``snippets=False`` skips highlighting.
    """
    result, parsed = begin(req)
    if parsed is None:
        return result
    try:
        with budget.spending():
            return _search(result, parsed, path, facets, window, snippets)
    except budget.BudgetExceeded as error:
        log.warning("search over budget (%s): %r", error, req.q)
        return SearchResult(request=req, error=budget.MESSAGE)


def _search(result, parsed, path, facets, window, snippets):
    req = result.request
    result.terms = parsed.highlight_terms(req.match)
    s = searcher(path)
    # Which articles match, without scoring: the count, the facets and the
    # date sorts need only this set. Only a relevance sort scores, and only
    # to pick the requested page.
    start, limit = window or ((req.page - 1) * req.page_size, req.page * req.page_size)
    start, limit = max(0, start), min(limit, MAX_RESULT_WINDOW)
    matched = _match_set(s, req, parsed)
    result.count = len(matched)
    if facets and matched:
        months = _count(_column(s, "month"), matched)
        result.months.update(months)
        result.kinds.update(_count(_column(s, "kind"), matched))
        result.columns.update(_count(_column(s, "column"), matched))
    if req.sort in ("newest", "oldest"):
        # Both ascending: "newest" puts the latest day first, its pages C1 first.
        order = _column(s, "order" if req.sort == "oldest" else "newest")
        ranked = heapq.nsmallest(limit, matched, key=order.__getitem__)[start:]
    elif matched:
        ranked = _relevance(s, req, parsed, matched, limit)[start:]
    else:
        ranked = []
    for rank, docnum in enumerate(ranked, start):
        stored = s.stored_fields(docnum)
        title = stored.get("title", "")
        result.hits.append(Hit(
            id=int(stored["django_id"]),
            title=title,
            subtitle=stored.get("subtitle", ""),
            kicker=stored.get("kicker", ""),
            column=stored.get("column", ""),
            kind=stored.get("kind", ""),
            page=stored.get("page", ""),
            issue_date=_to_date(stored.get("issue_date")),
            url=stored.get("url", ""),
            credits=stored.get("credits", ""),
            date_source=stored.get("date_source", ""),
            people=[p for p in stored.get("people", "").split(",") if p],
            title_html=highlight.highlight(title, result.terms) if snippets else title,
            snippet=highlight.snippet(stored.get("body", ""), result.terms) if snippets else "",
            rank=rank,
        ))
    return result
