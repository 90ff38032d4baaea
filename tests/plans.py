"""Compiled queries and their scores, for tests that check the local engine against Whoosh's own."""

from articles.search.engines.local.matchsets import as_docs
from articles.search.engines.local.scoring import score_array
from articles.search.querylang import compile_query


def matching_of(parsed, mode="fuzzy"):
    """The matching tree of a parsed query, or None if nothing can match."""
    plan = compile_query(parsed, mode)
    return plan.matching if plan else None


def ranked_of(parsed, mode="fuzzy"):
    plan = compile_query(parsed, mode)
    return list(plan.ranked) if plan else []


def scores(s, terms, within):
    """{docnum: score} of the docnums in ``within`` that any part of the ranking matches."""
    within = as_docs(within)
    totals, hit = score_array(s, terms, within)
    return dict(zip(within[hit].tolist(), totals[hit].tolist()))
