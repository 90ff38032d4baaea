"""The reader's pages through Django's test client, on built and imported data."""

from datetime import date

import pytest
from django.urls import reverse

from articles.browse import dates
from articles.models import Article, Issue, Page, Person


def html(response):
    return response.content.decode()


def test_home_shows_latest_issue_calendar_and_on_this_day(client, archive, monkeypatch):
    monkeypatch.setattr(dates, "local_today", lambda: date(2026, 3, 10))
    body = html(client.get("/"))
    assert "最新一期" in body and 'href="/2024-01-05/"' in body
    assert "以实干担当开创新局" in body and "全市重点项目集中开工" in body  # headlines of its pages
    assert 'href="/2024-01-05/1/"' in body and 'href="/2024-01-05/2/"' in body
    otd = body[body.index("历史上的今天"):]
    assert "夯实金平湖璀璨明珠的党建根基" in otd and "2023年" in otd
    assert 'role="search"' in body and 'action="/search/"' in body


def test_on_this_day_says_so_when_nothing_was_printed(client, archive, monkeypatch):
    monkeypatch.setattr(dates, "local_today", lambda: date(2026, 2, 1))
    assert "往年的今天没有报纸收入档案" in html(client.get("/"))


def test_empty_archive_home(client, db):
    response = client.get("/")
    assert response.status_code == 200 and "档案还是空的" in html(response)


def test_calendar_links_only_days_with_an_issue(client, archive):
    body = html(client.get("/calendar/"))
    assert 'href="/calendar/2023/"' in body and 'href="/calendar/2024/"' in body
    year = html(client.get("/calendar/2023/"))
    assert sorted(set(__import__("re").findall(r'href="/(2023-\d\d-\d\d)/"', year))) == ["2023-03-10", "2023-07-20"]
    assert 'href="/calendar/2024/"' in year  # next year with paper
    assert client.get("/calendar/1999/").status_code == 404


def test_jump_to_a_typed_date(client, archive):
    response = client.get("/go/", {"date": "2023年3月10日"})
    assert response.status_code == 302 and response["Location"] == "/2023-03-10/"
    bad = client.get("/go/", {"date": "2023-02-30"})
    assert bad.status_code == 400 and "不是有效的日期" in html(bad)


def test_date_without_issue_is_404_with_nearest_issues(client, archive):
    response = client.get("/2023-05-01/")
    assert response.status_code == 404
    body = html(response)
    assert 'href="/2023-03-10/"' in body and 'href="/2023-07-20/"' in body
    assert client.get("/2023-02-30/").status_code == 404  # no such day at all


def test_issue_lists_pages_in_order_with_headlines_and_staff(client, archive):
    body = html(client.get("/2023-03-10/"))
    assert "农历癸卯年二月十九" in body and "总第5134期" in body
    assert ">戴琰</a>" in body.split("编辑 ", 1)[1][:80] and ">张真</a>" in body.split("校对 ", 1)[1][:80]
    assert "夯实金平湖璀璨明珠的党建根基" in body
    assert '<ul class="sidebar-headlines">' in body and ">根基在基层</a>" in body  # under its parent
    assert 'rel="next" href="/2023-07-20/"' in body
    one_page_two = html(client.get("/2024-01-05/"))
    assert one_page_two.index('href="/2024-01-05/1/"') < one_page_two.index('href="/2024-01-05/2/"')


def test_page_shows_articles_in_order_raw_text_and_neighbours(client, archive):
    body = html(client.get("/2024-01-05/1/"))
    assert body.index("以实干担当开创新局") < body.index("全市重点项目集中开工")
    assert "新年伊始，全市上下干劲十足。" in body  # first lines
    assert '<a href="/person/' in body and "评论员" in body
    assert "原文 第1版" in body
    assert 'rel="next" href="/2024-01-05/2/"' in body and "已是第一版" in body
    assert 'href="/2024-01-05/2/1/">第2版</a>' in body  # 下转 opens the continuation
    c1 = html(client.get("/2023-03-10/C1/"))
    assert "平湖发布 今平湖客户端" in c1 and "■摄影 王 强" in c1  # leftover text and orphan byline kept
    raw = client.get("/2023-03-10/C1/raw.txt")
    assert raw["Content-Type"].startswith("text/plain") and raw.content.decode() == archive["c1"].raw_text


def test_article_headline_credits_body_and_links(client, archive):
    body = html(client.get("/2023-03-10/C1/1/"))
    for part in ("一把手访谈", "创新奋进 党建强基", "夯实金平湖璀璨明珠的党建根基", "——访市委组织部常务副部长何小云"):
        assert part in body
    li = Person.objects.get(name="李雨婷")
    assert f'<span class="role">记者</span> <a href="/person/{li.pk}/">李雨婷</a>' in body
    assert '<h2 class="subhead">加强创新推进，构建大党建新格局</h2>' in body
    assert 'href="/2023-03-10/"' in body and 'href="/2023-03-10/C1/"' in body
    assert "根基在基层" in body  # its sidebar
    assert 'rel="next" href="/2023-03-10/C1/2/"' in body
    assert "李雨婷. 夯实金平湖璀璨明珠的党建根基: 访市委组织部常务副部长何小云[N]. 嘉兴日报, 2023-03-10(C1)." in body
    main = Article.objects.get(title="夯实金平湖璀璨明珠的党建根基")
    assert f'<link rel="canonical" href="http://testserver/article/{main.pk}/">' in body
    assert f'value="http://testserver/article/{main.pk}/"' in body  # the citation box's permanent link
    assert "<title>夯实金平湖璀璨明珠的党建根基 · 2023年3月10日 第C1版" in body


def test_continuation_links_both_ways_and_across_pages(client, archive):
    head = html(client.get("/2024-01-05/1/1/"))
    assert 'href="/2024-01-05/2/1/">下转第2版' in head
    tail = html(client.get("/2024-01-05/2/1/"))
    assert 'href="/2024-01-05/1/1/">上接第1版' in tail
    # Previous/next article runs across the page boundary.
    assert 'rel="prev" href="/2024-01-05/1/2/"' in tail


def test_continuation_missing_from_archive_says_so(client, imported_samples):
    article = Article.objects.get(continued_to="C2")
    assert "下转第C2版（该版未收入档案）" in html(client.get(article.get_absolute_url()))


def test_search_words_are_marked_when_coming_from_search(client, archive):
    body = html(client.get("/2024-01-05/1/1/", {"q": "实干 担当"}))
    assert "<mark>实干</mark>是最好的<mark>担当</mark>。" in body
    assert 'value="实干 担当"' in body  # the search box keeps the query


def test_person_lists_articles_by_role_newest_first_with_year_counts(client, archive):
    lin = Person.objects.get(name="林旭东")
    body = html(client.get(lin.get_absolute_url()))
    assert body.index("全市重点项目集中开工") < body.index("上半年平湖经济稳中向好")  # 2024 before 2023
    assert '<th scope="row"><a href="?year=2024">2024</a></th><td>1</td>' in body
    assert "作为记者" in body and "共署名 2 篇" in body
    people = html(client.get("/people/"))
    assert f'href="/person/{lin.pk}/"' in people


def test_pages_and_articles_without_a_date_render_by_id(client, db):
    page = Page.objects.create(label="", source_name="undated.txt", content_hash="u", raw_text="无日期的原文")
    article = Article.objects.create(page=page, position=1, title="无日期的文章")
    assert "无日期的原文" in html(client.get(f"/page/{page.pk}/"))
    assert "无日期的文章" in html(client.get(f"/article/{article.pk}/"))


def test_the_permanent_link_serves_the_article_itself(client, archive):
    response = client.get(reverse("article_by_id", kwargs={"pk": archive["main"].pk}))
    assert response.status_code == 200 and response.context["article"] == archive["main"]


@pytest.mark.parametrize("url", ["/2023-03-10/C9/", "/2023-03-10/C1/99/", "/person/9999/", "/page/9999/"])
def test_missing_things_are_404(client, archive, url):
    assert client.get(url).status_code == 404


def test_every_imported_sample_page_and_article_renders(client, imported_samples):
    issues = list(Issue.objects.all())
    assert len(issues) == 5
    for obj in [*issues, *Page.objects.select_related("issue"), *Article.objects.select_related("page__issue"),
                *Person.objects.all()]:
        response = client.get(obj.get_absolute_url())
        assert response.status_code == 200, obj
        if isinstance(obj, Article):
            assert obj.title in html(response)


def test_previous_and_next_issue_wherever_a_date_is_shown(client, archive):
    page = html(client.get("/2023-07-20/11/"))
    article = html(client.get("/2023-07-20/11/1/"))
    for body in (page, article):
        hop = body[body.index('class="issue-hop"'):]
        assert hop.index('href="/2023-03-10/"') < hop.index('href="/2024-01-05/"') < hop.index("</p>")
    issue = html(client.get("/2023-07-20/"))
    assert issue.count('href="/2024-01-05/"') == 1  # once, not in the breadcrumbs again


def test_not_found_pages_guide_the_reader_back(client, archive, settings):
    settings.DEBUG = False
    response = client.get("/2023-03-10/C1/99/")
    assert response.status_code == 404
    body = html(response)
    assert "找不到这个页面" in body and 'href="/calendar/"' in body


def test_person_page_by_year(client, archive):
    lin = Person.objects.get(name="林旭东")
    body = html(client.get(lin.get_absolute_url(), {"year": "2023"}))
    assert "上半年平湖经济稳中向好" in body and "全市重点项目集中开工" not in body
    assert "以下为 2023 年的文章" in body and "显示全部年份" in body
    assert client.get(lin.get_absolute_url(), {"year": "1999"}).status_code == 404
    assert client.get(lin.get_absolute_url(), {"year": "abc"}).status_code == 404


def test_prolific_person_page_opens_on_their_newest_year(client, archive, monkeypatch):
    from articles.browse import views

    monkeypatch.setattr(views, "PERSON_PAGE_LIMIT", 1)
    lin = Person.objects.get(name="林旭东")
    body = html(client.get(lin.get_absolute_url()))
    assert "全市重点项目集中开工" in body and "上半年平湖经济稳中向好" not in body
    assert "按年分页" in body and 'href="?year=2023"' in body


def test_head_requests_are_answered_and_posts_refused(client, archive):
    assert client.head("/2023-03-10/C1/1/").status_code == 200
    assert client.post("/2023-03-10/C1/1/").status_code == 405
