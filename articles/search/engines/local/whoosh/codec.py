"""The on-disk side of our fast index writer: Whoosh 3 segments, written in bulk.

``PhCodec`` is Whoosh's ``W3Codec`` with two writer-side changes; files,
blocks and term infos are byte-for-byte the layout ``W3Codec`` reads, so
Whoosh's own readers (``W3LeafMatcher``, term info lookups, merges) read our
segments. The search path reads only ours (``postings.py``: fixed block
headers, no list inlined in its term info) and refuses any other.

- ``LengthKeepingPerDocWriter`` keeps each document's field-length byte in
  memory as it writes the lengths column. Whoosh's field writer read that
  column back from disk once per posting (a seek and a struct unpack each,
  about a fifth of the build).
- ``encode_blocks`` turns one term's whole posting list into W3 blocks at
  once (a few C-level calls per block of ``BLOCK_LIMIT`` postings) instead of Whoosh's
  per-posting ``add_posting`` with its type checks and running statistics.
  ``BlockFieldWriter.add_term`` writes such blocks, possibly encoded in
  several runs, as one contiguous posting list.
- A full block's data tuple holds arrays, not tuples of Python objects:
  docnum deltas and weights as ``array``, the values as one
  ``PackedValues`` (their bytes joined, and their lengths), and it is not
  zlib-compressed. Reading a block is then a few C calls plus one small
  constructor instead of unpickling 384 objects and inflating: at 300,000
  articles a phrase in half the archive reads about 5,000 blocks, and that
  decoding was most of its time (docs/search-benchmark.md). The cost is
  disk (see ``ARRAY_MIN``). Whoosh's matcher reads these blocks as before
  (it indexes and iterates the three parts).
- A block's header has one fixed layout (``postings.block_info``), so
  a search finds a posting list's blocks without unpickling each header.
- A posting list is never inlined in its term info: ``add_term`` always
  writes it to the posting file, so a search reads every list the same way.

The in-memory inversion feeding this lives in ``articles.search.engines.local.writer``.
"""

import struct
import zlib
from array import array
from operator import sub
from pickle import dumps

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3FieldWriter, W3PerDocWriter
from whoosh.system import pack_int, pack_long
from whoosh.util.numeric import length_to_byte

from .postings import PackedValues, block_info
from .writing import TERMINFO, add_terminfo, compact_term_index, postings_file, writing_docnum

# Postings per block. Whoosh writes 128; a search reading a common term's
# whole list pays a Python-level step per block, so fewer, longer blocks
# (at 300,000 articles a phrase in half the archive read 5,000 blocks of
# 128). A sparse read decodes more postings per block it needs, cheaply now
# that blocks are arrays.
BLOCK_LIMIT = 512
# A block of fewer postings is stored as Whoosh stores it (tuples, zlib when
# that shrinks it): arrays and PackedValues cost about 130 bytes of pickle
# each, which in the many short posting lists of rare bigrams outweighs the data.
ARRAY_MIN = 16
COMPRESSION = 3  # zlib level of short blocks, as W3Codec
MIN_COMPRESS = 64  # zlib cannot shrink shorter data

class PhCodec(W3Codec):
    """W3Codec whose writers take whole posting lists (see the module docstring).

    The class is pickled into every segment it writes: keep its name and module.
    """

    def per_document_writer(self, storage, segment):
        return LengthKeepingPerDocWriter(self, storage, segment)

    def field_writer(self, storage, segment):
        return BlockFieldWriter(self, storage, segment)


class LengthKeepingPerDocWriter(W3PerDocWriter):
    def __init__(self, codec, storage, segment):
        super().__init__(codec, storage, segment)
        # fieldname -> bytearray of length bytes by docnum (0: no length).
        self.length_bytes = {}

    def add_field(self, fieldname, fieldobj, value, length):
        super().add_field(fieldname, fieldobj, value, length)
        if length:
            lengths = self.length_bytes.get(fieldname)
            if lengths is None:
                lengths = self.length_bytes[fieldname] = bytearray()
            docnum = writing_docnum(self)
            if len(lengths) <= docnum:
                lengths.extend(bytes(docnum + 1 - len(lengths)))
            lengths[docnum] = length_to_byte(length)


class TermStats:
    """A posting list's statistics, as W3TermInfo keeps them (lengths as bytes)."""

    __slots__ = ("df", "weight", "minlen", "maxlen", "maxweight", "minid", "maxid")

    def __init__(self, df, weight, minlen, maxlen, maxweight, minid, maxid):
        self.df, self.weight, self.minlen, self.maxlen = df, weight, minlen, maxlen
        self.maxweight, self.minid, self.maxid = maxweight, minid, maxid

    def extend(self, later):
        """Fold in the statistics of postings that follow these ones."""
        self.df += later.df
        self.weight += later.weight
        if later.minlen and (not self.minlen or later.minlen < self.minlen):
            self.minlen = later.minlen
        self.maxlen = max(self.maxlen, later.maxlen)
        self.maxweight = max(self.maxweight, later.maxweight)
        self.maxid = later.maxid


def encode_blocks(postings, lengths, fixedsize, last=True):
    """One term's postings as W3 posting blocks (without the list's header).

    ``postings`` is flat, [docnum, weight, value, docnum, ...] by ascending
    docnum; ``lengths`` the field's length bytes by docnum (None: the field
    keeps no lengths); ``fixedsize`` the format's ``fixed_value_size()``.
    ``last`` marks the final block as the list's end; otherwise the caller
    patches it later (see ``BlockFieldWriter.add_term``).

    Returns (bytes, offset of the final block, TermStats).
    """
    docs = postings[0::3]
    # Whoosh keeps weights as 32-bit floats; so do we, to read back the same.
    weights = array("f", postings[1::3])
    values = None if fixedsize == 0 else postings[2::3]
    out = []
    size = 0
    final = 0
    n = len(docs)
    weight_sum = 0.0
    maxweight = 0.0
    minlen = maxlen = 0
    blocklimit = BLOCK_LIMIT
    for start in range(0, n, blocklimit):
        end = start + blocklimit
        ids = docs[start:end]
        ws = weights[start:end]
        count = len(ids)
        arrays = count >= ARRAY_MIN  # else Whoosh's tuples (see ARRAY_MIN)
        w0 = ws[0]
        if ws.count(w0) == count:
            mini_weights = None if w0 == 1.0 else w0
            block_sum = w0 * count
            block_max = w0
        else:
            mini_weights = _narrow_weights(ws) if arrays else tuple(ws)
            block_sum = sum(ws)
            block_max = max(ws)
        if values is None or fixedsize == 0:
            mini_values = None
        elif fixedsize is None or fixedsize < 0:
            mini_values = PackedValues.of(values[start:end]) if arrays else tuple(values[start:end])
        else:
            mini_values = b"".join(values[start:end])
        if lengths is None:
            bmin = bmax = 0
        else:
            if ids[-1] >= len(lengths):
                lengths.extend(bytes(ids[-1] + 1 - len(lengths)))
            lbs = bytes(map(lengths.__getitem__, ids))
            bmin, bmax = min(lbs), max(lbs)
            if not bmin:
                bmin = min((b for b in lbs if b), default=0)
        deltas = list(map(sub, ids, [0, *ids]))
        if arrays:
            # Protocol 4, not W3Codec's 2: protocol 2 pickles each bytes value
            # as a call to codecs.encode. Whoosh's reader unpickles any protocol.
            data = dumps((array("H" if max(deltas) < 1 << 16 else "I", deltas), mini_weights, mini_values), 4)
            # Fixed-size values are frequencies (4 bytes, mostly zeros) that a
            # search never reads: zlib shrinks those blocks threefold.
            compression = COMPRESSION if fixedsize is not None and fixedsize > 0 else 0
        else:
            data = dumps((tuple(deltas), mini_weights, mini_values), 4)
            compression = COMPRESSION if len(data) >= MIN_COMPRESS else 0
        if compression:
            data = zlib.compress(data, compression)
        info = block_info(count, ids[-1], block_max, compression, bmin, bmax)
        blocklength = len(info) + len(data)
        final = size
        if last and end >= n:
            blocklength = -blocklength
        out.append(pack_int(blocklength))
        out.append(info)
        out.append(data)
        size += 4 + len(info) + len(data)
        weight_sum += block_sum
        maxweight = max(maxweight, block_max)
        if bmin and (not minlen or bmin < minlen):
            minlen = bmin
        maxlen = max(maxlen, bmax)
    stats = TermStats(n, weight_sum, minlen, maxlen, maxweight, docs[0], docs[-1])
    return b"".join(out), final, stats


def _narrow_weights(weights):
    """Float weights as bytes when every one is a whole number below 256 (term counts times a whole boost)."""
    try:
        narrow = array("B", map(int, weights))
    except OverflowError:
        return weights
    return narrow if array("f", narrow) == weights else weights


class BlockFieldWriter(W3FieldWriter):
    """W3FieldWriter that also takes a term's postings as encoded blocks."""

    def __init__(self, codec, storage, segment):
        super().__init__(codec, storage, segment)
        compact_term_index(self)

    def add_term(self, btext, pieces, stats):
        """Write term ``btext`` of the current field (terms in ascending order).

        ``pieces``: (bytes, offset of final block, marked_last) from
        ``encode_blocks``, in docnum order; only the final block of the final
        piece may carry the end mark, and it is added here if missing.
        """
        postfile = postings_file(self)
        offset = postfile.tell()
        postfile.write(WHOOSH3_HEADER_MAGIC)
        for data, final, marked in pieces[:-1]:
            postfile.write(data)
        data, final, marked = pieces[-1]
        if marked:
            postfile.write(data)
        else:
            blocklength = struct.unpack_from("!i", data, final)[0]
            postfile.write(data[:final])
            postfile.write(pack_int(-blocklength))
            postfile.write(data[final + 4:])
        length = postfile.tell() - offset
        terminfo = TERMINFO.pack(0, stats.weight, stats.df, stats.minlen, stats.maxlen, stats.maxweight,
                                  stats.minid, stats.maxid) + pack_long(offset) + pack_int(length)
        add_terminfo(self, btext, terminfo)
