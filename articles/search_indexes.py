"""haystack's view of the article index (found by haystack's autodiscovery).

The document itself is built by ``articles.search.documents.document_for``,
which every engine writes; the fields below name it for haystack's
SearchQuerySet and give a cluster its mapping: a few fixed ones, and the
whole-value field of every declared search field (``documents.SEARCH_FIELDS``).
"""

from haystack import indexes

from articles.models import Article
from articles.search import documents


def _whole_value_fields():
    # Faceted: haystack adds NAME_exact, which a cluster engine maps as a
    # keyword, the only kind of field it can count values of.
    return {field.keyword: indexes.MultiValueField(faceted=field.facet) if field.several else indexes.CharField(faceted=field.facet)
            for field in documents.SEARCH_FIELDS.values() if field.keyword}


class ArticleFields(indexes.SearchIndex):
    text = indexes.CharField(document=True)
    headline = indexes.CharField()
    kind = indexes.CharField(faceted=True)
    issue_date = indexes.DateTimeField(null=True)
    title = indexes.CharField(indexed=False)
    url = indexes.CharField(indexed=False)


class ArticleIndex(type("DeclaredFields", (ArticleFields,), _whole_value_fields()), indexes.Indexable):
    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return documents.articles_for_index()

    def read_queryset(self, using=None):
        return self.index_queryset(using)

    def full_prepare(self, obj, with_string_facet=True):
        # haystack may hand any Article (an update of one object): read it as the index does.
        self.prepared_data = documents.document_for(documents.for_index(obj))
        return self.prepared_data
