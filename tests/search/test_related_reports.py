"""相关报道 on the article page (articles/search/related_reports.py) over a real index of made-up reports.

A story about an old bridge in a made-up village is reported four times: a
check found damage, the repair starts, the repair ends (saying 此前本报报道),
and a year-old report on the bridge before. Around it: a sidebar and a
continuation of the repair story, unrelated reports, and nine copies of one
notice (equal scores).
"""

import logging
from datetime import date

import pytest
from django.core.cache import cache as default_cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.browse import search_hook
from articles.models import Article, Credit, Issue, Page, Person, Place, PlaceKind, Role
from articles.search import related_reports as related_module
from articles.search.related_reports import SHOWN, related_reports
from articles.browse import queries
from tests.indexing import index_articles

pytestmark = pytest.mark.django_db

_pages = {}


def page(day, label="1"):
    issue = Issue.objects.get_or_create(date=day)[0]
    key = (day, label)
    if key not in _pages or not Page.objects.filter(pk=_pages[key].pk).exists():
        _pages[key] = Page.objects.create(issue=issue, label=label, source_name=f"{day}-{label}.txt",
                                          content_hash=f"{day}{label}", raw_text=f"原文 第{label}版\n")
    return _pages[key]


def article(day, title, body, label="1", reporter=None, **fields):
    on = page(day, label)
    made = Article.objects.create(page=on, position=on.articles.count() + 1, title=title, body=body,
                                  blocks=[{"text": p, "kind": "p"} for p in body.split("\n\n")], **fields)
    if reporter:
        Credit.objects.create(article=made, person=Person.objects.get_or_create(name=reporter)[0],
                              role=Role.REPORTER, order=1)
    return made


@pytest.fixture
def reports(index_dir):
    _pages.clear()
    town = Place.objects.create(name="清溪镇", kind=PlaceKind.TOWN)
    Place.objects.create(name="柳岸村", kind=PlaceKind.VILLAGE, parent=town)
    Place.objects.create(name="桃源社区", kind=PlaceKind.COMMUNITY, parent=town)
    found = {}
    found["old"] = article(date(2023, 6, 13), "柳岸村石拱老桥列入保护名录",
                           "柳岸村的石拱老桥建于清代，桥身青石斑驳，日前被列入县级文物保护名录。\n\n"
                           "村里将为老桥设立保护标志，定期巡查桥面和桥墩。", reporter="顾晓岚")
    found["check"] = article(date(2024, 2, 20), "柳岸村石拱老桥检测发现桥墩松动",
                             "柳岸村石拱老桥近日接受结构检测，检测人员发现桥墩松动、桥面开裂，老桥暂停车辆通行。\n\n"
                             "镇里已请专业单位制定加固方案。", reporter="顾晓岚")
    found["start"] = article(date(2024, 3, 5), "柳岸村石拱老桥启动加固工程",
                             "柳岸村石拱老桥加固工程昨天开工。施工队将更换松动的桥墩条石，修补开裂的桥面，"
                             "工程预计一个月完工，其间老桥禁止通行。", reporter="顾晓岚", continued_to="3")
    found["sidebar"] = article(date(2024, 3, 5), "老桥加固工程小知识",
                               "石拱老桥加固工程讲究修旧如旧，桥墩条石和桥面青石尽量用原来的旧料。",
                               kind="sidebar", parent=found["start"])
    found["continued"] = article(date(2024, 3, 5), "柳岸村石拱老桥启动加固工程",
                                 "老桥加固工程期间，柳岸村村民可绕行村东的便桥，石拱老桥桥墩和桥面施工结束后恢复通行。",
                                 label="3", continued_from="1")
    Article.objects.filter(pk=found["start"].pk).update(continuation=found["continued"])
    found["done"] = article(date(2024, 4, 2), "柳岸村石拱老桥加固完工恢复通行",
                            "此前本报报道，柳岸村石拱老桥检测发现桥墩松动。经过一个月施工，老桥加固工程昨天完工，"
                            "松动的桥墩条石全部更换，开裂的桥面已经修补，老桥恢复通行。", reporter="顾晓岚")
    found["unrelated"] = article(date(2024, 3, 12), "桃源社区图书角迎来首批读者",
                                 "桃源社区的图书角周末开放，首批读者借阅了童话和科普图书，志愿者为孩子们讲故事。",
                                 reporter="沈一鸣")
    for n, (title, body) in enumerate((
        ("春季招聘会提供岗位两千个", "人力资源部门举办春季招聘会，五十家企业提供岗位两千个，求职者现场投递简历。"),
        ("中学生篮球联赛落幕", "全市中学生篮球联赛昨天落幕，十二支球队经过一周比赛决出名次。"),
        ("居民学做急救", "红十字志愿者走进企业，教职工学习心肺复苏和止血包扎。"),
        ("夜市烟火气回来了", "步行街夜市重新开张，小吃摊位和文创市集吸引市民夜游。"),
    )):
        article(date(2024, 1, 9 + n), title, body)
    found["notices"] = [article(date(2024, 5, 1 + n), "用电安全提示", "夏季用电高峰将至，请勿私拉乱接电线，离家时关闭电器电源。")
                        for n in range(9)]
    index_articles(Article.objects.all(), path=index_dir, clear=True)
    return found


def loaded(found):
    """The article as its page loads it (relations prefetched)."""
    return queries.get_article(pk=found.pk)


def ids(items):
    return [item.id for item in items]


def test_a_story_and_its_follow_up_find_each_other_in_a_thread_in_date_order(reports):
    start = related_reports(loaded(reports["start"]))
    thread = [item for item in start if item.thread]
    # Two weeks before and four weeks after, same village and reporter: one story, oldest first.
    assert ids(thread) == [reports["check"].pk, reports["done"].pk]
    assert ids(start)[:len(thread)] == ids(thread)
    done = related_reports(loaded(reports["done"]))
    # The follow-up names an earlier report: the year-old one on the bridge joins its thread.
    assert ids(item for item in done if item.thread) == [reports["old"].pk, reports["check"].pk, reports["start"].pk]
    # The repair story's two pages are one report: listed once, at its first page.
    assert reports["continued"].pk not in ids(done)
    item = next(item for item in done if item.id == reports["start"].pk)
    assert (item.title, item.date, item.page, item.url) == (
        "柳岸村石拱老桥启动加固工程", date(2024, 3, 5), "1", reports["start"].get_absolute_url())


def test_shared_people_and_places_add_their_weight_to_shared_words(reports, monkeypatch):
    from haystack.query import SearchQuerySet

    from articles.search import ranking
    from articles.search.engines.local import store

    def scores():
        return {int(r.pk): r.score for r in SearchQuerySet().more_like_this(reports["start"])}

    weighted, weights = scores(), dict(ranking.RELATED_WEIGHTS)
    monkeypatch.setattr(ranking, "RELATED_WEIGHTS", {field: 0.0 for field in weights})
    plain = scores()
    s = store.searcher()
    # The follow-up shares the reporter and the village (and its town) with the story.
    lift = sum(weights[field] * s.idf(field, name)
               for field, name in (("people", "顾晓岚"), ("places", "柳岸村"), ("places", "清溪镇")))
    assert lift > 0
    done = reports["done"].pk
    assert weighted[done] - plain[done] == pytest.approx(lift)
    # The library report shares only the town: names alone relate nothing.
    assert reports["unrelated"].pk not in weighted and weighted.keys() == plain.keys()


def test_every_report_sharing_a_word_is_scored_as_a_search_for_the_words_scores_it(reports):
    import numpy as np

    from articles.search.engines.local import scoring, store
    from articles.search.engines.local.related import distinctive_terms

    s = store.searcher()
    words = [(term, "any") for field, term in distinctive_terms(s, reports["start"]) if field == "text"]
    docs, totals = scoring.scores_of(s, words)
    assert len(docs) > 3
    # Each word's lists read once, whole, give what score_array gives each word on the same documents.
    expected = sum(scoring.score_array(s, [word], docs)[0] for word in words)
    assert np.allclose(totals, expected) and (totals > 0).all()


def test_the_article_is_read_as_the_index_holds_it_or_from_its_row_before_it_is_indexed(reports, index_dir):
    from articles.search import documents
    from articles.search.engines.local import store
    from articles.search.engines.local.related import article_texts

    start = reports["start"]
    doc = documents.document_for(documents.articles_for_index(Article.objects.filter(pk=start.pk)).get())
    expected = (doc["headline"], doc["body"], {"people": ["顾晓岚"], "places": ["柳岸村", "清溪镇"]})
    assert article_texts(store.searcher(), start) == expected
    with CaptureQueriesContext(connection) as captured:
        article_texts(store.searcher(), start)
    assert len(captured) == 0
    # Saved a moment ago and not indexed yet: read from its row, and related all the same.
    fresh = article(date(2024, 4, 9), "柳岸村石拱老桥迎来首批游客", "加固完工的柳岸村石拱老桥迎来首批游客，桥墩和桥面焕然一新。")
    headline, body, names = article_texts(store.searcher(), fresh)
    assert (headline, names["places"]) == ("柳岸村石拱老桥迎来首批游客", ["柳岸村", "清溪镇"]) and "首批游客" in body
    assert reports["done"].pk in ids(related_reports(loaded(fresh)))


def test_only_a_report_naming_an_earlier_one_reaches_back_past_the_weeks(reports):
    check = related_reports(loaded(reports["check"]))
    # The check is eight months after the old report and does not name it: related, not one story.
    assert reports["old"].pk in ids(check)
    assert reports["old"].pk not in ids(item for item in check if item.thread)


def test_an_unrelated_report_is_not_listed(reports):
    for name in ("start", "done", "check"):
        assert reports["unrelated"].pk not in ids(related_reports(loaded(reports[name])))


def test_continuations_sidebars_and_the_parent_are_left_out(reports):
    start = ids(related_reports(loaded(reports["start"])))
    assert reports["start"].pk not in start
    assert reports["sidebar"].pk not in start and reports["continued"].pk not in start
    # From the continuation and the sidebar, the article they belong to is on their page already.
    assert reports["start"].pk not in ids(related_reports(loaded(reports["continued"])))
    sidebar = ids(related_reports(loaded(reports["sidebar"])))
    assert reports["start"].pk not in sidebar and reports["sidebar"].pk not in sidebar
    # The engine itself would list them: left out here, not missed.
    from haystack.query import SearchQuerySet
    engine = {int(r.pk) for r in SearchQuerySet().more_like_this(reports["start"])}
    assert {reports["sidebar"].pk, reports["continued"].pk} <= engine


def test_at_most_six_newest_first_among_equal_scores(reports):
    notices = reports["notices"]
    listed = related_reports(loaded(notices[4]))
    assert len(listed) == SHOWN == 6
    others = [n for n in notices if n.pk != notices[4].pk]
    assert ids(listed) == [n.pk for n in sorted(others, key=lambda n: n.page.issue.date, reverse=True)][:SHOWN]
    assert not any(item.thread for item in listed)


def test_the_article_page_and_its_json_twin_show_the_section(client, reports):
    start = reports["start"]
    html = client.get(start.get_absolute_url()).content.decode()
    assert "相关报道" in html and "连续报道" in html
    done = reports["done"]
    assert f'<a href="{done.get_absolute_url()}">柳岸村石拱老桥加固完工恢复通行</a>' in html
    assert '<time datetime="2024-04-02">2024年4月2日</time> · 第1版' in html
    # The thread is listed in date order, before the rest.
    assert html.index("检测发现桥墩松动</a>") < html.index("加固完工恢复通行</a>") < html.index("其他相关报道")
    data = client.get(f"/api/article/{start.pk}.json").json()
    by_id = {item["id"]: item for item in data["related"]}
    assert list(by_id) == ids(related_reports(loaded(start)))
    assert by_id[done.pk] == {
        "id": done.pk, "title": "柳岸村石拱老桥加固完工恢复通行", "date": "2024-04-02", "page": "1",
        "url": f"http://testserver{done.get_absolute_url()}", "thread": True,
        "json_url": f"http://testserver/api/article/{done.pk}.json"}


def test_the_section_costs_the_page_no_query(client, reports, monkeypatch):
    url = reports["start"].get_absolute_url()

    def count():
        with CaptureQueriesContext(connection) as captured:
            body = client.get(url).content.decode()
        return len(captured), body

    with_related, body = count()
    assert "相关报道" in body
    monkeypatch.setattr(search_hook, "related_provider", None)
    without, body = count()
    assert "相关报道" not in body and with_related == without


def test_without_an_index_the_page_is_shown_without_the_section(client, reports, index_dir, caplog, settings):
    settings.HAYSTACK_CONNECTIONS = {"default": dict(settings.HAYSTACK_CONNECTIONS["default"],
                                                     PATH=str(index_dir.parent / "nothing-here"))}
    from haystack import connections
    connections.reload("default")
    with caplog.at_level(logging.WARNING, logger=related_module.__name__):
        response = client.get(reports["start"].get_absolute_url())
        data = client.get(f"/api/article/{reports['start'].pk}.json").json()
    assert response.status_code == 200 and "相关报道" not in response.content.decode()
    assert "柳岸村石拱老桥启动加固工程" in response.content.decode()
    assert data["related"] is None
    assert f"related reports: none for article {reports['start'].pk}" in caplog.text


def test_an_edit_shows_on_a_cached_page(client, reports, index_dir, settings, tmp_path):
    settings.PHNEWS_PAGE_CACHE_SECONDS = 60
    settings.VAR_DIR = tmp_path
    default_cache.clear()
    url = reports["start"].get_absolute_url()
    assert "加固完工恢复通行" in client.get(url).content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"
    done = Article.objects.get(pk=reports["done"].pk)
    done.title = "柳岸村石拱老桥修好了"
    done.save()  # bumps the archive version
    index_articles(Article.objects.filter(pk=done.pk), path=index_dir)
    response = client.get(url)
    assert "X-Page-Cache" not in response and "柳岸村石拱老桥修好了</a>" in response.content.decode()
    default_cache.clear()
