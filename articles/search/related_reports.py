"""相关报道 on an article page: the reports most like it, and the 连续报道 thread of a continued story.

``related_reports(article)`` asks the engine's ``more_like_this`` (either
engine; on the local one, engines/local/related.py) and shapes up to
``SHOWN`` results from their stored fields only: no database query per item.
Left out: the article itself, what continues it or it continues (转版), its
sidebars, and its parent when it is a sidebar (all shown on the page already).
Among equal scores the newer report comes first; a report continued on
another page (the same day and title) is listed once, at its first page.

A result is part of the article's thread (a continued story) when it shares
a person or a place with the article and either appeared within
``THREAD_WEEKS`` of it, or within ``REFERENCE_WEEKS`` when the later of the
two names an earlier report (``EARLIER_REPORT``). The thread is shown in date
order, the other results after it as they ranked (docs/search.md, "Related
reports").
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.urls import reverse
from haystack.query import SearchQuerySet

from articles.models import page_sort_key
from articles.search.text import fold

log = logging.getLogger(__name__)

# Reports listed at most.
SHOWN = 6
# Asked of the engine besides those left out: room for reports continued on
# another page, listed once.
ASKED = 2 * SHOWN
# The same person or place within this many weeks: one continued story.
THREAD_WEEKS = 6
# ... within this many when the later report names an earlier one.
REFERENCE_WEEKS = 52
# How a report points back at an earlier one of the paper's: the wording
# newspaper reports use for it. None of the bundled sample pages holds one
# (they are single days), so the list is the customary wording, to be
# extended when the archive shows others.
EARLIER_REPORT = (
    "此前本报报道", "本报此前报道", "本报曾报道", "本报曾经报道", "本报前期报道", "本报日前报道", "本报已报道",
    "本报也曾报道", "据本报此前报道",
)
_EARLIER_REPORT = tuple(fold(phrase) for phrase in EARLIER_REPORT)


@dataclass
class RelatedReport:
    """One related report as a page and its JSON twin show it."""

    id: int
    title: str
    date: date | None
    page: str  # its page's label (版次)
    url: str
    thread: bool  # part of the article's continued story

    def links(self):
        return self.url, reverse("api_article_by_id", kwargs={"pk": self.id})


def related_reports(article):
    """The article's related reports (thread first, in date order), or None when the index cannot answer.

    Reads the article's credits, places, sidebars and continuations through
    its relations: prefetched on the article page, so no query there.
    """
    left_out = _shown_with(article)
    try:
        results = list(SearchQuerySet().more_like_this(article)[:ASKED + len(left_out)])
    except Exception as error:  # an unavailable index must not take the article page with it
        log.warning("related reports: none for article %s, the index did not answer: %r", article.pk, error)
        return None
    results = [r for r in results if int(r.pk) not in left_out]
    # Stable: the engine's order stays among equal (score, date).
    results.sort(key=lambda r: (-round(r.score or 0, 6), -_day(r).toordinal() if _day(r) else 0))
    results = _once(results)[:SHOWN]
    own = _names(article)
    day = article.page.issue.date if article.page.issue_id else None
    refers = _names_earlier_report(" ".join((article.lead, article.body)))
    reports = []
    for result in results:
        shares = bool(own & (_folded(result, "people") | _folded(result, "places")))
        reports.append(RelatedReport(
            id=int(result.pk), title=result.title, date=_day(result), page=_page(result),
            url=result.url, thread=shares and _in_thread(day, refers, _day(result), result)))
    thread = sorted((r for r in reports if r.thread), key=lambda r: (r.date, page_sort_key(r.page)))
    return thread + [r for r in reports if not r.thread]


def _once(results):
    """``results`` with a report continued on another page (same day and title) listed once, at its first page.

    It keeps the rank of its best-ranked part.
    """
    kept = {}
    for result in results:
        key = (_day(result), result.title)
        if key not in kept or page_sort_key(_page(result)) < page_sort_key(_page(kept[key])):
            kept[key] = result  # a replaced value keeps its place in the dict's order
    return list(kept.values())


def _page(result):
    return getattr(result, "page", "") or ""


def _shown_with(article):
    """Ids shown on the article's page already: itself, its continuations, sidebars and parent."""
    ids = {article.pk, article.continuation_id, article.parent_id}
    ids.update(a.pk for a in article.continued_by.all())
    ids.update(a.pk for a in article.sidebars.all())
    return {pk for pk in ids if pk is not None}


def _names(article):
    """The article's people and places, folded as the index folds them."""
    names = {credit.person.name for credit in article.credits.all()}
    names.update(link.place.name for link in article.article_places.all())
    return {fold(name) for name in names}


def _folded(result, field):
    value = getattr(result, field, None) or ()
    if isinstance(value, str):  # the local engine stores places comma-joined
        value = value.split(",")
    return {fold(name.strip()) for name in value if name.strip()}


def _day(result):
    value = getattr(result, "issue_date", None)
    if isinstance(value, str):  # a cluster's JSON
        value = datetime.fromisoformat(value)
    return value.date() if isinstance(value, datetime) else value


def _names_earlier_report(text):
    squeezed = "".join(fold(text or "").split())  # typesetting spaces and line breaks inside the phrase
    return any(phrase in squeezed for phrase in _EARLIER_REPORT)


def _in_thread(day, refers, other_day, result):
    if day is None or other_day is None:
        return False
    weeks = abs((other_day - day).days) / 7
    if weeks <= THREAD_WEEKS:
        return True
    later_refers = refers if day > other_day else _names_earlier_report(getattr(result, "body", ""))
    return weeks <= REFERENCE_WEEKS and later_refers
