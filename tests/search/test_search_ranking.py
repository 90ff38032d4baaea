"""Literal matches first: every article holding an unquoted query as written ranks above every
article that holds only its words, scattered.

Made-up articles in a real Whoosh index. The scattered ones are built to win
on every other count (the words many times, in the headline, newer), so the
order below comes from literal containment alone; the test checks that too.
"""

from datetime import date, timedelta

import pytest
from plans import matching_of, ranked_of, scores

from articles.models import Article, Issue, Page
from articles.search.text import fold
from indexing import index_articles
from articles.search.engines.local import engine, evaluate
from articles.search import ranking
from articles.search.querylang import parse
from articles.search.service import SearchRequest, search
from articles.search.engines.local.store import searcher

# (headline, body); the oldest first. Literal holders print the query once, late in the body.
ARTICLES = [
    ("全市经济稳步增长", "今年前三季度，我市多项指标增速位列嘉兴第一，工业投资增长较快。"),
    ("招商引资再提速", "全市上下把招商引资作为一号工程来抓，项目落地明显加快。"),
    ("嘉兴第一个未来社区开工", "社区位于当湖街道，计划明年建成。"),
    ("两项指标获双第一", "我市营商环境评价列嘉兴第一，并把数字经济作为一号工程持续推进。"),
    ("嘉兴港区第一季度外贸增长", "嘉兴港区第一季度进出口总额增长，嘉兴港区集装箱量居第一。嘉兴港区第一次突破百万箱。"),
    ("第一批嘉兴非遗名录公布", "第一批名录中，嘉兴各地共有十项入选；嘉兴方面表示第一批之后还将评选第二批。"),
    ("地铁一号线工程进展顺利", "一号线工程全线贯通，一号线二期工程同步开工，一号出口附近工程围挡将拆除。"),
    ("工程师获评一号人物", "这位工程师说，工程质量是头等大事；一号车间的工程改造已经完成。"),
    ("嘉兴第二届运动会第一天", "一号场馆工程完工后首次启用，嘉兴选手夺得第一枚金牌。"),
    ("优化营商服务十条举措", "生态环境持续改善，企业评价较高；营商服务专员上门，环境整治同步推进。"),
    ("乍浦港新航线开通", "集装箱吞吐量创新高。"),
]

QUERIES = ["嘉兴第一", "一号工程", "嘉兴第一 一号工程", "营商环境评价"]


@pytest.fixture(params=["default windows", "one match a window"])
def ranking_index(request, db, index_dir, monkeypatch):
    """The articles indexed; run twice, the second time checking literal holders in the smallest windows."""
    if request.param == "one match a window":
        monkeypatch.setattr(engine, "LITERAL_WINDOW", 1)
        monkeypatch.setattr(engine, "LITERAL_MIN_WINDOW", 1)
    made = []
    first = date(2024, 1, 1)
    for n, (title, body) in enumerate(ARTICLES):
        issue = Issue.objects.create(date=first + timedelta(days=n))
        page = Page.objects.create(issue=issue, label="2", source_name=f"rank{n}.txt", content_hash="x", raw_text="")
        made.append(Article.objects.create(page=page, position=1, title=title, body=body))
    index_articles(Article.objects.all(), index_dir, clear=True)
    return made


def holds(article, q):
    """True if the article holds every typed term as written (the literal tier)."""
    text = fold(article.title + article.body)
    return all(fold(term) in text for term in q.split())


def ranked_ids(q, **options):
    result = search(SearchRequest(q=q, **options), facets=False, window=(0, 100), snippets=False)
    assert not result.error
    return [hit.id for hit in result.hits]


def test_every_literal_holder_ranks_above_every_scattered_holder(ranking_index):
    by_id = {a.pk: a for a in ranking_index}
    for q in QUERIES:
        ranked = ranked_ids(q)
        literal = [pk for pk in ranked if holds(by_id[pk], q)]
        scattered = [pk for pk in ranked if not holds(by_id[pk], q)]
        # Both kinds are found, and every literal holder comes first.
        assert literal and scattered, q
        assert ranked == literal + scattered, q
        assert set(literal) == {a.pk for a in ranking_index if holds(a, q)}, q


def test_the_scattered_articles_would_outscore_the_literal_ones(ranking_index):
    """Without the literal tier these queries interleave: the tf-idf score alone puts a scattered article first."""
    by_id = {a.pk: a for a in ranking_index}
    s = searcher()
    for q in ("嘉兴第一", "一号工程"):
        parsed = parse(q)
        tree = matching_of(parsed, "fuzzy")
        matched = evaluate.evaluate(s, tree).tolist()
        scored = scores(s, ranked_of(parsed), matched)
        article = {d: by_id[int(s.stored_fields(d)["django_id"])] for d in matched}
        best_scattered = max(scored.get(d, 0) for d in matched if not holds(article[d], q))
        worst_literal = min(scored.get(d, 0) for d in matched if holds(article[d], q))
        assert best_scattered > worst_literal, q


def test_exact_mode_and_quotes_find_only_literal_holders(ranking_index):
    by_id = {a.pk: a for a in ranking_index}
    for q in ("嘉兴第一", "一号工程"):
        expected = {a.pk for a in ranking_index if holds(a, q)}
        assert set(ranked_ids(q, match="exact")) == expected == set(ranked_ids(f'"{q}"'))
        assert all(holds(by_id[pk], q) for pk in ranked_ids(f'"{q}"'))


def test_literal_holders_first_also_past_the_scoring_limit(ranking_index, monkeypatch):
    """Unscored broad queries: literal holders first (headline matches, then newest), then the rest newest first."""
    monkeypatch.setattr(ranking, "SCORE_LIMIT", 1)
    by_id = {a.pk: a for a in ranking_index}
    for q in QUERIES:
        ranked = ranked_ids(q)
        assert len(ranked) > ranking.SCORE_LIMIT, q
        tiers = [(not holds(by_id[pk], q), not any(fold(term) in fold(by_id[pk].title) for term in q.split()))
                 for pk in ranked]
        assert tiers == sorted(tiers), q
        # Within a tier, newest first.
        for tier in set(tiers):
            days = [by_id[pk].page.issue.date for pk, t in zip(ranked, tiers) if t == tier]
            assert days == sorted(days, reverse=True), q


def test_pages_of_a_relevance_search_keep_the_tiers(ranking_index):
    by_id = {a.pk: a for a in ranking_index}
    pages = [hit.id for page in (1, 2, 3)
             for hit in search(SearchRequest(q="嘉兴第一", page=page, page_size=2), facets=False, snippets=False).hits]
    assert pages == ranked_ids("嘉兴第一")
    flags = [holds(by_id[pk], "嘉兴第一") for pk in pages]
    assert flags == sorted(flags, reverse=True)
