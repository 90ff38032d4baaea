"""haystack's Elasticsearch 7 engine with the Chinese analysis of phnews.search_cluster.

Only the two attributes haystack reads when it creates the index and
builds the mapping change: the index settings (the analyzer) and the default
mapping of text fields (that analyzer instead of English ``snowball``).
Querying, bulk updates and ``rebuild_index`` are haystack's own.
"""

from haystack.backends.elasticsearch7_backend import Elasticsearch7SearchBackend, Elasticsearch7SearchEngine

from .search_cluster import TEXT_FIELD, index_settings


class ChineseElasticsearchBackend(Elasticsearch7SearchBackend):
    DEFAULT_FIELD_MAPPING = TEXT_FIELD

    @property
    def DEFAULT_SETTINGS(self):  # noqa: N802 - haystack's attribute name
        # Read only when haystack creates the index, so building the script table waits until then.
        return index_settings()


class ChineseElasticsearchEngine(Elasticsearch7SearchEngine):
    backend = ChineseElasticsearchBackend
