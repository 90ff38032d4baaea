"""haystack's view of the article index (found by haystack's autodiscovery).

The document itself is built by ``articles.search.documents.document_for``,
shared with the sync queue and the bulk builder, so all three write the same
thing; the fields below name the schema for haystack's SearchQuerySet.
"""

from haystack import indexes

from articles.models import Article
from articles.search import documents


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True)
    headline = indexes.CharField()
    people = indexes.MultiValueField()
    # Faceted: haystack adds column_exact/kind_exact, which a cluster engine
    # maps as keywords, the only kind of field it can count values of.
    column = indexes.CharField(faceted=True)
    kind = indexes.CharField(faceted=True)
    page = indexes.CharField()
    issue_date = indexes.DateTimeField(null=True)
    title = indexes.CharField(indexed=False)
    url = indexes.CharField(indexed=False)

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return documents.articles_for_index()

    def read_queryset(self, using=None):
        return self.index_queryset(using)

    def full_prepare(self, obj, with_string_facet=True):
        self.prepared_data = documents.document_for(obj)
        return self.prepared_data
