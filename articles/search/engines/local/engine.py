"""The local engine: a query tree evaluated on the index directory into a count, facets and one ordered page.

``backend.ChineseWhooshSearchBackend.search`` calls ``run`` with the tree
haystack hands it. Which articles match is a set (``evaluate.py``), never
scored: the count, the facets and the date sorts need only that set. Only a
relevance sort scores, and only to pick the requested page.
"""

import threading
import weakref
from dataclasses import dataclass, field

import numpy as np

from articles.search import ranking
from articles.search.documents import SEARCH_FIELDS
from articles.search.engines.local import columns, matchsets, evaluate, scoring

# Literal holders are looked for among the best-ranked matches first: this
# many times the ranks still wanted (at least LITERAL_MIN_WINDOW), four times
# as many each further round.
LITERAL_WINDOW = 3
LITERAL_MIN_WINDOW = 48
# Match sets of recent searches, per searcher: paging through results and the
# article page's previous/next links run the same search again and again.
# A new searcher (after any index write) starts with an empty cache.
MATCH_CACHE_SIZE = 32
_DATE_GAPS = {"month": "month", "year": "year"}
# Sortable reading-order columns (index/documents.py): "order" oldest first,
# "newest" the latest day first with its pages C1, C2, ... still in order.
_SORT_COLUMNS = ("order", "newest")


@dataclass
class Found:
    count: int = 0
    hits: list = field(default_factory=list)  # [(docnum, score)] of the requested ranks
    fields: dict = field(default_factory=dict)  # facet field -> {value: count}
    dates: dict = field(default_factory=dict)  # date facet field -> {"2023-08" or "2023": count}


_matches = weakref.WeakKeyDictionary()
_matches_lock = threading.Lock()


def _key(tree):
    return tree.as_query_string(lambda f, t, v: f"{f}__{t}={type(v).__name__}:{v!s}")


def match_set(s, tree):
    """The match set of ``tree`` (``docsets``: ascending docnums, a shared read-only int32 array).

    4 bytes a match: a broad match set of 15,000 articles is 60 KB, and the
    cache holds MATCH_CACHE_SIZE of them in every worker.
    """
    key = _key(tree)
    with _matches_lock:
        cache = _matches.setdefault(s, {})
        if key in cache:
            cache[key] = cache.pop(key)  # most recently used last
            return cache[key]
    matched = matchsets.frozen(evaluate.evaluate(s, tree))
    with _matches_lock:
        cache[key] = matched
        while len(cache) > MATCH_CACHE_SIZE:
            del cache[next(iter(cache))]
    return matched


def forget_matches():
    """Drop cached match sets (the benchmark times first searches)."""
    with _matches_lock:
        _matches.clear()


def run(s, tree, plan=None, sort_by=(), start=0, stop=None, facets=(), date_facets=None):
    """Evaluate ``tree`` on searcher ``s``: the count, the hits of ranks [start, stop), the facets.

    ``plan`` (querylang.Plan) says what ranks; without one (a tree built with
    SearchQuerySet's own methods) relevance order is headline matches, then
    newest first. ``sort_by`` is haystack's order_by list (``["newest"]``,
    ``["order"]``, a leading "-" reverses); empty means relevance. ``facets``
    are field names, ``date_facets`` haystack's {field: {"gap_by": "month"
    or "year", ...}}.
    """
    found = Found()
    matched = match_set(s, tree)
    found.count = len(matched)
    if not found.count:
        return found
    for name in facets:
        counts = columns.coded(s, _facet_column(s, name)).counts(matched)
        found.fields[name] = _each_value(counts) if name.removesuffix("_exact") in _SEVERAL else counts
    for name, details in (date_facets or {}).items():
        gap = _DATE_GAPS.get(details.get("gap_by"))
        if name != "issue_date" or gap is None or details.get("gap_amount", 1) != 1:
            raise evaluate.UnsupportedQuery(f"the local search engine counts issue_date by month or year, not {details}")
        found.dates[name] = columns.coded(s, gap).counts(matched)
    stop = found.count if stop is None else min(stop, found.count)
    if stop <= start:
        return found
    if sort_by:
        if len(sort_by) != 1 or sort_by[0].lstrip("-") not in _SORT_COLUMNS:
            raise evaluate.UnsupportedQuery(f"the local search engine sorts by relevance, {_SORT_COLUMNS}, not {sort_by}")
        values = columns.numbers(s, sort_by[0].lstrip("-"))
        picked = columns.first(matched, values[matched], stop, largest=sort_by[0].startswith("-"))
        found.hits = [(d, 0.0) for d in picked[start:].tolist()]
        return found
    ranked, scores = _relevance(s, plan, matched, stop, columns.numbers(s, "order"))
    found.hits = [(d, scores.get(d, 0.0)) for d in ranked[start:]]
    return found


# Several-valued whole-value fields: their facet column holds each document's values joined by commas.
_SEVERAL = {field.keyword for field in SEARCH_FIELDS.values() if field.several}


def _each_value(counts):
    """Counts of joined values ("新仓镇,新庙社区": 2) as counts of each value: a document counts once per value."""
    each = {}
    for joined, n in counts.items():
        for value in joined.split(","):
            if value:
                each[value] = each.get(value, 0) + n
    return dict(sorted(each.items()))


def _facet_column(s, name):
    """The column a facet counts: haystack names it by its faceted copy (``kind_exact``); the field itself
    holds the same values as printed, and its column is the one filters already read."""
    base = name.removesuffix("_exact")
    field = s.schema[base] if base != name and base in s.schema else None
    return base if field is not None and field.column_type is not None else name


def _ranking(docs, keys, largest=False):
    """``best(n)`` for _holders_first: the first n of match set ``docs`` by ``keys`` (aligned with it).

    A partial sort for a few; once n nears the whole, everything is sorted
    once and later rounds slice it.
    """
    everything = None

    def best(n):
        nonlocal everything
        if everything is None and n * 4 < len(docs):
            return columns.first(docs, keys, n, largest)
        if everything is None:
            everything = columns.first(docs, keys, len(docs), largest)
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
        holding = matchsets.contains(evaluate.evaluate(s, literal, within=fresh), fresh)
        holders += fresh[holding].tolist()
        others += fresh[~holding].tolist()
        checked, window = window, window * 4
    return holders, others, checked >= total


def _relevance(s, plan, matched, limit, order):
    """(the first ``limit`` matches in relevance order, {docnum: score} of those scored).

    The order is ranking.py's: literal holders (``plan.literal``) first, over
    the score and over the unscored order alike; then the score; equal
    scores newest first.
    """
    literal = plan.literal if plan else None
    terms = plan.ranked if plan else ()
    tie = -order if ranking.NEWEST_FIRST else order
    if terms and len(matched) <= ranking.SCORE_LIMIT:
        totals, _ = scoring.score_array(s, terms, matched)
        scores = dict(zip(matched.tolist(), totals.tolist()))
        rounded = np.array([round(x, 6) for x in totals.tolist()])
        ranked = matched[np.lexsort((tie[matched], -rounded))]
        if literal is None:
            return ranked[:limit].tolist(), scores
        holders, others, _ = _holders_first(s, literal, lambda n: ranked[:n], len(matched), limit)
        return (holders + others)[:limit], scores
    # Unscored (too many matches, or only person and page terms): headline
    # matches, then the rest, each newest first.
    in_headline = scoring.in_headline(s, terms, matched) if terms else matchsets.EMPTY
    rest = matchsets.subtract(matched, in_headline)
    if literal is None:
        ranked = columns.first(in_headline, tie[in_headline], limit).tolist()
        return ranked + columns.first(rest, tie[rest], limit - len(ranked)).tolist(), {}
    # Literal holders first (headline matches, then the rest), then the
    # others in the same order; each group is checked newest first, a window at a time.
    holders, others, complete = _holders_first(
        s, literal, _ranking(in_headline, tie[in_headline]), len(in_headline), limit)
    ranked = holders[:limit]
    if len(ranked) < limit:
        rest_holders, rest_others, rest_complete = _holders_first(
            s, literal, _ranking(rest, tie[rest]), len(rest), limit - len(ranked))
        ranked += rest_holders
        if rest_complete:
            ranked += others + rest_others
    return ranked[:limit], {}
