"""The scale path's search settings, the index haystack would create on a cluster, and the searches it sends.

No cluster runs here. The Elasticsearch client library is replaced by a
recording stand-in, so haystack's real Elasticsearch 7 backend code runs
``setup()`` and ``search()``: we read the exact index settings, mapping and
search bodies it would send, and feed it a response in Elasticsearch 7's
shape (written for this test) to read back.
"""

import importlib
import struct
import sys
import types
from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured

from articles.search.engines.cluster import mapping


def test_no_search_url_means_no_cluster():
    assert mapping.connection_from_env({}) is None


def test_cluster_connection_from_the_environment():
    connection = mapping.connection_from_env({
        "PHNEWS_SEARCH_URL": "https://es1.internal:9200, https://es2.internal:9200",
        "PHNEWS_SEARCH_INDEX": "phnews_2026",
        "PHNEWS_SEARCH_TIMEOUT": "5",
    })
    assert connection == {
        "ENGINE": "articles.search.engines.cluster.backend.ChineseElasticsearchEngine",
        "URL": ["https://es1.internal:9200", "https://es2.internal:9200"],
        "INDEX_NAME": "phnews_2026",
        "TIMEOUT": 5,
        "SILENTLY_FAIL": False,
    }


@pytest.mark.parametrize("env, named", [
    ({"PHNEWS_SEARCH_URL": "es1:9200"}, "PHNEWS_SEARCH_URL"),
    ({"PHNEWS_SEARCH_URL": "http://es1:9200", "PHNEWS_SEARCH_INDEX": "PhNews"}, "PHNEWS_SEARCH_INDEX"),
    ({"PHNEWS_SEARCH_URL": "http://es1:9200", "PHNEWS_SEARCH_TIMEOUT": "soon"}, "PHNEWS_SEARCH_TIMEOUT"),
])
def test_bad_cluster_settings_are_named(env, named):
    with pytest.raises(ImproperlyConfigured, match=named):
        mapping.connection_from_env(env)


def test_settings_switch_haystack_to_the_cluster(settings_with):
    got = settings_with(["HAYSTACK_CONNECTIONS"], PHNEWS_SEARCH_URL="http://127.0.0.1:9200")
    default = got["HAYSTACK_CONNECTIONS"]["default"]
    assert default["ENGINE"] == mapping.ENGINE
    assert default["URL"] == ["http://127.0.0.1:9200"] and "PATH" not in default


def test_analyzer_uses_only_built_in_parts_that_are_defined():
    analysis = mapping.index_settings()["settings"]["analysis"]
    analyzer = analysis["analyzer"][mapping.ANALYZER]
    built_in = {"cjk_width", "lowercase"}
    for name in analyzer["filter"]:
        assert name in built_in or name in analysis["filter"], name
    assert analyzer["char_filter"] == [mapping.SCRIPT_FILTER]
    assert analysis["char_filter"][mapping.SCRIPT_FILTER]["type"] == "mapping"  # built into Elasticsearch
    bigram = analysis["filter"]["phnews_cjk_bigram"]
    # Unigrams too, or one-character queries (姓, 镇) would find nothing.
    assert bigram == {"type": "cjk_bigram", "ignored_scripts": [], "output_unigrams": True}
    assert mapping.TEXT_FIELD["analyzer"] == mapping.ANALYZER


class RecordingClient:
    """Stands in for elasticsearch.Elasticsearch: records calls, holds no data, answers searches with ``response``."""

    response = {}

    def __init__(self, hosts, **kwargs):
        self.hosts, self.calls = hosts, []
        client = self

        class Indices:
            def get_mapping(self, index):
                raise NotFoundError(index)

            def create(self, index, body, ignore=None):
                client.calls.append(("create", index, body))

            def put_mapping(self, index, body, **kwargs):
                client.calls.append(("put_mapping", index, body))

        self.indices = Indices()

    def search(self, body, index, **kwargs):
        self.calls.append(("search", index, body))
        if isinstance(self.response, Exception):
            raise self.response
        return self.response


class TransportError(Exception):
    pass


class NotFoundError(TransportError):
    pass


@pytest.fixture
def cluster_backend(monkeypatch):
    fake = types.ModuleType("elasticsearch")
    fake.__version__ = (7, 17, 0)
    fake.Elasticsearch = RecordingClient
    fake.helpers = types.ModuleType("elasticsearch.helpers")
    fake.helpers.bulk = fake.helpers.scan = lambda *a, **k: None
    fake.exceptions = types.ModuleType("elasticsearch.exceptions")
    fake.exceptions.NotFoundError = NotFoundError
    fake.TransportError = fake.exceptions.TransportError = TransportError
    for name, module in {"elasticsearch": fake, "elasticsearch.helpers": fake.helpers,
                         "elasticsearch.exceptions": fake.exceptions}.items():
        monkeypatch.setitem(sys.modules, name, module)
    loaded = ("haystack.backends.elasticsearch_backend", "haystack.backends.elasticsearch7_backend",
              "articles.search.engines.cluster.backend")
    for name in loaded:
        monkeypatch.delitem(sys.modules, name, raising=False)
    yield importlib.import_module("articles.search.engines.cluster.backend")
    # Later imports must see the real (absent) client again, not our stand-in.
    for name in loaded:
        sys.modules.pop(name, None)


def test_haystack_creates_the_index_with_chinese_analysis(cluster_backend):
    backend = cluster_backend.ChineseElasticsearchBackend(
        "default", URL=["http://127.0.0.1:9200"], INDEX_NAME="phnews")
    backend.setup()
    (create, put_mapping) = backend.conn.calls
    assert create == ("create", "phnews", mapping.index_settings())

    properties = put_mapping[2]["properties"]
    chinese = {"type": "text", "analyzer": mapping.ANALYZER}
    # Every searchable text field of ArticleIndex is analysed as Chinese...
    for field in ("text", "headline", "people", "column", "kind", "page"):
        assert properties[field] == chinese, field
    # ...dates stay dates, display-only fields are stored verbatim.
    assert properties["issue_date"] == {"type": "date"}
    assert properties["title"] == {"type": "keyword"}
    assert properties["url"] == {"type": "keyword"}
    # Facets count keyword copies of kind and column.
    assert properties["kind_exact"] == {"type": "keyword"}
    assert properties["column_exact"] == {"type": "keyword"}
    # Several-valued fields too: a list of keywords, each value counted (a town and its village).
    assert properties["places_exact"] == {"type": "keyword"}
    assert properties["section_exact"] == {"type": "keyword"}
    assert backend.content_field_name == "text"
    assert "snowball" not in repr(put_mapping)


@pytest.mark.django_db
def test_cluster_documents_carry_the_facet_copies(imported_samples):
    from haystack import connections

    from articles.models import Article
    from articles.search_indexes import ArticleIndex

    unified = connections["default"].get_unified_index()
    assert unified.get_facet_fieldname("kind") == "kind_exact"
    assert unified.get_facet_fieldname("column") == "column_exact"
    article = Article.objects.exclude(column="").first()
    prepared = ArticleIndex().full_prepare(Article.objects.filter(pk=article.pk).prefetch_related("credits").get())
    assert (prepared["kind_exact"], prepared["column_exact"]) == (article.kind, article.column)
    assert prepared["column_exact"]


def _mapping_rules(body):
    """The cluster's script char filter as sent, read the way Elasticsearch reads "a => b" rules."""
    analysis = body["settings"]["analysis"]
    (name,) = analysis["analyzer"][mapping.ANALYZER]["char_filter"]
    rules = {}
    for rule in analysis["char_filter"][name]["mappings"]:
        source, arrow, target = rule.partition(" => ")
        assert arrow and source and target and source not in rules, rule
        rules[source] = target
    return rules


def _char_filter(rules, text):
    # Every source is one character, so longest-match replacement is per character.
    assert all(len(source) == 1 for source in rules)
    return "".join(rules.get(char, char) for char in text)


def test_the_cluster_folds_scripts_with_the_local_indexs_table(cluster_backend):
    from articles.search.text import fold

    backend = cluster_backend.ChineseElasticsearchBackend(
        "default", URL=["http://127.0.0.1:9200"], INDEX_NAME="phnews")
    backend.setup()
    (create, _put_mapping) = backend.conn.calls
    rules = _mapping_rules(create[2])
    assert len(rules) > 4000
    # Exactly the local fold: same character for character, nothing else rewritten.
    assert all(fold(source) == target for source, target in rules.items())
    # (Width and case are the cjk_width and lowercase filters' part, after the tokenizer.)
    for printed in ("優化營商環境為企業辦實事", "社區衞生服務站", "乍浦港新航線開通", "什麼"):
        assert _char_filter(rules, printed) == fold(printed)
    simplified = "优化营商环境为企业办实事什么"
    assert _char_filter(rules, simplified) == simplified

def _recorded_hit(pk, title, day, people):
    return {"_index": "phnews", "_id": f"articles.article.{pk}", "_score": None, "sort": [pk],
            "_source": {"django_ct": "articles.article", "django_id": str(pk), "id": f"articles.article.{pk}",
                        "title": title, "subtitle": "", "kicker": "", "column": "", "kind": "news", "page": "11",
                        "issue_date": f"{day}T00:00:00", "url": f"/a/{pk}/", "credits": "记者 王强",
                        "people": people, "body": f"{title}。平湖新闻正文。"}}


RESPONSE = {
    "took": 2, "timed_out": False,
    "hits": {"total": {"value": 7, "relation": "eq"}, "max_score": None, "hits": [
        _recorded_hit(41, "平湖举办项目推进会", "2023-08-18", ["王强"]),
        _recorded_hit(40, "平湖新开一条公交线", "2023-08-02", []),
    ]},
    "aggregations": {
        "kind": {"meta": {"_type": "terms"}, "buckets": [{"key": "news", "doc_count": 7}]},
        "column": {"meta": {"_type": "terms"}, "buckets": [{"key": "", "doc_count": 5}, {"key": "时评", "doc_count": 2}]},
        # A several-valued field: the cluster counts each value of a document's list once.
        "places": {"meta": {"_type": "terms"}, "buckets": [{"key": "新仓镇", "doc_count": 3},
                                                           {"key": "中华村", "doc_count": 1}]},
        "issue_date": {"meta": {"_type": "date_histogram"}, "buckets": [
            {"key_as_string": "2023-07-01T00:00:00.000Z", "key": 1688169600000, "doc_count": 0},
            {"key_as_string": "2023-08-01T00:00:00.000Z", "key": 1690848000000, "doc_count": 7}]},
    },
}


@pytest.fixture
def on_the_cluster(cluster_backend, settings):
    from haystack import connections

    configured = {"default": {"ENGINE": mapping.ENGINE, "URL": ["http://127.0.0.1:9200"],
                              "INDEX_NAME": "phnews", "SILENTLY_FAIL": False}}
    started_with = connections.connections_info
    settings.HAYSTACK_CONNECTIONS = connections.connections_info = configured
    connections.reload("default")
    yield connections["default"].get_backend().conn
    connections.connections_info = started_with
    connections.reload("default")


def test_a_readers_search_reaches_the_cluster_as_haystacks_translation(on_the_cluster, monkeypatch):
    from articles.search import service

    monkeypatch.setattr(RecordingClient, "response", RESPONSE)
    req = service.SearchRequest(q="平湖 -招商 镇", year="2023", kind="news", sort="newest", page=2, page_size=5)
    result = service.search(req)

    (_, index, body), = [call for call in on_the_cluster.calls if call[0] == "search"]
    assert index == "phnews"
    query = body["query"]["bool"]["must"]["query_string"]["query"]
    assert body["query"]["bool"]["filter"] == {"terms": {"django_ct": ["articles.article"]}}
    # Every literal as an exact phrase, the one-character one on its unigram field, the exclusion negated.
    for part in ('text:("平湖")', 'text_1:("镇")', 'NOT (text:("招商"))', 'kind:("news")',
                 'issue_date:(["2023-01-01T00:00:00" TO "2023-12-31T23:59:59"])'):
        assert part in query, (part, query)
    assert body["sort"] == [{"newest": {"order": "asc"}}]
    assert (body["from"], body["size"]) == (5, 5)
    assert body["aggs"]["kind"]["terms"]["field"] == "kind_exact"
    assert body["aggs"]["column"]["terms"]["field"] == "column_exact"
    assert body["aggs"]["issue_date"]["date_histogram"] == {"field": "issue_date", "interval": "month"}

    # The answer, read back through haystack into the same result the local engine gives.
    assert not result.error and result.count == 7 and result.pages == 2
    assert [(hit.id, hit.rank, hit.title, hit.issue_date, hit.page, hit.credits) for hit in result.hits] == [
        (41, 5, "平湖举办项目推进会", date(2023, 8, 18), "11", "记者 王强"),
        (40, 6, "平湖新开一条公交线", date(2023, 8, 2), "11", "记者 王强"),
    ]
    assert result.hits[0].title_html == "<mark>平湖</mark>举办项目推进会"
    assert result.months == {"2023-08": 7} and result.kinds == {"news": 7} and result.columns == {"时评": 2}


def test_an_unreachable_cluster_gives_the_reader_a_message(on_the_cluster, monkeypatch):
    from articles.search import service

    monkeypatch.setattr(RecordingClient, "response", TransportError("connection refused"))
    result = service.search(service.SearchRequest(q="平湖"))
    assert result.error == service.UNAVAILABLE and result.count == 0 and result.hits == []


def _search_body(conn):
    (_, _, body), = [call for call in conn.calls if call[0] == "search"]
    conn.calls.clear()
    return body


def _es_float(value):
    # Elasticsearch keeps scores as 32-bit floats.
    return struct.unpack("f", struct.pack("f", value))[0]


def _final_score(function_score, text_score, holder):
    """The score Elasticsearch gives a document: function_score's score_mode "sum", boost_mode "replace"."""
    assert (function_score["score_mode"], function_score["boost_mode"]) == ("sum", "replace")
    total = 0.0
    for function in function_score["functions"]:
        if "script_score" in function:
            # The script as sent; Painless divides doubles as Python does.
            total += eval(function["script_score"]["script"]["source"], {"_score": text_score})  # noqa: S307
        elif holder:
            total += function["weight"]
    return _es_float(total)


def test_relevance_puts_literal_holders_first_on_the_cluster(on_the_cluster, monkeypatch):
    from articles.search import service

    monkeypatch.setattr(RecordingClient, "response", RESPONSE)
    service.search(service.SearchRequest(q="平湖招商 镇", kind="news"))
    body = _search_body(on_the_cluster)
    scored = body["query"]["function_score"]
    # haystack's own request, unchanged inside: the query string with the scattered words, the model filter.
    inner = scored["query"]["bool"]
    assert inner["filter"] == {"terms": {"django_ct": ["articles.article"]}}
    matching = inner["must"]["query_string"]
    assert 'text:("平湖招商")' in matching["query"] and 'text:("招商")' in matching["query"]
    # The literal form: the whole term and the other terms and filters, no scattered words.
    (literal,) = [f["filter"]["query_string"] for f in scored["functions"] if "filter" in f]
    assert 'text:("平湖招商")' in literal["query"] and 'text_1:("镇")' in literal["query"]
    assert 'kind:("news")' in literal["query"] and 'text:("招商")' not in literal["query"]
    assert {k: v for k, v in literal.items() if k != "query"} == {k: v for k, v in matching.items() if k != "query"}
    # Strict: whatever text score BM25 gives, a holder outranks every non-holder,
    # and within each group the text score's order is kept.
    text_scores = [0.0, 1e-6, 0.3, 1.0, 7.5, 42.0, 1e4, 1e9, 1e30, 3.4e38]
    holders = [_final_score(scored, x, True) for x in text_scores]
    others = [_final_score(scored, x, False) for x in text_scores]
    assert min(holders) > max(others)
    assert holders == sorted(holders) and others == sorted(others) and others[2] < others[3] < others[4]


@pytest.mark.parametrize("q, options", [
    ("平湖招商", {"sort": "newest"}),  # a date order decides, not the score
    ("平湖招商", {"match": "exact"}),  # no scattered words: every match holds the literal
    ("平湖 镇", {}),
])
def test_no_literal_ranking_where_every_match_is_a_holder_or_dates_decide(on_the_cluster, monkeypatch, q, options):
    from articles.search import service

    monkeypatch.setattr(RecordingClient, "response", RESPONSE)
    service.search(service.SearchRequest(q=q, **options))
    body = _search_body(on_the_cluster)
    assert "function_score" not in body["query"] and "query_string" in body["query"]["bool"]["must"]


def test_highlighting_goes_through_haystack_to_the_cluster_and_back(on_the_cluster, monkeypatch):
    from articles.search import service

    marked = {**RESPONSE, "hits": {**RESPONSE["hits"], "hits": [
        {**hit, "highlight": {"text": [f"…<mark>平湖</mark>新闻正文，&lt;第{n}段&gt;\x1f王强"]}}
        for n, hit in enumerate(RESPONSE["hits"]["hits"])]}}
    monkeypatch.setattr(RecordingClient, "response", marked)
    result = service.search(service.SearchRequest(q="平湖", page_size=2))
    body = _search_body(on_the_cluster)
    # haystack's translation ({"fields": {"text": {}}}) with our options added.
    assert body["highlight"] == {
        "fields": {"text": {"fragment_size": 110, "number_of_fragments": 1, "no_match_size": 110}},
        "encoder": "html", "pre_tags": ["<mark>"], "post_tags": ["</mark>"],
    }
    # The cluster's fragments are the snippets; the title, which it does not mark, is marked as stored.
    assert [hit.snippet for hit in result.hits] == [
        "…<mark>平湖</mark>新闻正文，&lt;第0段&gt; 王强", "…<mark>平湖</mark>新闻正文，&lt;第1段&gt; 王强"]
    assert result.hits[0].title_html == "<mark>平湖</mark>举办项目推进会"

    service.search(service.SearchRequest(q="平湖"), snippets=False)
    assert "highlight" not in _search_body(on_the_cluster)
