"""Writing documents into an index directory: the one write path.

Every write of the local engine ends in ``write_locked``, called by its
backend (``engines/local/backend.py``) under the single-writer lock: haystack's
``rebuild_index``, ``update_index``, ``update``, ``remove`` and ``clear``, and
the edit queue's drain (``backend.write_articles``).

A ``clear`` write replaces the index atomically: the new segments are
written beside the live ones and a single commit (one new table of contents,
renamed into place by Whoosh) swaps them in and drops the old ones. Readers
keep answering from the old index until that commit and from the new one
after it; they never see an empty or partial index.
"""

import logging
import os

from django.conf import settings
from whoosh.writing import CLEAR

from articles.search.engines.local.store import create_empty, default_path, open_or_create, stamp_analysis, writer_lock
from articles.search.documents import articles_for_index, document_for, document_id
from articles.search.engines.local.writer import WRITER_LIMIT_MB, new_writer

# Each writer process buffers up to WRITER_LIMIT_MB of postings; past four
# processes a build waits on the one process reading the database anyway.
MAX_AUTO_PROCS = 4
# From this many articles a write uses processes from the cores: starting
# writer processes and their extra segments cost more than a few hundred
# articles take to write (docs/search-benchmark.md, "update_index").
BIG_WRITE = 2000
# The writer buffer of a small write (an edit's, a small import's). Its own
# articles fill little of it; what fills it is a merge of small segments (up
# to 20,000 documents, merging.py), which spills past this. Measured on a
# 100k archive (docs/search-benchmark.md): import peak 814 MB at the full
# builder's 512, 440 MB at 192, same CPU.
DRAIN_LIMIT_MB = 192
log = logging.getLogger(__name__)


def default_procs():
    """Writer processes for a full build: PHNEWS_INDEX_PROCS, else the usable cores (at most 4)."""
    configured = getattr(settings, "PHNEWS_INDEX_PROCS", 0)
    if configured:
        return max(1, int(configured))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, MAX_AUTO_PROCS))


def procs_for(count):
    """Writer processes for writing ``count`` articles."""
    return default_procs() if count >= BIG_WRITE else 1


def write_documents(documents, path=None, clear=False, procs=1, limitmb=WRITER_LIMIT_MB, delete_ids=()):
    """Add or replace ``documents`` (dicts from document_for) and delete ``delete_ids``.

    Holds the single-writer lock for the whole write. ``clear`` replaces the
    whole index with ``documents`` in one atomic commit (they are added, not
    updated, which is faster). Returns the number of documents written.
    """
    with writer_lock(path):
        return write_locked(documents, path, clear, procs, limitmb, delete_ids)


def write_locked(documents, path=None, clear=False, procs=1, limitmb=WRITER_LIMIT_MB, delete_ids=()):
    """write_documents for a caller that already holds the writer lock."""
    count = 0
    index = _live_index(path) if clear else open_or_create(path)
    writer = new_writer(index, procs=procs, limitmb=limitmb)
    try:
        if clear:
            for doc in documents:
                writer.add_document(**doc)
                count += 1
        else:
            _delete_documents(writer, [document_id(pk) for pk in delete_ids])
            for batch in _batches(documents, UPDATE_BATCH):
                _delete_documents(writer, [doc["id"] for doc in batch])
                for doc in batch:
                    writer.add_document(**doc)
                count += len(batch)
    except BaseException:
        writer.cancel()
        raise
    # CLEAR: the commit's table of contents lists only the segments written
    # here, so the old documents go in the same atomic step the new ones arrive.
    writer.commit(mergetype=CLEAR if clear else None)
    if clear:
        # Every document is now written with this version's analysis; until
        # this line an interrupted rebuild leaves the old stamp (and bin/run
        # rebuilds again).
        stamp_analysis(path or default_path())
    return count


def _live_index(path):
    """The index to replace, opened with the current schema; a new empty one if it cannot be read.

    An index that cannot be opened serves nothing already, so recreating it
    costs readers nothing; anything readable keeps serving until the commit.
    """
    try:
        return open_or_create(path)
    except Exception as exc:  # noqa: BLE001 - a truncated or foreign table of contents raises anything
        log.warning("index at %s cannot be opened (%s); replacing it from scratch", path, exc)
        return create_empty(path)


# Documents replaced per searcher opened (see _delete_documents).
UPDATE_BATCH = 500


def _batches(iterable, size):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _delete_documents(writer, keys):
    """Mark the committed documents whose unique ``id`` is in ``keys`` deleted.

    Whoosh's ``update_document`` and ``delete_by_term`` open a searcher, which
    copies the term index, on every call: 40 ms each on a 4,000-article index,
    most of a queue drain. One searcher here serves a whole batch.
    """
    if not keys:
        return
    field = writer.schema["id"]
    with writer.searcher() as searcher:
        reader = searcher.reader()
        for key in keys:
            btext = field.to_bytes(key)
            if ("id", btext) in reader:
                for docnum in reader.postings("id", btext).all_ids():
                    writer.delete_document(docnum)


def article_documents(articles, chunk=500, prepared=False):
    """The documents of a queryset of Article rows (or of rows from articles_for_index), lazily.

    A queryset is read ``chunk`` rows at a time with its related rows
    prefetched (``prepared``: it already comes from articles_for_index), so a
    full build costs a few queries per chunk and holds one chunk in memory,
    whatever the size of the archive.
    """
    from django.db.models import QuerySet

    if isinstance(articles, QuerySet):
        articles = (articles if prepared else articles_for_index(articles)).iterator(chunk_size=chunk)
    return (document_for(a) for a in articles)
