"""haystack's Elasticsearch 7 engine with the Chinese analysis of phnews.search_cluster.

Only the two class attributes haystack reads when it creates the index and
builds the mapping change: the index settings (the analyzer) and the default
mapping of text fields (that analyzer instead of English ``snowball``).
Querying, bulk updates and ``rebuild_index`` are haystack's own.
"""

from haystack.backends.elasticsearch7_backend import Elasticsearch7SearchBackend, Elasticsearch7SearchEngine

from .search_cluster import INDEX_SETTINGS, TEXT_FIELD


class ChineseElasticsearchBackend(Elasticsearch7SearchBackend):
    DEFAULT_SETTINGS = INDEX_SETTINGS
    DEFAULT_FIELD_MAPPING = TEXT_FIELD


class ChineseElasticsearchEngine(Elasticsearch7SearchEngine):
    backend = ChineseElasticsearchBackend
