"""Posting lists read a block at a time, and the fixed block layout our codec writes.

``postings`` decodes a whole posting list (or the blocks that may hold some
wanted docnums) into numpy arrays in a few C calls per block. It reads only
the lists ``codec.py`` writes: every block with a fixed header, none inlined
in its term info. A list written otherwise (by Whoosh's own writer, or by a
release before the index stamp's layout, ``store.LAYOUT``) is refused with
``ForeignPostings`` rather than misread; ``bin/run`` rebuilds such an index
before anything reads it. Each block read is charged to the search budget.
"""

import pickle
import struct
import zlib
from array import array
from itertools import accumulate
from operator import itemgetter

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

from articles.search.budget import charge


class ForeignPostings(ValueError):
    """A posting list this version's codec did not write."""

    def __init__(self, what):
        super().__init__(
            f"{what}: this index was not written by this version's index writer (it comes from an earlier "
            "release or from Whoosh's own writer); rebuild it with manage.py rebuild_index "
            "(bin/run does so on its own)")


def leaf_matcher(leaf, fieldname, btext):
    """(raw matcher, deleted docnums) of one term in one segment, or (None, ())."""
    try:
        # Not "in leaf" first: that is a second lookup in the term table.
        matcher = leaf.postings(fieldname, btext)
    except TermNotFound:
        return None, ()
    deleted = ()
    if isinstance(matcher, FilterMatcher):
        # The segment has deletions; read the raw list and drop them ourselves.
        deleted = matcher._ids
        matcher = matcher.child
        matcher.reset()
    return matcher, deleted


def blocks(matcher, need_weights=False, need_values=False):
    """Yield (ids, weights, values) per block of a posting list, decoded by Whoosh's own block reader.

    What a merge copies (``writer.py``). Each block read is charged to
    the search budget (``budget.charge``).
    """
    if not isinstance(matcher, W3LeafMatcher):
        raise ForeignPostings(f"a posting list read by {type(matcher).__name__}")
    while matcher.is_active():
        if matcher._ids is None:
            _read_ids(matcher)
        if need_weights and matcher._weights is None:
            matcher._read_weights()
        if need_values and matcher._values is None:
            matcher._read_values()
        charge(len(matcher._ids))
        yield matcher._ids, matcher._weights, matcher._values
        matcher._next_block()


# A W3 block: its length (negative for the list's last block), a pickled
# info tuple (count, max docnum, max weight, compression, min and max
# length bytes), then the possibly compressed pickled data tuple
# (docnum deltas, weights, values).
_BLOCK_LENGTH = struct.Struct("!i")
# Our writer's info tuple (``block_info``): a protocol 2 pickle with every
# field at a fixed place (BININT little-endian, BINFLOAT big-endian).
_FIXED_INFO = struct.Struct("<3sci ci c8s ci ci ci 2s")
_FIXED_OPCODES = (b"\x80\x02(", b"J", b"J", b"G", b"J", b"J", b"J", b"t.")
_opcodes = itemgetter(0, 1, 3, 5, 7, 9, 11, 13)


def block_info(count, maxid, maxweight, compression, minlength, maxlength):
    """A block's info tuple, pickled for Whoosh's reader, in the fixed layout ``_block_heads`` reads directly."""
    return _FIXED_INFO.pack(b"\x80\x02(", b"J", count, b"J", maxid, b"G", struct.pack(">d", maxweight),
                            b"J", compression, b"J", minlength, b"J", maxlength, b"t.")


def _block_heads(buf, pos):
    """(count, max docnum, compression, data start, data end) of every block of a W3 posting list in ``buf``.

    ``pos`` is where its first block starts in ``buf``. Headers are read
    straight from their fixed places (Whoosh's own walk unpickles each from a
    file object, about twenty small reads per block); a header of another
    layout raises ForeignPostings.
    """
    heads = []
    fixed, size = _FIXED_INFO.unpack_from, _FIXED_INFO.size
    while True:
        (length,) = _BLOCK_LENGTH.unpack_from(buf, pos)
        start = pos + _BLOCK_LENGTH.size
        end = start + abs(length)
        info = fixed(buf, start) if end - start >= size else None
        if info is None or _opcodes(info) != _FIXED_OPCODES:
            raise ForeignPostings(f"a posting block header at byte {start}")
        heads.append((info[2], info[4], info[8], start + size, end))
        if length < 0:
            return heads
        pos = end


def _list_bytes(matcher):
    """(the bytes of a posting list, where they start in its posting file).

    A memory-mapped segment gives its map; any other file (``PreadStorage``'s,
    the app's) the list in one read, so walking its blocks costs one system
    call, not one per block header.
    """
    if not isinstance(matcher, W3LeafMatcher):
        # Whoosh reads a list inlined in its term info with a ListMatcher; ours never inlines.
        raise ForeignPostings(f"a posting list read by {type(matcher).__name__}")
    postfile = matcher._postfile
    buf = getattr(postfile, "_buf", None)
    if isinstance(buf, (bytes, memoryview)):
        return buf, 0
    length = matcher._length
    # Whoosh 2.7's W3TermInfo.from_bytes leaves the length as a 1-tuple.
    length = length[0] if isinstance(length, tuple) else length
    return postfile.get(matcher._startoffset, length), matcher._startoffset


class PackedValues:
    """A block's variable-size posting values: their bytes joined, and each one's length.

    Pickled into every full block ``codec.py`` writes, by its copyreg code (``whoosh/__init__.py``).
    Whoosh's matcher indexes and iterates it as it would a tuple of bytes;
    our reader (``postings``) takes ``data`` and ``lengths`` whole.
    """

    __slots__ = ("data", "lengths", "_ends")

    def __init__(self, data, lengths):
        self.data, self.lengths, self._ends = data, lengths, None

    @classmethod
    def of(cls, values):
        lengths = list(map(len, values))
        longest = max(lengths, default=0)
        # The narrowest array for the longest value: lengths cost a byte a posting, not four.
        typecode = "B" if longest < 1 << 8 else "H" if longest < 1 << 16 else "I"
        return cls(b"".join(values), array(typecode, lengths))

    def __reduce__(self):
        return PackedValues, (self.data, self.lengths)

    def __len__(self):
        return len(self.lengths)

    def _bounds(self):
        if self._ends is None:
            self._ends = [0, *accumulate(self.lengths)]
        return self._ends

    def __getitem__(self, i):
        ends = self._bounds()
        i = range(len(self.lengths))[i]
        return self.data[ends[i]:ends[i + 1]]

    def __iter__(self):
        ends = self._bounds()
        data = self.data
        return (data[a:b] for a, b in zip(ends, ends[1:]))


def postings(matcher, wanted=None, need_weights=False, need_values=False):
    """(docnums, weights, values) of one term in one segment, as arrays; blocks without a ``wanted`` docnum skipped.

    ``docnums`` is an ascending int32 numpy array of segment-local docnums
    (deleted ones included; see ``leaf_matcher``), ``weights`` a float32 numpy
    array, ``values`` a pair (the values' bytes joined, an int64 array of
    each one's length); each None unless asked for. ``wanted`` is a sorted
    numpy array of segment-local docnums. Each block read is charged to the
    search budget. A list ``codec.py`` did not write raises ForeignPostings.
    """
    buf, base = _list_bytes(matcher)
    heads = _block_heads(buf, matcher._baseoffset - base)
    if wanted is not None:
        # A block holds docnums from just after the previous block's maximum
        # to its own: keep those where the first wanted docnum past that
        # start is at most the maximum.
        maxids = np.fromiter((h[1] for h in heads), np.int64, len(heads))
        lows = np.concatenate(([0], maxids[:-1] + 1))
        first = np.searchsorted(wanted, lows)
        inside = first < len(wanted)
        inside[inside] = wanted[first[inside]] <= maxids[inside]
        heads = [h for h, keep in zip(heads, inside.tolist()) if keep]
    if not heads:
        return (np.zeros(0, np.int32), np.zeros(0, np.float32) if need_weights else None,
                (b"", np.zeros(0, np.int64)) if need_values else None)
    # A block's first delta is its first docnum; the others are gaps. Deltas
    # of all blocks read are summed at once below, so each block's first one
    # becomes the gap from the previous block read (whose last docnum is its maximum).
    delta_parts, weight_parts, value_parts, length_parts = [], [], [], []
    fixedsize = matcher._fixedsize
    for count, _, compression, start, end in heads:
        charge(count)
        data = buf[start:end]
        block_ids, block_weights, block_values = pickle.loads(zlib.decompress(data) if compression else data)
        # Full blocks hold arrays; short ones (under codec.ARRAY_MIN postings) tuples.
        delta_parts.append(np.frombuffer(block_ids, block_ids.typecode) if isinstance(block_ids, array)
                           else np.array(block_ids, np.int64))
        if need_weights:
            if block_weights is None or isinstance(block_weights, float):
                weight_parts.append(np.full(count, 1.0 if block_weights is None else block_weights, np.float32))
            elif isinstance(block_weights, array):  # 32-bit floats, or whole numbers in bytes
                weight_parts.append(np.frombuffer(block_weights, block_weights.typecode))
            else:
                weight_parts.append(np.array(block_weights, np.float32))
        if need_values:
            if fixedsize == 0:
                length_parts.append(np.zeros(count, np.int64))
            elif fixedsize is not None and fixedsize > 0:
                value_parts.append(block_values)
                length_parts.append(np.full(count, fixedsize, np.int64))
            elif isinstance(block_values, PackedValues):
                value_parts.append(block_values.data)
                length_parts.append(np.frombuffer(block_values.lengths, block_values.lengths.typecode))
            else:
                value_parts.append(b"".join(block_values))
                length_parts.append(np.fromiter(map(len, block_values), np.int64, count))
    gaps = np.concatenate(delta_parts).astype(np.int64)
    counts = np.fromiter((h[0] for h in heads), np.int64, len(heads))
    firsts = np.cumsum(counts) - counts
    gaps[firsts[1:]] -= np.fromiter((h[1] for h in heads[:-1]), np.int64, len(heads) - 1)
    ids = np.cumsum(gaps).astype(np.int32)
    values = None
    if need_values:
        values = b"".join(value_parts), np.concatenate(length_parts).astype(np.int64, copy=False)
    weights = np.concatenate(weight_parts).astype(np.float32, copy=False) if need_weights else None
    return ids, weights, values


def _read_ids(matcher):
    """Whoosh's ``_read_ids`` with the docnum deltas summed in C (``accumulate``) rather than a generator."""
    if matcher._data is None:
        matcher._read_data()
    ids = matcher._data[0]
    matcher._ids = ids if matcher._byteids else tuple(accumulate(ids))
