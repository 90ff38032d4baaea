"""A searcher's sortable columns as numpy arrays by docnum, read once per searcher.

Filters, facet counts and date sorts read them at a match set's docnums in
one indexing step (``codes[matched]``, ``np.bincount``), instead of looking
each match up in a Python list. A new searcher (after any index write) reads
its columns again; the old ones go with it.
"""

import threading
import weakref

import numpy as np

from ..index.documents import ORDER_DAY
from ..whoosh_blocks import read_column
from . import docsets

# Reading-order numbers (index/documents.py); the rest are text values.
NUMERIC = {"order", "newest"}

_cache = weakref.WeakKeyDictionary()
_lock = threading.RLock()  # a derived column reads its source inside the lock


def _cached(s, key, read):
    with _lock:
        per_searcher = _cache.setdefault(s, {})
        if key not in per_searcher:
            per_searcher[key] = read()
        return per_searcher[key]


def numbers(s, name):
    """Column ``name`` (``order`` or ``newest``) as an int64 array by docnum."""
    return _cached(s, name, lambda: docsets.frozen(np.array(read_column(s.reader(), name), dtype=np.int64)))


def days(s):
    """Each document's issue day (a proleptic ordinal; 0 when undated), from its reading order."""
    return _cached(s, "day", lambda: docsets.frozen(numbers(s, "order") // ORDER_DAY))


class Coded:
    """A text column as one small integer per docnum (``codes``) and the distinct values (``labels``)."""

    def __init__(self, values):
        index = {}
        self.codes = docsets.frozen(np.fromiter((index.setdefault(v, len(index)) for v in values), np.int32,
                                                len(values)))
        self.labels = list(index)
        self._index = index

    def code(self, value):
        """The code of ``value``, or -1 if no document has it."""
        return self._index.get(value, -1)

    def counts(self, docs):
        """{value: number of ``docs`` with it}, by value, without empty values."""
        counted = np.bincount(self.codes[docs], minlength=len(self.labels)).tolist()
        found = {label: n for label, n in zip(self.labels, counted) if n and label not in ("", None)}
        return dict(sorted(found.items()))


def coded(s, name):
    return _cached(s, name, lambda: Coded(read_column(s.reader(), name)))


def live(s):
    """The searcher's live (undeleted) docnums as a match set."""
    return _cached(s, "live", lambda: docsets.frozen(docsets.as_docs(s.reader().all_doc_ids())))


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
