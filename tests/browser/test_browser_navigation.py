"""Finding one's way like in the paper's own digital edition: pages and headlines, months, a person's years."""

import importlib.util
from datetime import date
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from articles.browse import dates, views

_spec = importlib.util.spec_from_file_location(
    "browse_sample_archive", Path(__file__).resolve().parents[1] / "browse" / "sample_archive.py"
)
sample_archive = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sample_archive)


@pytest.fixture
def archive(transactional_db, monkeypatch):
    from articles.search import sync

    monkeypatch.setattr(sync, "drain_quietly", lambda: None)
    monkeypatch.setattr(dates, "local_today", lambda: date(2026, 3, 10))
    return sample_archive.build_archive()


def background(element):
    return element.value_of_css_property("background-color")


def test_page_navigation_lists_every_page_and_its_headlines(browser, archive):
    browser.go("/2024-01-05/1/")
    nav = browser.find(".edition-nav")
    parsed = browser.find(".parsed")
    assert nav.is_displayed()
    assert nav.location["x"] + nav.size["width"] <= parsed.location["x"]  # beside the page, not under it
    pages = nav.find_elements(By.CSS_SELECTOR, ".edition-page")
    assert [p.find_element(By.TAG_NAME, "summary").text for p in pages] == ["第1版", "第2版"]
    current, other = pages
    assert "current" in current.get_attribute("class")
    assert background(current) != background(other)
    # This page's headlines are open; the other page's fold away until asked for.
    assert current.find_element(By.LINK_TEXT, "全市重点项目集中开工").is_displayed()
    hidden = other.find_element(By.CSS_SELECTOR, ".headline-nav a")
    assert not hidden.is_displayed()
    other.find_element(By.CSS_SELECTOR, "summary").click()
    assert hidden.is_displayed()
    hidden.click()
    assert browser.path == "/2024-01-05/2/1/"
    assert browser.find("h1").text == "以实干担当开创新局（上接1版）"

    browser.go("/2024-01-05/2/")
    browser.find(".edition-page.current .headline-nav a").click()
    assert browser.path == "/2024-01-05/2/#a1"
    assert browser.driver.execute_script("return document.querySelector(':target').id") == "a1"
    top = browser.driver.execute_script("return document.getElementById('a1').getBoundingClientRect().top")
    assert 0 <= top < browser.driver.execute_script("return window.innerHeight")
    browser.driver.set_window_size(390, 844)
    assert browser.driver.execute_script(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_home_calendar_steps_through_months_and_lists_recent_issues(browser, archive):
    browser.go("/")
    assert browser.find("table.month caption").text.startswith("2024年1月")
    recent = [a.text for a in browser.finds(".recent-issues a")]
    assert recent == ["2024年1月5日", "2023年7月20日", "2023年3月10日"]
    assert not browser.finds(".month-nav a[rel=next]")
    browser.find(".month-nav a[rel=prev]").click()
    assert browser.find("table.month caption").text.startswith("2023年7月")
    browser.find(".month-nav a[rel=prev]").click()
    caption = browser.find("table.month caption").text
    assert caption.startswith("2023年3月")
    browser.find(".month-nav a[rel=next]").click()
    assert browser.find("table.month caption").text.startswith("2023年7月")
    day = browser.find("table.month td.has-issue a")
    # The test archive's pages have no printed date: the day carries the mark and says why.
    assert day.text == "20*" and day.get_attribute("title") == "日期来源不明"
    day.click()
    assert browser.path == "/2023-07-20/"
    browser.go("/")
    browser.find(".recent-issues").find_element(By.LINK_TEXT, "2023年3月10日").click()
    assert browser.path == "/2023-03-10/"


def test_person_opens_on_the_busiest_year_which_stands_out(browser, archive, monkeypatch):
    monkeypatch.setattr(views, "PERSON_PAGE_LIMIT", 2)  # read by the live server's thread too
    extra = sample_archive.make_page(sample_archive.Issue.objects.create(date=date(2023, 9, 1)), "1", n_articles=2)
    for article in extra.articles.all():
        sample_archive.credit(article, "林旭东", sample_archive.Role.REPORTER, order=3)
    lin = sample_archive.Person.objects.get(name="林旭东")
    browser.go(lin.get_absolute_url())
    rows = {row.find_element(By.TAG_NAME, "th").text: row for row in browser.finds(".per-year tbody tr")}
    assert set(rows) == {"2023", "2024"}
    assert background(rows["2023"].find_element(By.TAG_NAME, "td")) != background(
        rows["2024"].find_element(By.TAG_NAME, "td"))
    assert rows["2023"].find_element(By.TAG_NAME, "th").value_of_css_property("font-weight") == "700"
    titles = [a.text for a in browser.finds(".article-list a")]
    assert "上半年平湖经济稳中向好" in titles and "全市重点项目集中开工" not in titles
    rows["2024"].find_element(By.TAG_NAME, "a").click()
    WebDriverWait(browser.driver, 5).until(lambda d: "year=2024" in d.current_url)
    selected = browser.find(".per-year tr.selected th").text
    assert selected == "2024"
    assert [a.text for a in browser.finds(".article-list a")] == ["全市重点项目集中开工"]


def test_search_chart_bars_are_as_tall_as_their_counts(browser, imported_samples):
    browser.go("/search/?q=%E5%B9%B3%E6%B9%96")  # 平湖
    bars = []
    for item in browser.finds(".search-chart .chart-bar"):
        count = int(item.find_element(By.CSS_SELECTOR, ".bar-count").text)
        height = item.find_element(By.CSS_SELECTOR, ".bar").size["height"]
        bars.append((count, height))
    counts = [c for c, _ in bars if c]
    assert len(set(counts)) > 1, bars
    top_count, top_height = max(bars)
    assert top_height > 40
    for count, height in bars:
        if count:
            assert abs(height - top_height * count / top_count) <= 1.5, bars
