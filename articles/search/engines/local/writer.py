"""Index writers that invert postings in memory: every phnews index write goes through here.

Whoosh's ``SegmentWriter`` sends each posting through an external-sort pool
(a tuple and a size estimate per posting, pickled to a run file and back,
merged through a heap) and then, one call per posting, through the field
writer. Profiling a build put about 60 % of its CPU there, not in analysis.

These writers keep a segment's postings per field and term, in docnum order
as documents arrive (one list extend per posting), and write them term by term
with ``codec.encode_blocks``. Past ``limitmb`` of buffered postings the terms
are encoded into a run file; at the end each term's run pieces are joined
block-wise, so a long build still ends as one segment per writer process.

``new_writer(index)`` replaces ``index.writer()``: same API, same files
(``PhCodec`` segments), same Whoosh write lock.
"""

import contextlib
import heapq
import queue
import struct
import traceback
from itertools import chain, groupby, repeat
from operator import add, itemgetter

from whoosh import fields as whoosh_fields
from whoosh.writing import IndexingError

from articles.search.engines.local.whoosh.postings import blocks
from articles.search.engines.local.whoosh.writing import (MpWriting, SegmentWriting, SubWriting, random_name, segment_terms,
                                                          unfiltered)
from articles.search.engines.local.whoosh.codec import PhCodec, TermStats, encode_blocks
from articles.search.engines.local.merging import bounded_merge

# Memory per buffered posting, measured with tracemalloc on sample-page
# documents, to turn limitmb into a posting count. A freshly inverted posting
# takes three list slots and a docnum; its weight and value are mostly shared
# objects. One copied from a segment by a merge has its own docnum, weight and
# value objects and takes twice that. Counting every posting at 40 bytes, a
# merge of a large archive's segments (edit queue drains, import_pages) held
# 13 million postings, about 1.5 GB, before spilling at limitmb=512.
POSTING_BYTES = 52
MERGED_POSTING_BYTES = 111
WRITER_LIMIT_MB = 512


def _fast_field(field):
    """True if the field's format inverts text itself (see formats.py) and the field adds nothing to that."""
    return hasattr(field.format, "invert") and type(field).index is whoosh_fields.FieldType.index


class PostingBuffer:
    """The postings of the segment being written, inverted in memory.

    Each term's postings are one flat list, [docnum, weight, value, docnum,
    ...], in docnum order. It stands in for Whoosh's pool on the writer
    (``fieldnames``, ``cleanup``).
    """

    def __init__(self, schema, tempstorage, limitmb, length_bytes):
        self.schema = schema
        self.tempstorage = tempstorage
        self.limit = max(1, int(limitmb * 1024 * 1024 / POSTING_BYTES))
        self.length_bytes = length_bytes  # the per-doc writer's, filled as documents arrive
        self.terms = {}  # fieldname -> {term: flat postings}
        self.fieldnames = set()
        self.count = 0
        self.runs = []  # run file names, oldest first
        self._text_terms = {}

    def terms_as_text(self, fieldname):
        found = self._text_terms.get(fieldname)
        if found is None:
            found = self._text_terms[fieldname] = _fast_field(self.schema[fieldname])
        return found

    def field_terms(self, fieldname):
        terms = self.terms.get(fieldname)
        if terms is None:
            terms = self.terms[fieldname] = {}
            self.fieldnames.add(fieldname)
        return terms

    def add_document_postings(self, fieldname, docnum, items, boost):
        """Buffer one document's (term, freq, weight, value) items; returns the summed frequency."""
        terms = self.field_terms(fieldname)
        length = n = 0
        for term, freq, weight, vbytes in items:
            entry = terms.get(term)
            if entry is None:
                terms[term] = [docnum, weight * boost, vbytes]
            else:
                entry.extend((docnum, weight * boost, vbytes))
            length += freq
            n += 1
        self.count += n
        return length

    def spill_if_full(self):
        if self.count >= self.limit:
            self.spill()

    def _sorted_terms(self, fieldname):
        """(btext, postings) of a field's buffered terms in term order."""
        terms = self.terms.get(fieldname, {})
        # UTF-8 keeps code point order, so text terms sort as their bytes do.
        if self.terms_as_text(fieldname):
            return ((term.encode("utf-8"), terms[term]) for term in sorted(terms))
        return ((btext, terms[btext]) for btext in sorted(terms))

    def spill(self):
        """Encode the buffered postings into a run file, in (field, term) order, and empty the buffer.

        Each term's record carries its name and statistics, so joining the
        runs at the end reads them side by side: nothing per term is kept
        in memory between spills (a table per run grew with the archive).
        """
        name = "%s.phrun" % random_name()
        with self.tempstorage.create_file(name).raw_file() as f:
            for fieldname in sorted(self.terms):
                fixedsize = self.schema[fieldname].format.fixed_value_size()
                lengths = self.length_bytes.get(fieldname)
                bname = fieldname.encode("utf-8")
                for btext, postings in self._sorted_terms(fieldname):
                    data, final, stats = encode_blocks(postings, lengths, fixedsize, last=False)
                    f.write(_RUN_RECORD.pack(len(bname), len(btext), len(data), final, stats.df, stats.weight,
                                             stats.minlen, stats.maxlen, stats.maxweight, stats.minid, stats.maxid))
                    f.write(bname + btext)
                    f.write(data)
        self.runs.append(name)
        self.terms = {}
        self.count = 0

    def _buffered_pieces(self):
        """((fieldname, btext), (data, final, marked_last), stats) of the buffer, in order."""
        for fieldname in sorted(self.terms):
            fixedsize = self.schema[fieldname].format.fixed_value_size()
            lengths = self.length_bytes.get(fieldname)
            for btext, postings in self._sorted_terms(fieldname):
                data, final, stats = encode_blocks(postings, lengths, fixedsize, last=True)
                yield (fieldname, btext), (data, final, True), stats

    def write_to(self, fieldwriter):
        """Write every term, in order, through the codec's BlockFieldWriter, joining the run files' pieces.

        Runs hold earlier documents than the buffer and earlier runs earlier
        ones than later runs; heapq.merge keeps that order among equal terms.
        """
        files = [self.tempstorage.open_file(name).raw_file() for name in self.runs]
        try:
            streams = [_run_pieces(f) for f in files] + [self._buffered_pieces()]
            pieces = groupby(heapq.merge(*streams, key=itemgetter(0)), key=itemgetter(0))
            fieldname = None
            for (term_field, btext), group in pieces:
                if term_field != fieldname:
                    if fieldname is not None:
                        fieldwriter.finish_field()
                    fieldname = term_field
                    fieldwriter.start_field(fieldname, self.schema[fieldname])
                parts, stats = [], None
                for _, piece, piece_stats in group:
                    parts.append(piece)
                    if stats is None:
                        stats = piece_stats
                    else:
                        stats.extend(piece_stats)
                fieldwriter.add_term(btext, parts, stats)
            if fieldname is not None:
                fieldwriter.finish_field()
        finally:
            for f in files:
                f.close()

    def cleanup(self):
        for name in self.runs:
            try:
                self.tempstorage.delete_file(name)
            except OSError:
                pass
        self.runs = []


class _BufferedWriting:
    """What our single- and multi-process writers share: the buffer instead of Whoosh's pool."""

    def __init__(self, ix, *args, limitmb=WRITER_LIMIT_MB, codec=None, **kwargs):
        codec = codec or PhCodec()
        if not isinstance(codec, PhCodec):
            raise TypeError("our writers need a PhCodec, not %r" % (codec,))
        super().__init__(ix, *args, limitmb=limitmb, codec=codec, **kwargs)
        self.pool = PostingBuffer(self.schema, self.tempstorage, limitmb, self.perdocwriter.length_bytes)

    def commit(self, mergetype=None, optimize=None, merge=None):
        # Whoosh's default policy would, on a large index, merge the whole
        # archive into this writer (see merging.py); an explicit mergetype,
        # optimize or merge=False is honoured as Whoosh's.
        optimize = self.optimize if optimize is None else optimize
        merge = self.merge if merge is None else merge
        if mergetype is None and merge and not optimize:
            mergetype = bounded_merge
        super().commit(mergetype=mergetype, optimize=optimize, merge=merge)

    def flush_segment(self):
        self.perdocwriter.close()
        self.pool.write_to(self.fieldwriter)
        self.fieldwriter.close()

    def add_postings_to_pool(self, reader, startdoc, docmap):
        # Merging a segment (Whoosh's merge policies call add_reader): copy its
        # postings a block at a time instead of Whoosh's one tuple per posting,
        # which made a merge cost more than writing the documents anew.
        pool = self.pool
        schema = self.schema
        for fieldname, btext, matcher in segment_terms(reader):
            if fieldname not in schema:
                continue
            postings = _merged_postings(matcher, startdoc, docmap)
            if not postings:
                continue
            terms = pool.field_terms(fieldname)
            term = btext.decode("utf-8") if pool.terms_as_text(fieldname) else btext
            entry = terms.get(term)
            if entry is None:
                terms[term] = postings
            else:
                entry.extend(postings)
            pool.count += len(postings) // 3 * MERGED_POSTING_BYTES / POSTING_BYTES
            pool.spill_if_full()


# A run file's term record: lengths of the field name, term and encoded
# blocks, the final block's offset, then the term's TermStats; the names and
# the blocks follow.
_RUN_RECORD = struct.Struct("!HHIIIdBBdII")


def _run_pieces(f):
    """((fieldname, btext), (data, final, False), TermStats) of each term record in a run file, in order."""
    size = _RUN_RECORD.size
    while True:
        header = f.read(size)
        if not header:
            return
        namelen, textlen, datalen, final, *stats = _RUN_RECORD.unpack(header)
        names = f.read(namelen + textlen)
        yield (names[:namelen].decode("utf-8"), names[namelen:]), (f.read(datalen), final, False), TermStats(*stats)


def _merged_postings(matcher, startdoc, docmap):
    """A segment's posting list, renumbered for the segment being written, flat.

    ``docmap`` (old docnum -> new) is given when the segment has deletions and
    holds live documents only; otherwise documents move up by ``startdoc``.
    """
    flat = []
    for ids, weights, values in blocks(unfiltered(matcher), need_weights=True, need_values=True):
        if docmap is None:
            flat.extend(chain.from_iterable(zip(map(add, ids, repeat(startdoc)), weights, values)))
        else:
            for docnum, weight, value in zip(ids, weights, values):
                if docnum in docmap:
                    flat.extend((docmap[docnum], weight, value))
    return flat


class FastSegmentWriter(_BufferedWriting, SegmentWriting):
    def add_document(self, **fields):
        # SegmentWriter.add_document, with postings buffered a document at a
        # time and our formats' text terms taken without field.index().
        self.check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool

        docboost = self.doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self.check_fields(fieldnames)

        perdocwriter.start_doc(docnum)
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]

            length = 0
            if field.indexed:
                fieldboost = self.field_boost(fields, fieldname, docboost)
                if _fast_field(field):
                    if not isinstance(value, str):
                        raise ValueError("%r is not unicode" % (value,))
                    length, added = field.format.invert(value, docnum, pool.field_terms(fieldname), fieldboost)
                    pool.count += added
                else:
                    length = pool.add_document_postings(fieldname, docnum, field.index(value), fieldboost)
                if not field.scorable:
                    length = 0

            if field.separate_spelling():
                # Whoosh files spelling words as postings of document 0, out
                # of docnum order; our schema has no such field.
                raise IndexingError("field %r: separate spelling fields are not supported" % fieldname)

            vformat = field.vector
            if vformat:
                vitems = vformat.word_values(value, field.analyzer, mode="index")
                vitems = sorted((text, weight, vbytes) for text, _, weight, vbytes in vitems)
                perdocwriter.add_vector_items(fieldname, field, vitems)

            customval = fields.get("_stored_%s" % fieldname, value)
            perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)

            column = field.column_type
            if column and customval is not None:
                perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))

        perdocwriter.finish_doc()
        self.added = True
        self.docnum += 1
        pool.spill_if_full()


# A job that tells writer subprocesses to drop their work (see FastMpWriter.cancel).
_CANCEL = ("cancel", 0)


class _SubWriterTask(SubWriting):
    """Whoosh's writer subprocess, writing its own segment with FastSegmentWriter.

    Unlike Whoosh's, it always answers: (None, fieldnames, segment), or
    ("error", None, traceback) if any document failed, or ("cancelled", None,
    None). After a failure it keeps taking jobs, discarding them, so the
    parent never blocks on a full job queue. It writes with the parent's
    schema, not the one stored in the index: a rebuild after an upgrade
    replaces an index written with other fields.
    """

    def __init__(self, *args, schema, **kwargs):
        super().__init__(*args, **kwargs)
        self.schema = schema

    def run(self):
        error, cancelled, writer = None, False, None
        try:
            index = self.storage.open_index(self.indexname, schema=self.schema)
            writer = self.writer = FastSegmentWriter(index, locked=False, **self.kwargs)
        except Exception:
            error = traceback.format_exc()
        while True:
            jobinfo = self.jobqueue.get()
            if jobinfo is None:
                break
            if jobinfo == _CANCEL:
                cancelled = True
                break
            if error is None:
                try:
                    self.process_file(*jobinfo)
                    continue
                except Exception:
                    error = traceback.format_exc()
            with contextlib.suppress(Exception):
                self.storage.temp_storage("%s.tmp" % self.indexname).delete_file(jobinfo[0])
        if error is None and not cancelled:
            try:
                fieldnames = writer.pool.fieldnames
                self.resultqueue.put((None, fieldnames, writer.finalize_segment()))
                return
            except Exception:
                error = traceback.format_exc()
        if writer is not None:
            # Not writer.cancel(): that deletes the temp directory this
            # process shares with the parent and its siblings.
            with contextlib.suppress(Exception):
                writer.close_segment()
        self.resultqueue.put(("cancelled", None, None) if cancelled and error is None else ("error", None, error))


class FastMpWriter(_BufferedWriting, MpWriting):
    """Whoosh's MpWriter with FastSegmentWriter subprocesses, one segment each.

    A document that fails in a subprocess fails the commit (IndexingError, the
    index unchanged); Whoosh's MpWriter committed without that process's
    segment, silently losing its documents.
    """

    def __init__(self, ix, procs=None, **kwargs):
        super().__init__(ix, procs=procs, multisegment=True, **kwargs)

    def new_task(self):
        task = _SubWriterTask(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, True,
                              schema=self.schema)
        self.tasks.append(task)
        task.start()
        return task

    def collect_results(self, sentinel):
        for _ in self.tasks:
            self.jobqueue.put(sentinel)
        results = []
        while len(results) < len(self.tasks):
            try:
                results.append(self.resultqueue.get(timeout=1))
            except queue.Empty:
                if not any(task.is_alive() for task in self.tasks) and self.resultqueue.empty():
                    break
        for task in self.tasks:
            task.join()
        return results

    def commit_from_processes(self, mergetype, optimize, merge):
        if self.docbuffer:
            self.enqueue()
        results = self.collect_results(None)
        failures = [detail for kind, _, detail in results if kind is not None]
        if failures or len(results) < len(self.tasks):
            self.cancel_segment()
            raise IndexingError("a writer process failed; the index is unchanged:\n%s"
                                % ("\n".join(failures) or "(it exited without a result)"))
        finalsegments = self.merge_segments(mergetype, optimize, merge)
        finalsegments += [segment for _, _, segment in results]
        if self.added:
            finalsegments.append(self.finalize_segment())
        else:
            self.close_segment()
        self.commit_toc(finalsegments)
        self.finish()

    def cancel(self):
        # Whoosh's cancel only flags the subprocesses' objects in this
        # process; they would wait for jobs forever.
        try:
            if self.tasks:
                self.collect_results(_CANCEL)
        finally:
            self.cancel_segment()


def new_writer(index, procs=1, limitmb=WRITER_LIMIT_MB, **kwargs):
    """A writer for ``index`` (use instead of ``index.writer()``)."""
    if procs > 1:
        return FastMpWriter(index, procs=procs, limitmb=limitmb, **kwargs)
    return FastSegmentWriter(index, limitmb=limitmb, **kwargs)
