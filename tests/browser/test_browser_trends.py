"""A reader goes from a search to its word trend, adds a second term, and from a point of the chart to that month."""

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.support.ui import WebDriverWait
from test_browser_csp import violations, watched  # noqa: F401 - the fixture that records policy violations

from articles.models import Article, Issue, Page
from indexing import index_articles

# (day, body): 营商环境 three times in March, once in May; 高质量发展 in April and May.
ARTICLES = [
    (date(2024, 3, 4), "优化营商环境，企业开办更快。"), (date(2024, 3, 11), "营商环境评价再创佳绩。"),
    (date(2024, 3, 18), "营商环境专员走访企业。"), (date(2024, 4, 8), "推动高质量发展。"),
    (date(2024, 5, 6), "以营商环境之优促高质量发展之进。"), (date(2024, 6, 3), "村里新修道路。"),
]


@pytest.fixture
def archive(transactional_db, private_search_index, monkeypatch):
    from articles.search import sync

    monkeypatch.setattr(sync, "drain_quietly", lambda: None)
    for n, (day, body) in enumerate(ARTICLES):
        issue = Issue.objects.create(date=day)
        page = Page.objects.create(issue=issue, label="1", source_name=f"t{n}.txt", content_hash=f"t{n}", raw_text="")
        Article.objects.create(page=page, position=1, title=f"第{n + 1}篇", body=body)
    index_articles(Article.objects.all(), private_search_index, clear=True)


def test_from_a_search_to_its_trend_and_back_to_a_month(watched, archive):
    browser = watched
    browser.go("/search/?q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83")  # 营商环境
    browser.click_link("词语趋势")
    WebDriverWait(browser.driver, 10).until(lambda d: browser.path.startswith("/trends/"))
    chart = browser.find(".trend-svg")
    assert chart.is_displayed() and chart.size["width"] > 300 and chart.size["height"] > 100
    assert len(browser.finds(".trend-svg polyline")) == 1
    counts = [cell.text for cell in browser.finds(".trend-table tbody td:first-of-type")]
    assert counts == ["3", "0", "1", "0"]  # March to June

    second = browser.finds(".trends-terms input")[1]
    second.send_keys("“高质量发展”")
    browser.submit(second)
    assert len(browser.finds(".trend-svg polyline")) == 2
    lines = browser.finds(".trend-svg .trend-line")
    # Each line is drawn, in its own colour (from the stylesheet: the policy allows no inline style).
    colours = {line.value_of_css_property("stroke") for line in lines}
    assert len(colours) == 2 and all(line.size["width"] > 100 for line in lines)
    assert [li.text for li in browser.finds(".trend-legend li")] == ["营商环境", "“高质量发展”"]
    browser.screenshot("trends-chart")
    assert violations(browser) == []

    march = browser.finds(".trend-series-0 a")[0]
    href = march.get_dom_attribute("href")
    assert parse_qs(urlsplit(href).query) == {"q": ["营商环境"], "month": ["2024-03"]}
    march.click()
    WebDriverWait(browser.driver, 10).until(lambda d: browser.path.startswith("/search/"))
    assert "找到 3 篇文章" in browser.find(".search-count").text
