"""Writing documents into an index directory; callable from scripts and the bench.

    from articles.search.index.build import index_articles
    index_articles(Article.objects.all(), "/tmp/idx", clear=True)
"""

from ..store import create_empty, open_or_create, writer_lock
from .documents import articles_for_index, document_for, document_id
from .writer import WRITER_LIMIT_MB, new_writer


def write_documents(documents, path=None, clear=False, procs=1, limitmb=WRITER_LIMIT_MB, delete_ids=()):
    """Add or replace ``documents`` (dicts from document_for) and delete ``delete_ids``.

    Holds the single-writer lock for the whole write. ``clear`` starts from an
    empty index (new documents are then added, not updated, which is faster).
    Returns the number of documents written.
    """
    with writer_lock(path):
        return write_locked(documents, path, clear, procs, limitmb, delete_ids)


def write_locked(documents, path=None, clear=False, procs=1, limitmb=WRITER_LIMIT_MB, delete_ids=()):
    """write_documents for a caller that already holds the writer lock."""
    count = 0
    index = create_empty(path) if clear else open_or_create(path)
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
    writer.commit()
    return count


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


def index_articles(articles, path=None, clear=False, procs=1, chunk=500):
    """Index an iterable or queryset of Article rows into ``path``.

    A queryset is read in chunks with its related rows prefetched, so a full
    build costs a few queries per ``chunk`` articles.
    """
    from django.db.models import QuerySet

    if isinstance(articles, QuerySet):
        articles = articles_for_index(articles).iterator(chunk_size=chunk)
    return write_documents((document_for(a) for a in articles), path, clear=clear, procs=procs)
