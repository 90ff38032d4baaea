"""The local engine: a query tree evaluated on the index directory into a count, facets and one ordered page.

``backend.ChineseWhooshSearchBackend.search`` calls ``run`` with the tree
haystack hands it. Which articles match is a set (``evaluate.py``), never
scored: the count, the facets and the date sorts need only that set. Only a
relevance sort scores, and only to pick the requested page.
"""

import heapq
import threading
from array import array
import weakref
from collections import Counter
from dataclasses import dataclass, field

from . import evaluate, score

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
# Match sets of recent searches, per searcher: paging through results and the
# article page's previous/next links run the same search again and again.
# A new searcher (after any index write) starts with an empty cache.
MATCH_CACHE_SIZE = 32
# Facets haystack names by their faceted copy (``kind_exact``) count the column itself.
_FACET_COLUMNS = {"kind_exact": "kind", "column_exact": "column"}
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
    """Docnums matching ``tree``, in index order (a shared, read-only array).

    An array of machine integers, not a list of Python ints: a broad match
    set of 15,000 articles is 60 KB instead of ~1 MB, and the cache holds
    MATCH_CACHE_SIZE of them in every worker.
    """
    key = _key(tree)
    with _matches_lock:
        cache = _matches.setdefault(s, {})
        if key in cache:
            cache[key] = cache.pop(key)  # most recently used last
            return cache[key]
    matched = array("I", sorted(evaluate.evaluate(s, tree)))
    with _matches_lock:
        cache[key] = matched
        while len(cache) > MATCH_CACHE_SIZE:
            del cache[next(iter(cache))]
    return matched


def forget_matches():
    """Drop cached match sets (the benchmark times first searches)."""
    with _matches_lock:
        _matches.clear()


def _count(values, docs):
    counts = Counter(map(values.__getitem__, docs))
    counts.pop("", None)
    counts.pop(None, None)
    return dict(sorted(counts.items()))


def run(s, tree, sort_by=(), start=0, stop=None, facets=(), date_facets=None):
    """Evaluate ``tree`` on searcher ``s``: the count, the hits of ranks [start, stop), the facets.

    ``sort_by`` is haystack's order_by list (``["newest"]``, ``["order"]``,
    a leading "-" reverses); empty means relevance. ``facets`` are field names, ``date_facets``
    haystack's {field: {"gap_by": "month" or "year", ...}}.
    """
    found = Found()
    matched = match_set(s, tree)
    found.count = len(matched)
    if not matched:
        return found
    for name in facets:
        found.fields[name] = _count(evaluate.column(s, _FACET_COLUMNS.get(name, name)), matched)
    for name, details in (date_facets or {}).items():
        gap = _DATE_GAPS.get(details.get("gap_by"))
        if name != "issue_date" or gap is None or details.get("gap_amount", 1) != 1:
            raise evaluate.UnsupportedQuery(f"the local search engine counts issue_date by month or year, not {details}")
        found.dates[name] = _count(evaluate.column(s, gap), matched)
    stop = found.count if stop is None else min(stop, found.count)
    if stop <= start:
        return found
    order = evaluate.column(s, "order")
    if sort_by:
        if len(sort_by) != 1 or sort_by[0].lstrip("-") not in _SORT_COLUMNS:
            raise evaluate.UnsupportedQuery(f"the local search engine sorts by relevance, {_SORT_COLUMNS}, not {sort_by}")
        values = evaluate.column(s, sort_by[0].lstrip("-"))
        pick = heapq.nlargest if sort_by[0].startswith("-") else heapq.nsmallest
        found.hits = [(d, 0.0) for d in pick(stop, matched, key=values.__getitem__)[start:]]
        return found
    ranked, scores = _relevance(s, tree, matched, stop, order)
    found.hits = [(d, scores.get(d, 0.0)) for d in ranked[start:]]
    return found


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


def _relevance(s, tree, matched, limit, order):
    """(the first ``limit`` matches in relevance order, {docnum: score} of those scored).

    An unquoted fuzzy term also matches its words apart, but every article
    holding the query as written ranks above every article holding only its
    words: literal containment is the first sort key, over the score and
    over the unscored order alike (``evaluate.literal_tree``).
    """
    literal = evaluate.literal_tree(tree)
    terms = score.ranked_terms(tree)
    if terms and len(matched) <= SCORE_LIMIT:
        scores = dict.fromkeys(matched, 0.0)
        scores.update(score.scores(s, terms, set(matched)))
        # Highest score first; equal scores newest first.
        best = _first(matched, lambda d: (-round(scores[d], 6), -order[d]))
        if literal is None:
            return best(limit), scores
        holders, others, _ = _holders_first(s, literal, best, len(matched), limit)
        return (holders + others)[:limit], scores
    # Unscored (too many matches, or only person and page terms): headline
    # matches, then the rest, each newest first.
    pool = set(matched)
    in_headline = score.in_headline(s, terms, pool) if terms else set()
    rest = pool - in_headline
    if literal is None:
        ranked = heapq.nlargest(limit, in_headline, key=order.__getitem__)
        return ranked + heapq.nlargest(limit - len(ranked), rest, key=order.__getitem__), {}
    # Literal holders first (headline matches, then the rest), then the
    # others in the same order; each group is checked newest first, a window at a time.
    newest = order.__getitem__
    holders, others, complete = _holders_first(
        s, literal, _first(list(in_headline), newest, largest=True), len(in_headline), limit)
    ranked = holders[:limit]
    if len(ranked) < limit:
        rest_holders, rest_others, rest_complete = _holders_first(
            s, literal, _first(list(rest), newest, largest=True), len(rest), limit - len(ranked))
        ranked += rest_holders
        if rest_complete:
            ranked += others + rest_others
    return ranked[:limit], {}
