from datetime import date

from articles.browse.highlight import mark_terms
from articles.browse.presenters import citation
from articles.models import Article, Credit, DateSource, Issue, Page, Person, Role


def make_article(db, names_roles, subtitle="", date_source=DateSource.MASTHEAD):
    issue = Issue.objects.create(date=date(2024, 1, 5))
    page = Page.objects.create(issue=issue, label="1", source_name="x.txt", content_hash="h", raw_text="x",
                               date_source=date_source)
    article = Article.objects.create(page=page, position=1, title="实干担当立潮头", subtitle=subtitle)
    for order, (name, role) in enumerate(names_roles, 1):
        Credit.objects.create(article=article, person=Person.objects.create(name=name), role=role, order=order)
    return article


def test_citation_follows_gbt7714_newspaper_form(db):
    article = make_article(db, [("林旭东", Role.REPORTER), ("王晨慧", Role.CORRESPONDENT), ("王强", Role.PHOTOGRAPHER)],
                           subtitle="——三论学习贯彻市委十五届四次全会精神")
    assert citation(article) == "林旭东, 王晨慧. 实干担当立潮头: 三论学习贯彻市委十五届四次全会精神[N]. 嘉兴日报, 2024-01-05(1)."


def test_citation_cuts_authors_after_three(db):
    names = [("甲一", Role.REPORTER), ("乙二", Role.REPORTER), ("丙三", Role.CORRESPONDENT), ("丁四", Role.CORRESPONDENT)]
    assert citation(make_article(db, names)).startswith("甲一, 乙二, 丙三, 等. 实干担当立潮头[N].")


def test_citation_without_authors_starts_with_title(db):
    assert citation(make_article(db, [])) == "实干担当立潮头[N]. 嘉兴日报, 2024-01-05(1)."


def test_citation_says_when_the_date_was_not_printed(db):
    article = make_article(db, [], date_source=DateSource.ESTIMATED)
    assert citation(article) == "实干担当立潮头[N]. 嘉兴日报, 2024-01-05(1).（日期据内容推定）"


def test_marked_terms_are_escaped_and_longest_first():
    html = mark_terms("<b>平湖</b>经济，平湖经开", ["平湖", "平湖经开"])
    assert str(html) == "&lt;b&gt;<mark>平湖</mark>&lt;/b&gt;经济，<mark>平湖经开</mark>"
