"""Reading the archive: what a reader of the paper's own digital edition expects to find."""

import re

import pytest

from articles.models import Person, PersonAlias


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_headline_is_marked_when_coming_from_search(client, archive):
    body = html(client.get("/2024-01-05/1/1/", {"q": "实干 担当"}))
    assert '<h1 id="article-title">以<mark>实干</mark><mark>担当</mark>开创新局</h1>' in body


def test_byline_name_leads_to_the_person_through_aliases(client, archive):
    lin = Person.objects.get(name="林旭东")
    PersonAlias.objects.create(name="林旭冬", person=lin)
    assert client.get("/person/name/林旭东/").url == lin.get_absolute_url()
    assert client.get("/person/name/林旭冬/").url == lin.get_absolute_url()
    assert client.get("/person/name/无此人/").status_code == 404


def section(body, start, end):
    return body.split(start, 1)[1].split(end, 1)[0]


def test_page_view_lists_every_page_of_the_issue_with_its_headlines(client, archive):
    body = html(client.get("/2024-01-05/2/"))
    nav = section(body, 'aria-label="版面导航"', "</nav>")
    assert nav.index('href="/2024-01-05/1/"') < nav.index('href="/2024-01-05/2/" aria-current="page"')
    # The other page's headlines lead to its articles; this page's to their place on the page.
    assert '<a href="/2024-01-05/1/1/">以实干担当开创新局</a>' in nav
    assert '<a href="/2024-01-05/1/2/">全市重点项目集中开工</a>' in nav
    assert '<a href="#a1">以实干担当开创新局（上接1版）</a>' in nav
    assert 'id="a1"' in body


def test_home_calendar_steps_between_months_that_have_paper(client, archive):
    body = html(client.get("/"))
    assert "2024年1月" in section(body, '<table class="month"', "</caption>")
    arrows = section(body, 'class="month-nav"', "</nav>")
    assert 'href="?month=2023-07"' in arrows and 'rel="next"' not in arrows
    july = html(client.get("/", {"month": "2023-07"}))
    assert "2023年7月" in section(july, '<table class="month"', "</caption>")
    assert '<a href="/2023-07-20/" aria-label="2023年7月20日' in july
    arrows = section(july, 'class="month-nav"', "</nav>")
    assert 'href="?month=2023-03"' in arrows and 'href="?month=2024-01"' in arrows
    # Nonsense falls back on the latest issue's month.
    assert "2024年1月" in section(html(client.get("/", {"month": "2023-13"})), '<table class="month"', "</caption>")


def test_home_lists_recent_issues_newest_first(client, archive):
    recent = section(html(client.get("/")), 'class="recent-issues"', "</section>")
    links = re.findall(r'href="(/\d{4}-\d\d-\d\d/)"', recent)
    assert links == ["/2024-01-05/", "/2023-07-20/", "/2023-03-10/"]


@pytest.fixture
def busy_reporter(archive, monkeypatch):
    """林旭东 with three 2023 articles and one 2024 one, on a site that pages people by year above 3."""
    from articles.browse import views
    from sample_archive import credit, make_page
    from articles.models import Issue, Role

    monkeypatch.setattr(views, "PERSON_PAGE_LIMIT", 3)
    extra = make_page(Issue.objects.create(date="2023-09-01"), "1", n_articles=2)
    for article in extra.articles.all():
        credit(article, "林旭东", Role.REPORTER, order=3)
    return Person.objects.get(name="林旭东")


def test_person_page_opens_on_the_busiest_year_and_marks_it(client, busy_reporter):
    body = html(client.get(busy_reporter.get_absolute_url()))
    assert '<tr class="selected"><th scope="row"><a href="?year=2023" aria-current="page">2023</a>' in body
    assert "上半年平湖经济稳中向好" in body and "全市重点项目集中开工" not in body
    other = html(client.get(busy_reporter.get_absolute_url(), {"year": "2024"}))
    assert '<tr class="selected"><th scope="row"><a href="?year=2024" aria-current="page">2024</a>' in other
    assert "全市重点项目集中开工" in other


def test_person_page_with_few_articles_shows_all_years_selected(client, archive):
    lin = Person.objects.get(name="林旭东")
    body = html(client.get(lin.get_absolute_url()))
    assert '<tr class="all-years selected">' in body
    assert "上半年平湖经济稳中向好" in body and "全市重点项目集中开工" in body
    assert html(client.get(lin.get_absolute_url(), {"year": "all"})).count('aria-current="page"') == 1


def test_people_sorted_by_pinyin_under_initials_with_institutions_apart(client, archive):
    from articles.models import PersonKind

    Person.objects.filter(name="本报评论员").update(kind=PersonKind.INSTITUTION)
    body = html(client.get("/people/"))
    people = section(body, 'class="letter-index"', 'id="institutions-heading"')
    names = re.findall(r'<a href="/person/\d+/">([^<]+)</a>', people)
    # By pinyin, not by code point (which would put 林 before 李 and 纪 last).
    # Page staff (戴琰, 李春霞, 张真: 编辑, 版式, 校对 of C1) are people of the archive too.
    assert names == ["戴琰", "纪亚千", "李春霞", "李雨婷", "林旭东", "王晨慧", "王强", "张真"]
    assert "本报评论员" not in names
    assert '<h2 id="letter-L">L</h2>' in body and '<a href="#letter-L">L</a>' in body
    assert '<span class="none" aria-hidden="true">A</span>' in body
    institutions = section(body, 'id="institutions-heading"', "</section>")
    assert "本报评论员" in institutions


def test_people_filtered_by_role(client, archive):
    body = html(client.get("/people/", {"role": "photographer"}))
    names = re.findall(r'<a href="/person/\d+/">([^<]+)</a> <span class="count">(\d+)</span>', body)
    assert sorted(names) == [("王强", "1"), ("纪亚千", "1")]
    assert '<a href="?role=photographer" aria-current="page">摄影</a>' in body
    assert client.get("/people/", {"role": "astronaut"}).status_code == 404


def test_surnames_file_under_their_surname_reading(db):
    from articles.browse.pinyin import initial, sort_key

    assert initial("单雪") == "S" and initial("曾华") == "Z" and initial("查放") == "Z"
    assert initial("Tom") == "T" and initial("3号") == "#"
    assert sorted(["王强", "曹金凤", "林旭东"], key=sort_key) == ["曹金凤", "林旭东", "王强"]


def test_name_sorting_leaves_the_phrase_dictionary_out_of_worker_memory(db):
    from articles.browse.pinyin import sort_key
    from pypinyin.constants import PHRASES_DICT

    sort_key("林旭东")
    assert PHRASES_DICT == {}


def test_leftover_text_is_folded_for_readers_and_open_for_staff(client, archive, django_user_model):
    body = html(client.get("/2023-03-10/C1/"))
    assert '<details class="leftover">' in body and "平湖发布 今平湖客户端" in body
    staff = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(staff)
    assert '<details class="leftover" open>' in html(client.get("/2023-03-10/C1/"))


def test_one_site_name_everywhere(client, archive, settings, django_user_model):
    settings.PHNEWS_SITE_NAME = "测试站名"
    assert "<title>2024年1月5日 · 测试站名</title>" in html(client.get("/2024-01-05/"))
    assert 'class="site-name" href="/">测试站名</a>' in html(client.get("/"))
    assert "<ShortName>测试站名</ShortName>" in html(client.get("/opensearch.xml"))
    assert '<title type="html">测试站名 新一期</title>' in html(client.get("/feed/issues.atom"))
    lin = Person.objects.get(name="林旭东")
    assert f"林旭东的文章 · 测试站名" in html(client.get(f"/person/{lin.pk}/feed.atom"))
    assert client.get("/api/issues.json").json()["title"] == "测试站名"
    client.force_login(django_user_model.objects.create_superuser("boss", password="x"))
    admin = html(client.get("/admin/"))
    assert "<title>档案编辑 | 测试站名 管理</title>" in admin and ">测试站名 管理</a>" in admin
