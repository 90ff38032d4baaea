"""Word trends: how many articles hold each of 1–4 terms, month by month (or year by year), across the archive.

Each term is read in the reader's query language (phrases, OR, -exclusions,
field prefixes) and compiled once (``service.begin``); its SearchQuerySet is
the search page's (``service.queryset``: the same place and person filters)
with an issue-date facet by month, asked for no hits: one engine call per
term gives its count and its months. One more call with the filters and no
query counts every article of each month: it sets the span drawn (the
archive's first to last month under the filters) and the base of the per-100
figures, for all terms at once.

Heavy terms (``admission.is_heavy``) are counted under one heavy-search slot,
niced, like a heavy search; every slot taken: nothing is counted and the
reader is told to retry (``busy``). A term over its work budget, or one the
parser refuses, gets its own message while the others are drawn.
"""

import logging
from dataclasses import dataclass, field

from articles.search import admission, budget, service
from articles.search.service import SearchRequest

logger = logging.getLogger(__name__)

MAX_TERMS = 4
# A span longer than this many months is drawn year by year: 180 points is about what a chart can show.
MAX_MONTHS = 180
PERIODS = {"month": "按月", "year": "按年"}


@dataclass
class Series:
    """One term's counts: ``months`` {"2023-08": n}; ``error`` the message if it could not be counted."""

    q: str
    error: str = ""
    count: int = 0
    months: dict = field(default_factory=dict)


@dataclass
class Trends:
    series: list
    place: str = ""
    person: str = ""
    by: str = "month"  # "month" or "year": the periods the counts are given for
    periods: list = field(default_factory=list)  # "2023-08" (or "2023"), first to last, none skipped
    printed: dict = field(default_factory=dict)  # period -> every article of it under the filters
    error: str = ""
    unavailable: bool = False
    busy: bool = False

    def counts(self, series):
        """The series' count in each period, in order."""
        return [_in_period(series.months, period) for period in self.periods]

    def per_hundred(self, series):
        """Articles holding the term per 100 printed (under the same filters) in each period; None if none printed."""
        return [round(100 * n / self.printed[p], 2) if self.printed.get(p) else None
                for n, p in zip(self.counts(series), self.periods)]


def _in_period(months, period):
    return months.get(period, 0) if len(period) == 7 else sum(n for m, n in months.items() if m[:4] == period)


def trends(terms, place="", person="", field="any", match="fuzzy", by="", client="", using=service.CONNECTION):
    """The Trends of ``terms`` (1 to MAX_TERMS query strings; the caller enforces the limit).

    ``by`` "month" or "year" fixes the periods; empty picks month unless the span exceeds MAX_MONTHS.
    Never raises for a broken index: ``unavailable`` is set and ``error`` says so.
    """
    base = SearchRequest(field=field, match=match, place=place, person=person, client=client)
    found = Trends(series=[], place=base.place, person=base.person)
    plans = []
    for term in terms:
        req = SearchRequest(q=term, field=base.field, match=base.match, place=base.place, person=base.person)
        result, plan = service.begin(req)
        found.series.append(Series(q=term, error=result.error or ("" if plan else "没有要统计的词。")))
        plans.append((req, plan))
    counted = [(series, req, plan) for series, (req, plan) in zip(found.series, plans) if plan is not None]
    try:
        if any(admission.is_heavy(plan) for _, _, plan in counted):
            with admission.slot(client):
                admission.run_niced(_count, found, base, counted, using)
        else:
            _count(found, base, counted, using)
    except admission.Busy as error:
        logger.warning("heavy trend refused (%s): %r", error, [t[:40] for t in terms])
        return Trends(series=found.series, place=found.place, person=found.person, error=admission.MESSAGE,
                      busy=True)
    except Exception:  # noqa: BLE001 - a damaged index or a failing cluster: tell the reader, keep the page up
        logger.exception("search index failed counting trends of %r", [t[:40] for t in terms])
        return Trends(series=found.series, place=found.place, person=found.person, error=service.UNAVAILABLE,
                      unavailable=True)
    _set_periods(found, by)
    return found


def _count(found, base, counted, using):
    """Fill each counted series and ``found.printed`` (by month, for now): one engine call each."""
    first, last = service.facet_span(base)
    for series, req, plan in counted:
        sqs = service.queryset(req, plan, facets=False, using=using)
        try:
            series.count, facets = service.tally(sqs.date_facet("issue_date", first, last, gap_by="month"))
        except budget.BudgetExceeded as error:
            logger.warning("trend over budget (%s): %r", error, req.q[:40])
            series.error = budget.MESSAGE
            continue
        series.months = service.month_counts(facets)
    everything = service.queryset(base, None, facets=False, using=using)
    _, facets = service.tally(everything.date_facet("issue_date", first, last, gap_by="month"))
    found.printed = service.month_counts(facets)


def _set_periods(found, by):
    """Every month (or year) from the first to the last one with articles; ``printed`` re-keyed to match."""
    months = sorted(found.printed)
    if not months:
        found.by = by if by in PERIODS else "month"
        return
    (y0, m0), (y1, m1) = (map(int, months[0].split("-")), map(int, months[-1].split("-")))
    span = (y1 - y0) * 12 + m1 - m0 + 1
    found.by = by if by in PERIODS else ("year" if span > MAX_MONTHS else "month")
    if found.by == "year":
        found.periods = [str(y) for y in range(y0, y1 + 1)]
    else:
        found.periods = [f"{y0 + (m0 - 1 + k) // 12:04d}-{(m0 - 1 + k) % 12 + 1:02d}" for k in range(span)]
    found.printed = {p: _in_period(found.printed, p) for p in found.periods}
