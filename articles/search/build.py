"""Writing documents into an index directory; callable from scripts and the bench.

    from articles.search.build import index_articles
    index_articles(Article.objects.all(), "/tmp/idx", clear=True)
"""

from .documents import articles_for_index, document_for, document_id
from .store import create_empty, open_or_create, writer_lock
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
        for pk in delete_ids:
            writer.delete_by_term("id", document_id(pk))
        for doc in documents:
            if clear:
                writer.add_document(**doc)
            else:
                writer.update_document(**doc)
            count += 1
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    return count


def index_articles(articles, path=None, clear=False, procs=1, chunk=500):
    """Index an iterable or queryset of Article rows into ``path``.

    A queryset is read in chunks with its related rows prefetched, so a full
    build costs a few queries per ``chunk`` articles.
    """
    from django.db.models import QuerySet

    if isinstance(articles, QuerySet):
        articles = articles_for_index(articles).iterator(chunk_size=chunk)
    return write_documents((document_for(a) for a in articles), path, clear=clear, procs=procs)
