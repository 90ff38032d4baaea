"""haystack's Elasticsearch 7 engine with the Chinese analysis and ranking of phnews.

The engine is haystack's own, subclassed where phnews differs:

- the index settings (the analyzer) and the default mapping of text fields
  (that analyzer instead of English ``snowball``), read when haystack creates
  the index and builds the mapping;
- **literal first** (ranking.py): with relevance order, every article holding
  the query as written ranks above every article holding only its words, as
  on the local engine. The query class sends, beside haystack's translation
  of the tree, the translation of its literal form (``Plan.literal`` in place
  of the plan's matching tree: ``PlannedQuery.literal_filter``); the backend
  wraps the query in a ``function_score`` whose score is
  ``ranking.CLUSTER_TEXT_SCORE`` (below 1 for any text score) plus
  ``ranking.CLUSTER_LITERAL_WEIGHT`` (2) for a literal holder, replacing the
  text score. So holders score in [2, 3) and the others in [0, 1] whatever
  BM25 gives, and within each group the text score's order is kept (the map
  is increasing). A bounded map is strict where a large constant boost is
  not: no weight is larger than every possible BM25 score;
- **highlighting**: asked through ``SearchQuerySet.highlight()``, haystack's
  request (``{"fields": {"text": {}}}``) is completed with HTML escaping,
  ``<mark>`` tags and one snippet-sized fragment, and each result's
  ``highlighted`` is given as the local engine gives it: {"text": [HTML]},
  the parts of the document text joined by spaces.

Writes are haystack's bulk update and remove, handed the queue's ids by
``HaystackWrites``; ``rebuild_index`` is haystack's own. No cluster runs in the
test suite: tests/ops/test_ops_search_cluster.py records what this sends.
"""

from haystack import connections
from haystack.backends.elasticsearch7_backend import (Elasticsearch7SearchBackend, Elasticsearch7SearchEngine,
                                                      Elasticsearch7SearchQuery)

from articles.search.engines.haystack_writes import HaystackWrites
from articles.search.text import PART_SEPARATOR
from articles.search import ranking
from articles.search.planned import PlannedQuery
from articles.search.marks import SNIPPET_CHARS

from articles.search.engines.cluster.mapping import TEXT_FIELD, index_settings

HIGHLIGHT = {"encoder": "html", "pre_tags": ["<mark>"], "post_tags": ["</mark>"]}
HIGHLIGHT_FIELD = {"fragment_size": SNIPPET_CHARS, "number_of_fragments": 1, "no_match_size": SNIPPET_CHARS}


def _query_string(query):
    """The query_string clause haystack built, inside its bool wrapper if filters were added."""
    return query["query_string"] if "query_string" in query else query["bool"]["must"]["query_string"]


def literal_first(query, literal_query):
    """``query`` scored so that documents matching ``literal_query`` rank above all others (see the docstring)."""
    literal = {**_query_string(query), "query": literal_query}
    return {"function_score": {
        "query": query,
        "functions": [
            {"script_score": {"script": {"source": ranking.CLUSTER_TEXT_SCORE}}},
            {"filter": {"query_string": literal}, "weight": ranking.CLUSTER_LITERAL_WEIGHT},
        ],
        "score_mode": "sum",
        "boost_mode": "replace",
    }}


class ChineseElasticsearchBackend(HaystackWrites, Elasticsearch7SearchBackend):
    DEFAULT_FIELD_MAPPING = TEXT_FIELD

    def check_writable(self):
        self.conn.cluster.health()

    # --- what operators and the health check ask

    def health(self):
        from haystack.query import SearchQuerySet

        # One cheap query proves the cluster answers.
        return {"engine": "elasticsearch", "documents": SearchQuerySet(using=self.connection_alias).count()}

    def state(self):
        return None  # managed on its own (docs/scaling.md)

    @property
    def DEFAULT_SETTINGS(self):  # noqa: N802 - haystack's attribute name
        # Read only when haystack creates the index, so building the script table waits until then.
        return index_settings()

    def build_search_kwargs(self, query_string, literal_query=None, plan=None, **kwargs):
        body = super().build_search_kwargs(query_string, **kwargs)
        if "highlight" in body:
            body["highlight"] = {**HIGHLIGHT, **body["highlight"]}
            for options in body["highlight"]["fields"].values():
                options.update({**HIGHLIGHT_FIELD, **options})
        if literal_query and not kwargs.get("sort_by") and query_string != "*:*":
            body["query"] = literal_first(body["query"], literal_query)
        return body

    def _process_results(self, raw_results, highlight=False, result_class=None, distance_point=None,
                         geo_sort=False):
        results = super()._process_results(raw_results, highlight, result_class, distance_point, geo_sort)
        content_field = connections[self.connection_alias].get_unified_index().document_field
        for result in results["results"]:
            fragments = getattr(result, "highlighted", None)
            if isinstance(fragments, list):
                result.highlighted = {content_field: [f.replace(PART_SEPARATOR, " ") for f in fragments]}
        return results


class ChineseElasticsearchQuery(PlannedQuery, Elasticsearch7SearchQuery):
    def build_params(self, spelling_query=None, **kwargs):
        params = super().build_params(spelling_query, **kwargs)
        literal = self.literal_filter() if not self.order_by else None
        if literal is not None:
            params["literal_query"] = literal.as_query_string(self.build_query_fragment)
        return params


class ChineseElasticsearchEngine(Elasticsearch7SearchEngine):
    backend = ChineseElasticsearchBackend
    query = ChineseElasticsearchQuery
