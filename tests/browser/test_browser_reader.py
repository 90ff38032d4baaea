"""The reader's journeys in a real Chromium: from the home page to a person,
across a continuation, the raw text beside the parse, the search box."""

import importlib.util
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.by import By

from articles.browse import dates

_spec = importlib.util.spec_from_file_location(
    "browse_sample_archive", Path(__file__).resolve().parents[1] / "browse" / "sample_archive.py"
)
sample_archive = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sample_archive)


@pytest.fixture
def archive(transactional_db, monkeypatch):
    monkeypatch.setattr(dates, "local_today", lambda: date(2026, 3, 10))
    return sample_archive.build_archive()


def no_horizontal_scroll(browser):
    return browser.driver.execute_script(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_home_calendar_date_page_article_person(browser, archive):
    browser.go("/")
    assert "最新一期" in browser.find("h1").text and "2024年1月5日" in browser.find("h1").text
    # 历史上的今天: 10 March in an earlier year.
    assert "夯实金平湖璀璨明珠的党建根基" in browser.find(".on-this-day").text
    browser.screenshot("home")

    browser.click_link("全部年份")
    assert browser.path == "/calendar/"
    browser.click_link("2023年")
    assert browser.path == "/calendar/2023/"
    march = browser.find("#m03")
    linked = [a.text for a in march.find_elements(By.CSS_SELECTOR, "a[href^='/2023-03-']")]
    assert linked == ["10"]  # only days with an issue are links
    browser.screenshot("calendar-year")
    march.find_element(By.LINK_TEXT, "10").click()

    assert browser.path == "/2023-03-10/"
    assert "农历癸卯年二月十九" in browser.find(".issue header").text
    browser.screenshot("issue")
    browser.click_link("第C1版")

    assert browser.path == "/2023-03-10/C1/"
    browser.screenshot("page")
    browser.find("#a1-title a").click()

    assert browser.path == "/2023-03-10/C1/1/"
    assert browser.find("h1").text == "夯实金平湖璀璨明珠的党建根基"
    assert browser.find(".breadcrumbs").text.split("\n")[0].startswith("2023年3月10日")
    assert browser.find(".subhead").text == "加强创新推进，构建大党建新格局"
    browser.screenshot("article")
    browser.find(".article-header .credits").find_element(By.LINK_TEXT, "李雨婷").click()

    assert browser.find("h1").text.startswith("李雨婷")
    titles = [a.text for a in browser.finds(".article-list a")]
    assert "夯实金平湖璀璨明珠的党建根基" in titles and "根基在基层" in titles
    browser.screenshot("person")


def test_continuation_links_both_ways(browser, archive):
    browser.go("/2024-01-05/1/1/")
    browser.click_link("下转第2版")
    assert browser.path == "/2024-01-05/2/1/"
    assert browser.find("h1").text == "以实干担当开创新局（上接1版）"
    browser.click_link("上接第1版")
    assert browser.path == "/2024-01-05/1/1/"


def test_raw_text_is_shown_beside_the_parsed_articles(browser, archive):
    browser.go("/2023-03-10/C1/")
    raw = browser.find(".raw-text")
    assert raw.is_displayed() and "党建强，则根基稳；根基稳，则社\n会兴。" in raw.text
    parsed = browser.find(".parsed")
    assert raw.location["x"] > parsed.location["x"] + parsed.size["width"] / 2  # beside, not below
    browser.find("#raw summary").click()  # folds away without script of ours
    assert not raw.is_displayed()
    browser.driver.set_window_size(390, 844)
    assert no_horizontal_scroll(browser)


def test_search_box_from_an_article(browser, archive):
    browser.go("/2023-07-20/11/1/")
    box = browser.find("#site-q")
    box.send_keys("经济 平湖")
    box.submit()
    url = urlsplit(browser.driver.current_url)
    assert url.path == "/search/"
    assert parse_qs(url.query)["q"] == ["经济 平湖"]


def test_typed_date_without_paper_offers_nearest_issues(browser, archive):
    browser.go("/calendar/")
    browser.find("#jump-date").send_keys("2023年3月11日")
    browser.find(".jump button").click()
    assert browser.path == "/2023-03-11/"
    assert "没有报纸" in browser.find("h1").text
    browser.screenshot("no-issue")
    browser.click_link("下一期")
    assert browser.path == "/2023-07-20/"


def test_article_reads_on_a_phone(browser, archive):
    browser.driver.set_window_size(390, 844)
    browser.go("/2023-03-10/C1/1/")
    assert no_horizontal_scroll(browser)
    size = browser.driver.execute_script("return parseFloat(getComputedStyle(document.querySelector('.body p')).fontSize)")
    assert size >= 16
