"""The one place that touches Whoosh's private fields, protected methods and internal modules.

Whoosh's public matcher API advances one posting at a time through several
layers of Python calls; reading a posting list a block at a time, and a
segment's column directly, is what makes a query fast (see
``articles.search.query.evaluate``). Those reads use attributes Whoosh does not
promise to keep, so they live here, behind plain functions, and the
installed version is checked when this module is imported.

Supported: Whoosh 2.7 (2.7.4 is its final release and the pinned one). Its
``W3Codec`` block matcher is read through its block attributes; any other
matcher (inlined posting lists, another codec) goes through the public
matcher API, so the answer is always Whoosh's.

The write side reads a segment's term table in order and its posting blocks
when merging (``segment_terms``, ``unfiltered``, ``blocks``), and writes W3
term infos and posting lists itself (``TERMINFO``, ``postings_file``,
``add_terminfo``, ``writing_docnum``), and keeps the term index's hash
entries compactly (``compact_term_index``). Our writers in ``index/writer.py``
drive Whoosh's ``SegmentWriter``, ``MpWriter`` and ``SubWriterTask`` through
the steps those classes take on themselves (boosts, field checks, flushing,
finalizing and closing a segment, merging, writing the table of contents);
``SegmentWriting``, ``MpWriting`` and ``SubWriting`` give those steps public
names and route Whoosh's calls of its own hooks (``_flush_segment``,
``_commit``, ``_new_task``) to public methods a subclass overrides. The W3
codec classes, its header and Whoosh's struct helpers that ``index/codec.py``
and ``index/formats.py`` build on come from here too. No other module of the
package imports a Whoosh internal module or names a Whoosh ``_attribute``
(``tests/search/test_whoosh_boundary.py`` checks), so this version check
guards every such use.

Searchers read the index files with ``pread`` (``ReadStorage``), not through
Whoosh's memory map: every page of a mapped file a worker has touched counts
in its resident set, and a few heavy searches touch most of the postings
(over 100 MB per worker on 15,000 articles). Read with ``pread``, the pages
stay in the kernel's page cache, shared by every process, and a worker holds
only the bytes it is decoding. Writers keep the memory map (see
``_MappedBufferFile``).
"""

import io
import os
import pickle
import struct
import zlib
from array import array
from bisect import bisect_left
from itertools import accumulate
from operator import itemgetter

import numpy as np
import whoosh
from whoosh import columns, fields
from whoosh.codec.whoosh3 import (WHOOSH3_HEADER_MAGIC, W3Codec, W3FieldWriter, W3LeafMatcher, W3PerDocWriter,
                                   W3TermInfo, W3TermsReader)
from whoosh.filedb import compound, structfile
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC
from whoosh.matching.wrappers import FilterMatcher
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.reading import TermNotFound
from whoosh.system import pack_int, pack_long, pack_uint, pack_ushort
from whoosh.util import random_name
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from .budget import charge

SUPPORTED = (2, 7)

if tuple(whoosh.__version__[:2]) != SUPPORTED:
    raise ImportError(
        f"articles.search reads Whoosh {SUPPORTED[0]}.{SUPPORTED[1]}'s posting blocks directly; "
        f"Whoosh {whoosh.versionstring()} is installed. Install the version pinned in requirements.txt."
    )


class _MappedReader:
    """A read-only file over a memoryview of the index's memory map, without a copy."""

    def __init__(self, view):
        self._view = view
        self._pos = 0

    def read(self, size=-1):
        end = len(self._view) if size is None or size < 0 else min(len(self._view), self._pos + size)
        data = self._view[self._pos:end].tobytes()
        self._pos = end
        return data

    def readline(self, size=-1):
        limit = len(self._view) if size is None or size < 0 else min(len(self._view), self._pos + size)
        end = self._pos
        while end < limit:
            chunk = self._view[end:min(end + 256, limit)].tobytes()
            newline = chunk.find(b"\n")
            if newline >= 0:
                end += newline + 1
                break
            end += len(chunk)
        data = self._view[self._pos:end].tobytes()
        self._pos = end
        return data

    def seek(self, offset, whence=0):
        self._pos = offset if whence == 0 else (self._pos + offset if whence == 1 else len(self._view) + offset)
        return self._pos

    def tell(self):
        return self._pos

    def flush(self):
        pass

    def close(self):
        pass


class _MappedBufferFile(structfile.BufferFile):
    """Whoosh's BufferFile, minus its copy of the whole sub-file.

    Whoosh opens each part of a memory-mapped compound segment file
    (postings, term index) as ``BufferFile(memoryview of the mmap)``, which
    wraps it in ``BytesIO(view)``: a private copy of every segment's
    postings. Index writers (merges read every posting list) read the map
    itself instead; searchers do not map the files at all (``ReadStorage``).
    """

    def __init__(self, buf, name=None, onclose=None):
        super().__init__(b"", name=name, onclose=onclose)
        self._buf = buf
        self.file = _MappedReader(buf)


# compound.py looks BufferFile up at call time; only its mmap branch uses it.
compound.BufferFile = _MappedBufferFile


# Bytes read past what was asked, so the small reads Whoosh makes one after
# another cost one system call, not several. A read that carries on where the
# last one ended (a posting list, block after block) reads READ_AHEAD ahead;
# any other (a term's hash slot, then its entry; one document's stored
# fields) reads SPARSE_READ_AHEAD, enough for a term entry with its key and
# term info, so a lookup does not copy a long read-ahead it will not use.
# Reads larger than the read-ahead go straight to the caller.
READ_AHEAD = 16 * 1024
SPARSE_READ_AHEAD = 512


class _WindowReader:
    """Sequential reads of the byte range [start, start + length) of a file, by ``os.pread``.

    Every window of one file shares its unbuffered file object and keeps its
    own position, as the windows of a memory map do. Once that file object is
    closed (its segment reader was closed), reads raise ValueError instead of
    reading whatever file took over the descriptor number.
    """

    def __init__(self, raw, start, length):
        self._raw = raw
        self._start = start
        self._end = start + length
        self._pos = start
        self._buffer = self._other = b""
        self._buffer_at = self._other_at = start
        self._read_to = None  # where the last read from the file ended

    def _pread(self, size, position):
        data = os.pread(self._raw.fileno(), size, position)
        if len(data) < size:
            # The file is shorter than its table of contents says.
            raise EOFError(f"{self._raw.name}: {size} bytes at {position} asked, {len(data)} there")
        self._read_to = position + size
        return data

    def read(self, size=-1):
        return self.read_at(self._pos, size)

    def peek(self, size=1):
        """Bytes from the position on, without moving it: pickle reads a posting block's header with one peek."""
        if self._pos >= self._end:
            return b""
        if not 0 <= self._pos - self._buffer_at < len(self._buffer):
            self.read_at(self._pos, 1)  # into a buffer (either one)
            self._pos -= 1
        return self._buffer[self._pos - self._buffer_at:]

    def read_at(self, pos, size):
        """``size`` bytes (to the window's end if negative) from byte ``pos`` of the file.

        The position moves past them, as after ``seek`` and ``read``.
        """
        end = self._end if size is None or size < 0 else min(self._end, pos + size)
        if end <= pos:
            self._pos = pos
            return b""
        if self._raw.closed:
            raise ValueError(f"{self._raw.name}: read after its segment was closed")
        offset = pos - self._buffer_at
        if offset < 0 or end - self._buffer_at > len(self._buffer):
            # Two buffers: a term lookup reads a hash slot, then the entry it
            # points to, elsewhere; Whoosh looks a term up two or three times.
            self._buffer, self._buffer_at, self._other, self._other_at = (
                self._other, self._other_at, self._buffer, self._buffer_at)
            offset = pos - self._buffer_at
            if 0 <= offset and end - self._buffer_at <= len(self._buffer):
                self._pos = end
                return self._buffer[offset:offset + end - pos]
            ahead = READ_AHEAD if pos == self._read_to else SPARSE_READ_AHEAD
            if end - pos >= ahead:
                data = self._pread(end - pos, pos)
                self._pos = end
                return data
            self._buffer = self._pread(min(ahead, self._end - pos), pos)
            self._buffer_at, offset = pos, 0
        self._pos = end
        return self._buffer[offset:offset + end - pos]

    def readline(self, size=-1):
        limit = self._end if size is None or size < 0 else min(self._end, self._pos + size)
        line = b""
        while self._pos < limit:
            chunk = self.read(min(256, limit - self._pos))
            newline = chunk.find(b"\n")
            if newline >= 0:
                self._pos -= len(chunk) - newline - 1
                return line + chunk[:newline + 1]
            line += chunk
        return line

    def seek(self, offset, whence=0):
        base = self._start if whence == 0 else (self._pos if whence == 1 else self._end)
        self._pos = base + offset
        return self._pos - self._start

    def tell(self):
        return self._pos - self._start

    def flush(self):
        pass

    def close(self):
        self._buffer = self._other = b""


class _WindowFile(structfile.StructFile):
    """Whoosh's StructFile over a ``_WindowReader``; ``subset`` gives a window of the same file.

    Only the file as opened owns the descriptor: closing it (Whoosh closes a
    compound segment file when its reader is closed) closes every window.
    """

    def __init__(self, raw, start, length, name=None, onclose=None, owner=False):
        super().__init__(_WindowReader(raw, start, length), name=name, onclose=onclose)
        self._raw, self._start, self._owner = raw, start, owner

    def subset(self, offset, length, name=None):
        return _WindowFile(self._raw, self._start + offset, length, name=name or self._name)

    def get(self, position, length):
        # StructFile.get is seek() then read(), four Python calls deep; term
        # lookups call it several times per term per segment.
        return self.file.read_at(self._start + position, length)

    def close(self):
        super().close()
        if self._owner:
            self._raw.close()


class ReadStorage(FileStorage):
    """The index directory as searchers read it: every file by ``pread``, none memory-mapped.

    Compound segment files are then opened by Whoosh as windows of one file
    (``subset``) instead of slices of a map. For reading only: writers open
    the directory with a plain ``FileStorage``.
    """

    def __init__(self, path):
        super().__init__(path, supports_mmap=False, readonly=True)

    def open_file(self, name, **kwargs):
        raw = open(os.path.join(self.folder, name), "rb", buffering=0)
        try:
            length = os.fstat(raw.fileno()).st_size
        except OSError:
            raw.close()
            raise
        return _WindowFile(raw, 0, length, name=name, owner=True, **kwargs)


def latest_toc(storage, indexname):
    """(generation, file name) of the index's newest table of contents; Whoosh has no public accessor."""
    generation = TOC._latest_generation(storage, indexname)
    return generation, TOC._filename(indexname, generation)


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


def blocks(matcher, wanted=None, need_weights=False, need_values=False):
    """Yield (ids, weights, values) per block; ``wanted`` (sorted docnums) skips blocks without them.

    Each block read is charged to the search budget (``budget.charge``).
    """
    if isinstance(matcher, W3LeafMatcher):
        low = 0
        while matcher.is_active():
            high = matcher._maxid
            if wanted is None or _any_between(wanted, low, high):
                if matcher._ids is None:
                    _read_ids(matcher)
                if need_weights and matcher._weights is None:
                    matcher._read_weights()
                if need_values and matcher._values is None:
                    matcher._read_values()
                charge(len(matcher._ids))
                yield matcher._ids, matcher._weights, matcher._values
            low = high + 1
            matcher._next_block()
        return
    ids, weights, values = [], [], []
    while matcher.is_active():
        if len(ids) % 128 == 0:
            charge(128)
        ids.append(matcher.id())
        if need_weights:
            weights.append(matcher.weight())
        if need_values:
            values.append(matcher.value())
        matcher.next()
    yield ids, weights, values


# A W3 block: its length (negative for the list's last block), a pickled
# info tuple (count, max docnum, max weight, compression, min and max
# length bytes), then the possibly compressed pickled data tuple
# (docnum deltas, weights, values).
_BLOCK_LENGTH = struct.Struct("!i")
_INFO_BYTES = 96  # a pickled info tuple is about 30 bytes
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

    ``pos`` is where its first block starts in ``buf``. Our writer's headers
    are read straight from their fixed places; any other (Whoosh's own) is
    unpickled from the bytes: Whoosh's own walk unpickles each header from
    a file object, about twenty small reads per block.
    """
    heads = []
    fixed, size = _FIXED_INFO.unpack_from, _FIXED_INFO.size
    while True:
        (length,) = _BLOCK_LENGTH.unpack_from(buf, pos)
        start = pos + _BLOCK_LENGTH.size
        end = start + abs(length)
        info = fixed(buf, start) if end - start >= size else None
        if info is not None and _opcodes(info) == _FIXED_OPCODES:
            heads.append((info[2], info[4], info[8], start + size, end))
        else:
            head = io.BytesIO(buf[start:min(end, start + _INFO_BYTES)])
            count, maxid, _, compression, _, _ = pickle.load(head)
            heads.append((count, maxid, compression, start + head.tell(), end))
        if length < 0:
            return heads
        pos = end


def _w3_bytes(matcher):
    """(the bytes of a W3 posting list, where they start in its posting file), or None for another matcher.

    A memory-mapped segment (the writers') gives its map; a segment read
    with pread (``ReadStorage``, searchers) gives the list in one read, so
    walking its blocks costs one system call, not one per block header.
    """
    if not isinstance(matcher, W3LeafMatcher):
        return None
    postfile = matcher._postfile
    buf = getattr(postfile, "_buf", None)
    if isinstance(buf, (bytes, memoryview)):
        return buf, 0
    if isinstance(postfile, _WindowFile):
        length = matcher._length
        # Whoosh 2.7's W3TermInfo.from_bytes leaves the length as a 1-tuple.
        length = length[0] if isinstance(length, tuple) else length
        return postfile.get(matcher._startoffset, length), matcher._startoffset
    return None


class PackedValues:
    """A block's variable-size posting values: their bytes joined, and each one's length.

    Pickled into every block ``index/codec.py`` writes: keep its name and module.
    Whoosh's matcher indexes and iterates it as it would a tuple of bytes;
    our reader (``whoosh_blocks.postings``) takes ``data`` and ``lengths`` whole.
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
    search budget.
    """
    in_memory = _w3_bytes(matcher)
    if in_memory is None:
        ids, weights, values = array("i"), array("f"), []
        for block_ids, block_weights, block_values in blocks(
                matcher, None if wanted is None else wanted.tolist(), need_weights, need_values):
            ids.extend(block_ids)
            if need_weights:
                weights.extend(block_weights)
            if need_values:
                values.extend(block_values)
        return (np.frombuffer(ids, np.int32) if ids else np.zeros(0, np.int32),
                np.frombuffer(weights, np.float32) if need_weights else None,
                _joined(values) if need_values else None)
    buf, base = in_memory
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
        # Our full blocks hold arrays; short ones, and Whoosh's, tuples.
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


def _joined(values):
    """Values (a sequence of bytes) as the (bytes, lengths) pair ``postings`` gives."""
    return b"".join(values), np.fromiter(map(len, values), np.int64, len(values))


def _read_ids(matcher):
    """Whoosh's ``_read_ids`` with the docnum deltas summed in C (``accumulate``) rather than a generator."""
    if matcher._data is None:
        matcher._read_data()
    ids = matcher._data[0]
    matcher._ids = ids if matcher._byteids else tuple(accumulate(ids))


def _any_between(ordered, low, high):
    i = bisect_left(ordered, low)
    return i < len(ordered) and ordered[i] <= high


def column_segments(reader):
    """(key, leaf reader) for each segment of ``reader``, in docnum order.

    ``key`` names the segment for as long as it exists (Whoosh never
    rewrites a segment's columns; a merge writes a new segment), so a
    segment's column values can be kept across searchers.
    """
    return [(leaf.segment().segment_id(), leaf) for leaf, _offset in reader.leaf_readers()]


def read_column(leaf, name):
    """Column ``name``'s values for every docnum of one segment's reader (a list, or an int64 array for numbers).

    Whoosh reads a column a value at a time, one file read each: about 6 s
    for the columns of a 300,000-article segment read with ``pread``. The
    column kinds our schema uses (numbers, and variable-length text) are
    read here in one read each, and translated as Whoosh's
    ``from_column_value`` would; any other kind goes through Whoosh.
    Iterating Whoosh's MultiColumnReader can come up short when a new segment
    holds only empty values, which would shift every later docnum; each
    segment is read on its own and checked against its document count.
    """
    count = leaf.doc_count_all()
    field = leaf.schema[name]
    raw = leaf.column_reader(name, translate=False)
    if type(raw) is columns.NumericColumn.Reader and _plain_integers(field):
        # Stored big-endian in Whoosh's sortable form (signed numbers shifted
        # by half the range); documents past the last stored one hold the default.
        stored = min(raw._count, count)
        values = np.full(count, struct.unpack("!" + raw._typecode, raw._defaultbytes)[0], np.uint64)
        values[:stored] = np.frombuffer(raw._dbfile.get(raw._basepos, stored * raw._fixedlen), ">" + raw._typecode)
        if field.bits == 64:
            return (values ^ np.uint64(1 << 63)).view(np.int64)
        return values.astype(np.int64) - (1 << field.bits - 1)
    if type(raw) is columns.VarBytesColumn.Reader and _plain_text(field):
        lengths = raw._lengths
        data = bytes(raw._dbfile.get(raw._basepos, sum(lengths)))
        ends = list(accumulate(lengths))
        return [data[a:b].decode("utf-8") for a, b in zip([0, *ends], ends)][:count]
    column = list(leaf.column_reader(name))
    if len(column) != count:
        column_reader = leaf.column_reader(name)
        column = [column_reader[docnum] for docnum in range(count)]
    return column


def _plain_integers(field):
    """True if ``field`` holds signed integers that Whoosh's own NUMERIC translation reads back."""
    return (type(field).from_column_value is fields.NUMERIC.from_column_value and field.numtype is int
            and field.signed and not field.decimal_places)


def _plain_text(field):
    """True if ``field``'s column values are UTF-8 text that Whoosh's default translation decodes."""
    return (type(field).from_column_value is fields.FieldType.from_column_value
            and type(field).from_bytes is fields.FieldType.from_bytes)


# --- the write side: merging segments ---------------------------------------


def unfiltered(matcher):
    """A posting list with its segment's deleted documents left in (a merge's docmap drops them)."""
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
        matcher.reset()
    return matcher


def segment_terms(reader):
    """(fieldname, btext, raw matcher) for every term of a segment, in order.

    A W3 segment's term table is read sequentially, not looked up per term;
    deleted documents are left in.
    """
    terms = getattr(reader, "_terms", None)
    if isinstance(terms, W3TermsReader):
        postings_reader, postfile, schema = terms._codec.postings_reader, terms._postfile, reader.schema
        for (fieldname, btext), terminfo in terms.items():
            if fieldname in schema:
                yield fieldname, btext, postings_reader(postfile, terminfo, schema[fieldname].format)
        return
    for fieldname in reader.indexed_field_names():
        for btext in reader.lexicon(fieldname):
            yield fieldname, btext, reader.postings(fieldname, btext)


# --- the write side: W3 segments written in bulk (index/codec.py) ------------

# A W3 term info's fixed part: flags, weight, df, min and max length, max
# weight, min and max docnum; the posting list's offset and length follow.
TERMINFO = W3TermInfo._struct


def writing_docnum(perdocwriter):
    """The docnum a W3 per-document writer is writing."""
    return perdocwriter._docnum


def postings_file(fieldwriter):
    """The posting file a W3 field writer appends posting lists to."""
    return fieldwriter._postfile


def add_terminfo(fieldwriter, btext, terminfo):
    """Record term ``btext`` of the field being written, with its packed term info."""
    fieldwriter._tindex.add(pack_ushort(fieldwriter._fieldid) + btext, terminfo)


class _CompactBucket:
    """One of a term index writer's 256 hash buckets, as two arrays.

    Whoosh's HashWriter keeps a (hash, position) tuple per term until the
    segment is closed, about 120 bytes each: on a 150,000-document segment
    (a third of a 300,000-article build) its id, numeric and date terms alone
    came to ~130 MB. Arrays hold the same entries in 12 bytes.
    """

    __slots__ = ("hashes", "positions")

    def __init__(self):
        self.hashes = array("I")
        self.positions = array("q")

    def append(self, entry):
        hashval, position = entry
        self.hashes.append(hashval)
        self.positions.append(position)

    def __len__(self):
        return len(self.hashes)

    def __iter__(self):
        return zip(self.hashes, self.positions)


def compact_term_index(fieldwriter):
    """Make a new W3 field writer's term index keep its hash entries compactly (see _CompactBucket)."""
    fieldwriter._tindex.buckets = [_CompactBucket() for _ in range(256)]


# Also exported for codec.py, formats.py and writer.py, imported above from
# Whoosh's internal modules: W3Codec, W3PerDocWriter, W3FieldWriter (extended
# through their public methods), WHOOSH3_HEADER_MAGIC, pack_int, pack_long,
# pack_uint, length_to_byte and random_name.


# --- the write side: Whoosh's writers, their steps under public names --------


class SegmentWriting(SegmentWriter):
    """Whoosh 2.7's ``SegmentWriter`` with the steps our writer takes under public names.

    Whoosh calls its own ``_flush_segment`` from ``commit``; it goes to
    ``flush_segment``, which a subclass overrides. ``locked=False`` is
    Whoosh's ``_lk=False``: a writer subprocess whose parent holds the lock.
    """

    def __init__(self, ix, *args, locked=True, **kwargs):
        if not locked:
            kwargs["_lk"] = False
        super().__init__(ix, *args, **kwargs)

    @property
    def tempstorage(self):
        return self._tempstorage

    @property
    def added(self):
        """True once the segment being written holds documents (added or merged in)."""
        return self._added

    @added.setter
    def added(self, value):
        self._added = value

    def check_state(self):
        self._check_state()

    def check_fields(self, fieldnames):
        self._check_fields(self.schema, fieldnames)

    def doc_boost(self, fields):
        return self._doc_boost(fields)

    def field_boost(self, fields, fieldname, default):
        return self._field_boost(fields, fieldname, default)

    def _flush_segment(self):
        self.flush_segment()

    def flush_segment(self):
        SegmentWriter._flush_segment(self)

    def finalize_segment(self):
        """Flush, close and assemble the segment being written; returns it."""
        return self._finalize_segment()

    def close_segment(self):
        self._close_segment()

    def merge_segments(self, mergetype, optimize, merge):
        """Run the merge policy; returns the segments it leaves."""
        return self._merge_segments(mergetype, optimize, merge)

    def commit_toc(self, segments):
        self._commit_toc(segments)

    def finish(self):
        """Delete the temporary files and release the write lock."""
        self._finish()

    def cancel_segment(self):
        """``SegmentWriter.cancel``, whatever a subclass makes of ``cancel``."""
        SegmentWriter.cancel(self)


class MpWriting(SegmentWriting, MpWriter):
    """Whoosh 2.7's ``MpWriter`` with its steps under public names.

    ``MpWriter.commit`` calls ``_commit`` when documents went to the
    subprocesses and ``_enqueue`` hands them a batch; they go to
    ``commit_from_processes`` and ``enqueue``. ``_new_task`` goes to ``new_task``.
    """

    def _commit(self, mergetype, optimize, merge):
        self.commit_from_processes(mergetype, optimize, merge)

    def commit_from_processes(self, mergetype, optimize, merge):
        MpWriter._commit(self, mergetype, optimize, merge)

    def enqueue(self):
        self._enqueue()

    def _new_task(self):
        return self.new_task()

    def new_task(self):
        return MpWriter._new_task(self)


class SubWriting(SubWriterTask):
    """Whoosh 2.7's writer subprocess; ``process_file`` adds one job file's documents to ``self.writer``."""

    def process_file(self, filename, doc_count):
        self._process_file(filename, doc_count)
