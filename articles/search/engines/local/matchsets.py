"""Match sets as sorted numpy arrays of docnums, and the set operations on them.

A match set of a broad query holds most of the archive; as a Python set it
cost about 50 bytes and a hash per docnum on every intersection, which grew
with the archive (docs/search-benchmark.md, issue 13). Here a match set is an
ascending, duplicate-free int32 array; intersections, unions and differences
go through a boolean mask over the docnums or a binary search, in C.
"""

import numpy as np

DOCNUM = np.int32
EMPTY = np.zeros(0, DOCNUM)
EMPTY.flags.writeable = False
# Below this ratio of sizes, the smaller set's docnums are looked up in the
# larger by binary search; above it a mask over the docnums is cheaper.
_SEARCH_RATIO = 32


def as_docs(docs):
    """``docs`` (an array, set, list or other iterable of docnums) as a match set."""
    if isinstance(docs, np.ndarray):
        if docs.dtype == DOCNUM and _is_set(docs):
            return docs
        return np.unique(docs.astype(DOCNUM, copy=False))
    docs = np.fromiter(docs, DOCNUM)
    return np.unique(docs)


def _is_set(docs):
    return len(docs) < 2 or bool((docs[1:] > docs[:-1]).all())


def frozen(docs):
    """``docs``, read-only: cached match sets are shared between searches."""
    docs.flags.writeable = False
    return docs


def mask(docs, size):
    """A boolean array of ``size`` that is True at ``docs`` (those below ``size``)."""
    flags = np.zeros(size, bool)
    flags[docs[docs < size] if len(docs) and docs[-1] >= size else docs] = True
    return flags


def contains(docs, candidates):
    """A boolean array telling, for each of ``candidates``, whether it is in match set ``docs``."""
    if not len(docs) or not len(candidates):
        return np.zeros(len(candidates), bool)
    if len(candidates) * _SEARCH_RATIO < len(docs):
        at = np.searchsorted(docs, candidates)
        at[at == len(docs)] = 0
        return docs[at] == candidates
    size = int(docs[-1]) + 1
    inside = candidates < size
    found = np.zeros(len(candidates), bool)
    found[inside] = mask(docs, size)[candidates[inside]]
    return found


def intersect(a, b):
    if len(a) > len(b):
        a, b = b, a
    return a[contains(b, a)]


def subtract(a, b):
    return a[~contains(b, a)]


def union(sets):
    sets = [s for s in sets if len(s)]
    if not sets:
        return EMPTY
    if len(sets) == 1:
        return sets[0]
    size = max(int(s[-1]) for s in sets) + 1
    flags = np.zeros(size, bool)
    for s in sets:
        flags[s] = True
    return np.flatnonzero(flags).astype(DOCNUM)


def pack(docs, size):
    """Match set ``docs`` as a bitmap of ``size`` bits (one byte per eight docnums) for caching."""
    return np.packbits(mask(docs, size))


def unpack(bits, size):
    return np.flatnonzero(np.unpackbits(bits, count=size)).astype(DOCNUM)
