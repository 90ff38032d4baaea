"""SearchQuerySet.highlight() on the local engine: a real Whoosh index of the sample pages.

The backend marks what the query tree matches, in the text as printed, and
hands it back in ``SearchResult.highlighted`` as haystack's backends do;
``service.search`` asks for it with ``highlight()`` and shows what comes back.
"""

import re

import pytest

from articles.models import Article
from articles.search.engines.local import backend
from articles.search import service
from articles.search.engines.local.backend import ChineseWhooshSearchBackend
from articles.search.planned import PlannedSearchQuerySet
from articles.search.querylang import compile_query, parse
from articles.search.service import SearchRequest

pytestmark = pytest.mark.django_db


def _results(q, mode="fuzzy", marked=True):
    sqs = PlannedSearchQuerySet().planned(compile_query(parse(q), mode))
    return list(sqs.highlight() if marked else sqs)


def _marks(html):
    return re.findall(r"<mark>(.*?)</mark>", html)


def test_highlight_marks_title_and_body_of_each_result(indexed_samples):
    results = _results("平湖")
    assert len(results) > 3
    for result in results:
        article = Article.objects.get(pk=result.pk)
        assert set(result.highlighted) == {"title", "body"}
        (title,), (body,) = result.highlighted["title"], result.highlighted["body"]
        assert re.sub(r"</?mark>", "", title) == article.title.replace("&", "&amp;").replace("<", "&lt;")
        assert set(_marks(title)) <= {"平湖"} and set(_marks(body)) <= {"平湖"}
        assert "平湖" not in article.title or _marks(title)
    assert any(_marks(r.highlighted["body"][0]) for r in results)


def test_no_highlight_asked_none_given(indexed_samples):
    results = _results("平湖", marked=False)
    assert results and all(r.highlighted is None for r in results)


def test_traditional_query_marks_the_simplified_text_as_printed(indexed_samples):
    results = _results("營商環境", "exact")
    assert results
    marks = {m for r in results for m in _marks(r.highlighted["body"][0] + r.highlighted["title"][0])}
    assert marks == {"营商环境"}


def test_scattered_words_and_the_whole_literal_are_marked_exclusions_are_not(indexed_samples):
    results = _results("平湖招商 -上海")
    marks = {m for r in results for m in _marks(r.highlighted["body"][0])}
    assert marks and marks <= {"平湖招商", "平湖", "招商"} and "上海" not in marks
    assert compile_query(parse("平湖招商 -上海")).marks == ("平湖招商", "平湖", "招商")


def test_a_term_split_at_its_quotes_is_marked_whole():
    # Backends get "五大", "根基", ... (a quote ends a phrase); the title is marked as typed.
    assert compile_query(parse("五大“根基”筑实"), "exact").marks[0] == '五大"根基"筑实'


def test_filters_are_not_marked_an_exact_person_is():
    req = SearchRequest(q="招商", person="王强", kind="news")
    assert service.begin(req)[0].terms == ["招商"]
    assert compile_query(parse("作者:王强"), "exact").marks == ("王强",)


def test_search_asks_the_backend_and_shows_what_it_marked(indexed_samples, monkeypatch):
    asked = []
    real = ChineseWhooshSearchBackend.search

    def recording(self, query, **kwargs):
        asked.append(kwargs.get("highlight"))
        return real(self, query, **kwargs)

    monkeypatch.setattr(ChineseWhooshSearchBackend, "search", recording)
    req = SearchRequest(q="平湖", page_size=5)
    plain = service.search(req, snippets=False)
    shown = service.search(req)
    assert asked == [None, True]
    assert [h.title for h in plain.hits] == [h.title_html for h in plain.hits]
    assert any("<mark>平湖</mark>" in h.snippet for h in shown.hits)
    # What the page shows is the backend's marking, not a second one.
    monkeypatch.setattr(backend, "marked_fields", lambda title, body, terms: {"title": ["题"], "body": ["文"]})
    assert {(h.title_html, h.snippet) for h in service.search(req).hits} == {("题", "文")}
