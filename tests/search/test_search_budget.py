"""Every search has a budget: query length, terms, fuzzy word expansion, postings read and time."""

import pytest
from django.urls import reverse

from articles.search import budget
from articles.search.service import SearchRequest, search

pytestmark = pytest.mark.django_db


def api(client, **params):
    response = client.get(reverse("api_search"), params)
    assert response.status_code == 200
    return response.json()


def test_a_query_past_the_posting_budget_gets_the_message_not_a_long_wait(client, indexed_samples, settings):
    common = "平湖市经济发展"
    assert api(client, q=common)["count"] > 0
    settings.PHNEWS_SEARCH_MAX_POSTINGS = 20
    data = api(client, q=common)
    assert data["error"] == budget.MESSAGE and data["count"] == 0 and data["results"] == []
    html = client.get(reverse("search"), {"q": common}).content.decode()
    assert budget.MESSAGE in html and 'class="search-hit"' not in html
    # The budget is per search: the next one starts afresh.
    settings.PHNEWS_SEARCH_MAX_POSTINGS = 300_000
    assert api(client, q=common)["count"] > 0


def test_by_default_the_posting_budget_grows_with_the_index(client, indexed_samples, settings, monkeypatch):
    # A fixed budget that suits 15,000 articles refused 营商环境 at 300,000.
    assert settings.PHNEWS_SEARCH_MAX_POSTINGS == 0
    assert budget.posting_limit(15_000) == 300_000 and budget.posting_limit(300_000) == 6_000_000
    common = "平湖市经济发展"
    monkeypatch.setattr(budget, "FLOOR", 0)
    monkeypatch.setattr(budget, "POSTINGS_PER_ARTICLE", 1)  # the samples' 28 postings: too few
    assert api(client, q=common)["error"] == budget.MESSAGE
    monkeypatch.setattr(budget, "POSTINGS_PER_ARTICLE", 1_000)
    assert api(client, q=common)["count"] > 0


def test_a_query_past_the_time_budget_gets_the_message(client, indexed_samples, settings):
    settings.PHNEWS_SEARCH_TIME_LIMIT = 0
    data = api(client, q="平湖")
    assert data["error"] == budget.MESSAGE and data["count"] == 0


def test_outside_a_search_nothing_is_counted(indexed_samples, settings):
    settings.PHNEWS_SEARCH_MAX_POSTINGS = 1
    from articles.search.engines.local import store
    from articles.search.engines.local import evaluate

    # Index maintenance and the bench read postings without a budget.
    assert len(evaluate.term_docs(store.searcher().reader(), "text_1", "平"))
    assert search(SearchRequest(q="平湖")).error == budget.MESSAGE


def test_long_queries_and_many_terms_are_refused_with_a_message(client, indexed_samples, settings):
    assert settings.PHNEWS_SEARCH_MAX_QUERY_CHARS == 100 and settings.PHNEWS_SEARCH_MAX_TERMS == 10
    data = api(client, q="平湖" * 51)
    assert data["error"] == "检索词太长了（102字），请缩短到100字以内。" and data["count"] == 0
    data = api(client, q=" ".join(["平湖"] * 11))
    assert data["error"] == "检索词太多了，请不要超过10个。"
    settings.PHNEWS_SEARCH_MAX_TERMS = 11
    assert "error" not in api(client, q=" ".join(["平湖"] * 11))


def test_a_term_of_too_many_words_is_matched_as_written(client, indexed_samples, settings):
    from articles.search.text import words

    article = next(a for a in indexed_samples if len(words(a.body[:200])) > 6)
    found = words(article.body[:200])
    # The article's own words, reversed: they all occur, but not in this order.
    scattered = "".join(reversed(found[:6]))
    assert article.pk in [r["id"] for r in api(client, q=scattered, page_size=50)["results"]]
    assert len(words(scattered)) > 2
    # (A trailing space: the same search, not the match set cached above under the old limit.)
    settings.PHNEWS_SEARCH_MAX_FUZZY_WORDS = len(words(scattered)) - 1
    assert api(client, q=scattered + " ")["count"] == 0  # literally, that string is nowhere
