"""A searcher's sortable columns as numpy arrays by docnum, read once per segment.

Filters, facet counts and date sorts read them at a match set's docnums in
one indexing step (``codes[matched]``, ``np.bincount``), instead of looking
each match up in a Python list.

A segment's column is read whole (``whoosh/columns.py``), but that
still grows with the archive. A new searcher (after any index write)
therefore keeps the arrays of the segments it shares with the last one and
reads only the new segments'; and the reading is not charged to the search
that happens to need it first (``budget.paused``), which would otherwise be
refused for work that every later search shares.
"""

import threading
import weakref
from collections import OrderedDict

import numpy as np

from articles.search import budget
from articles.search.documents import ORDER_DAY
from articles.search.engines.local.whoosh.columns import column_segments, read_column
from articles.search.engines.local import matchsets

# Reading-order numbers (index/documents.py); the rest are text values.
NUMERIC = {"order", "newest"}

_cache = weakref.WeakKeyDictionary()
_lock = threading.RLock()  # a derived column reads its source inside the lock
# (segment key, column) -> that segment's array (numbers) or Coded (text).
# Bounded: merged-away segments fall out as new ones come in.
_segments = OrderedDict()
MAX_SEGMENT_COLUMNS = 256


def _cached(s, key, read):
    with _lock:
        per_searcher = _cache.setdefault(s, {})
        if key not in per_searcher:
            with budget.paused():
                per_searcher[key] = read()
        return per_searcher[key]


def _by_segment(s, name, read):
    """``read(values)`` of column ``name`` for each segment of ``s``, reusing segments read before."""
    parts = []
    for key, leaf in column_segments(s.reader()):
        part = _segments.get((key, name))
        if part is None:
            part = read(read_column(leaf, name))
            _segments[(key, name)] = part
            if len(_segments) > MAX_SEGMENT_COLUMNS:
                _segments.popitem(last=False)
        else:
            _segments.move_to_end((key, name))
        parts.append(part)
    return parts


def numbers(s, name):
    """Column ``name`` (``order`` or ``newest``) as an int64 array by docnum."""
    def read():
        parts = _by_segment(s, name, lambda values: np.array(values, dtype=np.int64))
        return matchsets.frozen(np.concatenate(parts) if parts else np.zeros(0, np.int64))

    return _cached(s, name, read)


def days(s):
    """Each document's issue day (a proleptic ordinal; 0 when undated), from its reading order."""
    return _cached(s, "day", lambda: matchsets.frozen(numbers(s, "order") // ORDER_DAY))


class Coded:
    """A text column as one small integer per docnum (``codes``) and the distinct values (``labels``)."""

    def __init__(self, values):
        index = {}
        self.codes = matchsets.frozen(np.fromiter((index.setdefault(v, len(index)) for v in values), np.int32,
                                                len(values)))
        self.labels = list(index)
        self._index = index

    @classmethod
    def joined(cls, parts):
        """One Coded over several segments' Coded, in docnum order: each part's codes renumbered into one set of labels."""
        whole = cls(())
        codes = []
        for part in parts:
            renumber = np.array([whole._index.setdefault(label, len(whole._index)) for label in part.labels],
                                dtype=np.int32)
            codes.append(renumber[part.codes] if len(part.codes) else part.codes)
        whole.labels = list(whole._index)
        whole.codes = matchsets.frozen(np.concatenate(codes) if codes else np.zeros(0, np.int32))
        return whole

    def code(self, value):
        """The code of ``value``, or -1 if no document has it."""
        return self._index.get(value, -1)

    def counts(self, docs):
        """{value: number of ``docs`` with it}, by value, without empty values."""
        counted = np.bincount(self.codes[docs], minlength=len(self.labels)).tolist()
        found = {label: n for label, n in zip(self.labels, counted) if n and label not in ("", None)}
        return dict(sorted(found.items()))


def coded(s, name):
    return _cached(s, name, lambda: Coded.joined(_by_segment(s, name, Coded)))


def live(s):
    """The searcher's live (undeleted) docnums as a match set."""
    return _cached(s, "live", lambda: matchsets.frozen(matchsets.as_docs(s.reader().all_doc_ids())))


def first(docs, keys, n, largest=False):
    """The first ``n`` of ``docs`` by ``keys`` (aligned with ``docs``), ties in docnum order.

    A partial sort: only the candidates up to the n-th key are ordered.
    """
    if largest:
        keys = -keys
    n = min(n, len(docs))
    if n <= 0:
        return docs[:0]
    if n < len(docs):
        kth = np.partition(keys, n - 1)[n - 1]
        keep = np.flatnonzero(keys <= kth)
        docs, keys = docs[keep], keys[keep]
    return docs[np.argsort(keys, kind="stable")[:n]]


def forget():
    """Drop every searcher's columns (tests that rewrite an index in place)."""
    with _lock:
        _cache.clear()
        _segments.clear()
