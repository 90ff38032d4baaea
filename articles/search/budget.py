"""A work and time budget for one search, so no query can tie up a worker.

The cost of a query is reading posting lists: a 100-character query of
common text can ask for a hundred bigrams, each in most articles. The local
engine runs each search inside ``spending(...)``; every posting block read
(``engines/local/whoosh/postings.py``) charges its length here, and the first charge past
the posting budget or the deadline raises ``BudgetExceeded``, which the
engine turns into a message for the reader. Outside ``spending`` (index
builds, the bench) nothing is counted.

Limits come from settings (docs/operations.md, "Guards"):
PHNEWS_SEARCH_MAX_POSTINGS and PHNEWS_SEARCH_TIME_LIMIT (seconds). The
posting budget grows with the archive unless it is set: a term's posting
list grows with the articles that hold it, so a fixed budget that suits
15,000 articles refuses an ordinary two-word query at 300,000.
"""

import contextlib
import contextvars
import time

from django.conf import settings

# The posting budget when PHNEWS_SEARCH_MAX_POSTINGS is 0 (the default):
# this many postings per indexed article, and never less than FLOOR.
POSTINGS_PER_ARTICLE = 20
FLOOR = 300_000

MESSAGE = "这个检索太复杂，超出了单次检索的工作量上限。请缩短检索词、减少词数，或用引号按原文查找。"


class BudgetExceeded(Exception):
    """The search read more postings or took longer than its budget allows."""


class _Budget:
    __slots__ = ("postings_left", "deadline")

    def __init__(self, postings, seconds):
        self.postings_left = postings
        self.deadline = time.monotonic() + seconds


_active = contextvars.ContextVar("search_budget", default=None)


def posting_limit(articles):
    """The postings one search may read in an index of ``articles`` documents."""
    configured = settings.PHNEWS_SEARCH_MAX_POSTINGS
    return configured if configured > 0 else max(FLOOR, POSTINGS_PER_ARTICLE * articles)


@contextlib.contextmanager
def spending(postings, seconds=None):
    """Count the postings read inside the block against a budget of ``postings`` (see posting_limit)."""
    budget = _Budget(postings, settings.PHNEWS_SEARCH_TIME_LIMIT if seconds is None else seconds)
    token = _active.set(budget)
    try:
        yield budget
    finally:
        _active.reset(token)


@contextlib.contextmanager
def paused():
    """Nothing inside the block is charged, postings or time: loading what later searches share is not one query's work."""
    budget = _active.get()
    started = time.monotonic()
    token = _active.set(None)
    try:
        yield
    finally:
        _active.reset(token)
        if budget is not None:
            budget.deadline += time.monotonic() - started


def charge(postings):
    budget = _active.get()
    if budget is None:
        return
    budget.postings_left -= postings
    if budget.postings_left < 0:
        raise BudgetExceeded("posting budget spent")
    if time.monotonic() > budget.deadline:
        raise BudgetExceeded("time budget spent")
