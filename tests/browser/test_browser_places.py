"""A reader goes from an article to the place it names, and from the place to another article there."""

from datetime import date

import pytest
from django.core.management import call_command
from selenium.webdriver.support.ui import WebDriverWait

from articles.models import Article, Issue, Page, Place


@pytest.fixture
def archive(transactional_db, monkeypatch):
    from articles.search import sync

    monkeypatch.setattr(sync, "drain_quietly", lambda: None)
    call_command("load_gazetteer", stdout=open("/dev/null", "w"))
    issue = Issue.objects.create(date=date(2024, 1, 5))
    page = Page.objects.create(issue=issue, label="C2", source_name="c2.txt", content_hash="c2", raw_text="")
    first = Article.objects.create(page=page, position=1, title="中华村新建公园", body="中华村公园开放，村民前来散步。")
    second = Article.objects.create(page=page, position=2, title="芦湾村修桥完工", body="新仓镇芦湾村的桥完工。")
    return first, second


def test_from_an_article_to_its_place_to_another_article(browser, archive):
    first, second = archive
    browser.go(first.get_absolute_url())
    assert [a.text for a in browser.finds(".places a")] == ["中华村"]
    browser.find(".places a").click()
    arrive(browser, Place.objects.get(name="中华村").get_absolute_url())
    assert browser.find(".parent").text == "上级：新仓镇"
    # Up to the town, which holds its villages' articles.
    browser.find(".parent a").click()
    arrive(browser, Place.objects.get(name="新仓镇").get_absolute_url())
    titles = [a.text for a in browser.finds(".place-articles a")]
    assert set(titles) == {"中华村新建公园", "芦湾村修桥完工"}
    assert browser.find(".search-chart").is_displayed()
    browser.screenshot("place-town")
    next(a for a in browser.finds(".place-articles a") if a.text == "芦湾村修桥完工").click()
    arrive(browser, second.get_absolute_url())
    assert {a.text for a in browser.finds(".places a")} == {"芦湾村", "新仓镇"}
    browser.screenshot("place-journey")


def arrive(browser, path):
    WebDriverWait(browser.driver, 10).until(lambda d: browser.path == path)
