"""The "plain setup": haystack's stock Whoosh backend with jieba's ChineseAnalyzer.

Built the way the haystack/jieba tutorials do it: a SearchIndex with a
templated document field analysed by ``jieba.analyse.ChineseAnalyzer`` and a
few model fields for filters, indexed with ``update_index`` and queried with
``SearchQuerySet().auto_query(q).highlight()``. No tuning of any kind: it is
the baseline we compare against.
"""

from haystack import connections, indexes
from jieba.analyse import ChineseAnalyzer

from articles.models import Article

ALIAS = "plain"


class PlainArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(
        document=True, use_template=True, template_name="bench/plain_article_text.txt",
        analyzer=ChineseAnalyzer(),
    )
    title = indexes.CharField(model_attr="title", analyzer=ChineseAnalyzer())
    kind = indexes.CharField(model_attr="kind", faceted=True)
    issue_date = indexes.DateField(model_attr="page__issue__date", null=True)

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return self.get_model().objects.all()


def install():
    """Register the plain index on its connection only (bench/ is not an app)."""
    unified = connections[ALIAS].get_unified_index()
    unified.build(indexes=[PlainArticleIndex()])
    return unified
