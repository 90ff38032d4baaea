"""Writing Article rows straight into an index directory, for tests that build an index by hand."""

from articles.search.documents import articles_for_index, document_for
from articles.search.engines.local.build import write_documents


def index_articles(articles, path=None, clear=False):
    """Index an iterable or queryset of Article rows into ``path`` (takes the writer lock)."""
    from django.db.models import QuerySet

    if isinstance(articles, QuerySet):
        articles = articles_for_index(articles)
    return write_documents((document_for(a) for a in articles), path, clear=clear)
