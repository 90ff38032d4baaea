"""The write side: Whoosh's segment writers driven step by step, and W3 term infos written in bulk.

Our writers (``writer.py``) drive Whoosh's ``SegmentWriter``,
``MpWriter`` and ``SubWriterTask`` through the steps those classes take on
themselves (boosts, field checks, flushing, finalizing and closing a
segment, merging, writing the table of contents); ``SegmentWriting``,
``MpWriting`` and ``SubWriting`` give those steps public names and route
Whoosh's calls of its own hooks (``_flush_segment``, ``_commit``,
``_new_task``) to public methods a subclass overrides. A merge reads a
segment's term table in order and its posting blocks (``segment_terms``,
``unfiltered``).
"""

from array import array

from whoosh.codec.whoosh3 import W3TermInfo, W3TermsReader
from whoosh.matching.wrappers import FilterMatcher
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.system import pack_ushort
from whoosh.util import random_name  # noqa: F401 - run file names for writer.py
from whoosh.writing import SegmentWriter

from .postings import ForeignPostings

def unfiltered(matcher):
    """A posting list with its segment's deleted documents left in (a merge's docmap drops them)."""
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
        matcher.reset()
    return matcher


def segment_terms(reader):
    """(fieldname, btext, raw matcher) for every term of a segment, in order.

    The segment's term table (W3's, as ``PhCodec`` writes it) is read
    sequentially, not looked up per term; deleted documents are left in.
    """
    terms = getattr(reader, "_terms", None)
    if not isinstance(terms, W3TermsReader):
        raise ForeignPostings(f"the term table of segment {reader.segment().segment_id()}")
    postings_reader, postfile, schema = terms._codec.postings_reader, terms._postfile, reader.schema
    for (fieldname, btext), terminfo in terms.items():
        if fieldname in schema:
            yield fieldname, btext, postings_reader(postfile, terminfo, schema[fieldname].format)



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
