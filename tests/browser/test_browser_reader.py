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
def archive(transactional_db, no_index_writes, monkeypatch):
    monkeypatch.setattr(dates, "local_today", lambda: date(2026, 3, 10))
    return sample_archive.build_archive()


def no_horizontal_scroll(browser):
    return browser.driver.execute_script(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.fixture
def no_index_writes(monkeypatch):
    # Reading pages need no search index; skipping the after-commit index
    # write (the queue simply stays full) saves seconds per test.
    from articles.search import sync

    monkeypatch.setattr(sync, "drain_quietly", lambda: None)


@pytest.fixture
def samples(no_index_writes, imported_samples, monkeypatch):
    monkeypatch.setattr(dates, "local_today", lambda: date(2026, 3, 10))
    return imported_samples


def test_home_calendar_date_page_article_person(browser, samples):
    browser.go("/")
    assert "2025年1月14日" in browser.find("h1").text  # the latest sample
    # 历史上的今天: 10 March 2023 printed the masthead sample.
    assert "五大“根基”筑实璀璨明珠坚强底座" in browser.find(".on-this-day").text
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
    assert "总第5134期" in browser.find(".issue header").text
    browser.screenshot("issue")
    browser.click_link("第C1版")

    assert browser.path == "/2023-03-10/C1/"
    browser.screenshot("page")
    browser.find(".parsed").find_element(By.PARTIAL_LINK_TEXT, "五大“根基”筑实璀璨明珠坚强底座").click()

    assert browser.path == "/2023-03-10/C1/1/"
    assert browser.find("h1").text == "五大“根基”筑实璀璨明珠坚强底座"
    assert browser.find(".breadcrumbs").text.startswith("2023年3月10日 星期五")
    assert "下转第C2版" in browser.find(".article").text
    assert len(browser.finds(".body p")) > 5
    browser.screenshot("article")
    browser.find(".article-header .credits").find_element(By.LINK_TEXT, "李雨婷").click()

    assert browser.find("h1").text.startswith("李雨婷")
    titles = [a.text for a in browser.finds(".article-list a")]
    assert titles[0] == "勇挑大梁担使命 提质进位走前列"  # 2024 before 2023
    assert "五大“根基”筑实璀璨明珠坚强底座" in titles
    browser.screenshot("person")


def test_continuation_links_both_ways(browser, archive):
    # No sample page continues onto another sample page: built rows here.
    browser.go("/2024-01-05/1/1/")
    browser.click_link("下转第2版")
    assert browser.path == "/2024-01-05/2/1/"
    assert browser.find("h1").text == "以实干担当开创新局（上接1版）"
    browser.click_link("上接第1版")
    assert browser.path == "/2024-01-05/1/1/"


def test_raw_text_is_shown_beside_the_parsed_articles(browser, samples):
    browser.go("/2023-03-10/C1/")
    raw = browser.find(".raw-text")
    assert raw.is_displayed() and "JIAXING农历癸卯年二月十九 总第5134期" in raw.text
    parsed = browser.find(".parsed")
    assert raw.location["x"] > parsed.location["x"] + parsed.size["width"] / 2  # beside, not below
    browser.find("#raw summary").click()  # folds away without script of ours
    assert not raw.is_displayed()
    browser.driver.set_window_size(390, 844)
    assert no_horizontal_scroll(browser)


def test_search_box_from_an_article(browser, samples):
    browser.go("/2023-07-20/11/1/")
    box = browser.find("#site-q")
    box.send_keys("经济 平湖")
    browser.submit(box)
    url = urlsplit(browser.driver.current_url)
    assert url.path == "/search/"
    assert parse_qs(url.query)["q"] == ["经济 平湖"]


def test_typed_date_without_paper_offers_nearest_issues(browser, archive):
    browser.go("/calendar/")
    browser.find("#jump-date").send_keys("2023年3月11日")
    browser.submit(browser.find("#jump-date"))
    assert browser.path == "/2023-03-11/"
    assert "没有报纸" in browser.find("h1").text
    browser.screenshot("no-issue")
    browser.click_link("下一期")
    assert browser.path == "/2023-07-20/"


def test_article_reads_on_a_phone(browser, samples):
    browser.driver.set_window_size(390, 844)
    browser.go("/2023-03-10/C1/1/")
    assert no_horizontal_scroll(browser)
    size = browser.driver.execute_script("return parseFloat(getComputedStyle(document.querySelector('.body p')).fontSize)")
    assert size >= 16


def test_search_result_opens_the_article_with_marks_and_result_navigation(browser, samples):
    from articles.search import sync

    sync.drain()  # index the imported samples into this test's private index
    browser.go("/2023-07-20/11/1/")
    box = browser.find("#site-q")
    # A query whose results all score differently: ties are the search
    # engine's business, this journey is about the reading side.
    box.send_keys("外资")
    browser.submit(box)
    first = browser.find("a[href*='hit=1']")
    first.click()
    assert "hit=1" in browser.driver.current_url
    assert any("外资" in m.text for m in browser.finds(".body mark"))
    nav = browser.find(".search-nav")
    assert "下一条结果" in nav.text and "第 1 /" in nav.text
    browser.screenshot("article-from-search")
    nav.find_element(By.PARTIAL_LINK_TEXT, "下一条结果").click()
    assert "hit=2" in browser.driver.current_url
    assert "上一条结果" in browser.find(".search-nav").text
    # 相关报道 leads on to another report, each with its date and page.
    related = browser.find(".related")
    assert related.find_element(By.CSS_SELECTOR, "h2").text == "相关报道"
    link = related.find_element(By.CSS_SELECTOR, "li a")
    assert "版" in related.find_element(By.CSS_SELECTOR, "li .meta").text
    title, href = link.text, link.get_attribute("href")
    link.click()
    assert browser.driver.current_url == href and browser.find("h1").text == title


def test_article_prints_without_site_furniture(browser, samples):
    browser.go("/2023-03-10/C1/1/")
    browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not browser.find(".site-header").is_displayed()
        assert not browser.find(".article-footer .prev-next").is_displayed()
        assert browser.find("#article-title").is_displayed() and browser.find(".body p").is_displayed()
        assert browser.find("#citation").is_displayed()  # the reference prints with the text
    finally:
        browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_keyboard_reader_can_skip_to_the_text(browser, samples):
    from selenium.webdriver.common.keys import Keys

    browser.go("/2023-03-10/C1/1/")
    browser.find("body").send_keys(Keys.TAB)
    skip = browser.driver.switch_to.active_element
    assert skip.text == "跳到正文" and skip.is_displayed()
    skip.send_keys(Keys.ENTER)
    assert browser.driver.current_url.endswith("#main")
