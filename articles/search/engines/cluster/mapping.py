"""The scale path's search engine: Elasticsearch 7 through haystack, Chinese-aware.

Importable without the Elasticsearch client: settings use ``connection_from_env``
and the analysis below is plain data. The engine class that haystack loads
lives in ``articles.search.engines.cluster.backend`` (it needs ``elasticsearch>=7,<8``,
installed only on hosts that use a cluster, see docs/scaling.md).

Analysis mirrors the Whoosh index (articles/search/): the standard tokenizer
cuts Han text into single characters, ``cjk_bigram`` with unigrams then emits
every character and every overlapping pair, so any Chinese substring of two or
more characters is found as a phrase of bigrams, and one-character queries
still match. It uses only analysis built into Elasticsearch: no plugin to
install on each node, nothing dictionary-dependent that could miss a name.

Traditional and Simplified are one script here too: a ``mapping`` char filter
rewrites each Traditional character to its Simplified form before the
tokenizer, with the very table the local index folds by
(``articles.search.text.script_table``). Char filters keep offsets, and
the same analyzer runs on queries, so either script finds both.
"""

import functools
import os

from django.core.exceptions import ImproperlyConfigured

ANALYZER = "phnews_chinese"
SCRIPT_FILTER = "phnews_simplified"


@functools.cache
def index_settings():
    """The index settings haystack sends when it creates the index (built once: the script table takes ~1 s)."""
    from articles.search.text import script_table

    return {
        "settings": {
            "index": {
                "number_of_shards": 1,
                "number_of_replicas": 1,
            },
            "analysis": {
                "char_filter": {
                    SCRIPT_FILTER: {
                        "type": "mapping",
                        "mappings": [f"{traditional} => {simplified}"
                                     for traditional, simplified in script_table().items()],
                    },
                },
                "analyzer": {
                    ANALYZER: {
                        "type": "custom",
                        "char_filter": [SCRIPT_FILTER],
                        "tokenizer": "standard",
                        # Full-width Latin and digits fold to ASCII; half-width kana widen.
                        "filter": ["cjk_width", "lowercase", "phnews_cjk_bigram"],
                    },
                },
                "filter": {
                    "phnews_cjk_bigram": {
                        "type": "cjk_bigram",
                        "ignored_scripts": [],
                        "output_unigrams": True,
                    },
                },
            },
        },
    }

TEXT_FIELD = {"type": "text", "analyzer": ANALYZER}

ENGINE = "articles.search.engines.cluster.backend.ChineseElasticsearchEngine"


def connection_from_env(environ=os.environ):
    """HAYSTACK_CONNECTIONS['default'] for a cluster, or None when PHNEWS_SEARCH_URL is unset."""
    url = environ.get("PHNEWS_SEARCH_URL", "").strip()
    if not url:
        return None
    if not url.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"PHNEWS_SEARCH_URL must be an http(s) URL, not {url!r}.")
    index_name = environ.get("PHNEWS_SEARCH_INDEX", "phnews").strip()
    if not index_name or index_name != index_name.lower():
        raise ImproperlyConfigured(f"PHNEWS_SEARCH_INDEX must be a lower-case index name, not {index_name!r}.")
    timeout = environ.get("PHNEWS_SEARCH_TIMEOUT", "10")
    try:
        timeout = int(timeout)
    except ValueError:
        raise ImproperlyConfigured(f"PHNEWS_SEARCH_TIMEOUT must be whole seconds, not {timeout!r}.") from None
    return {
        "ENGINE": environ.get("PHNEWS_SEARCH_ENGINE") or ENGINE,
        "URL": [part.strip() for part in url.split(",") if part.strip()],
        "INDEX_NAME": index_name,
        "TIMEOUT": timeout,
        # haystack's default (True) turns a failed write into a lost update and
        # a failed search into "nothing found"; the sync queue retries writes
        # that raise, and the search page says the service is unavailable.
        "SILENTLY_FAIL": False,
    }
