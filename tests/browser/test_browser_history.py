"""Staff read an article's history after a split in Chromium: a diff they can read in either theme.

The split's record shows what the article lost (struck out) with the kept
text folded; inserted and deleted text keep a contrast of at least 4.5:1
against their own background in the admin's light and dark themes, and the
change-record list stays a few screens tall.
"""

import pytest
from django.contrib.auth.models import User
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from articles.admin import segment_ops
from articles.models import Article, Page
from articles.search import sync

SAMPLE = "001_754509dbfb55a7fd.txt"
HEADLINE = "加强创新推进，构建大党建新格局"

COLOURS = """
const parse = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
const luminance = rgb => {
  const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
return Array.from(document.querySelectorAll(arguments[0])).map(el => {
  const style = getComputedStyle(el);
  return ratio(parse(style.color), parse(style.backgroundColor));
});
"""


@pytest.fixture
def staff(imported_samples, monkeypatch):
    monkeypatch.setattr(sync, "drain_quietly", lambda: None)
    return User.objects.create_superuser("archivist", password="correct-horse-battery")


def contrasts(browser, theme):
    browser.driver.execute_script("document.documentElement.dataset.theme = arguments[0];", theme)
    return browser.driver.execute_script(COLOURS, ".phnews-diff ins, .phnews-diff del")


def test_history_after_a_split_is_a_readable_diff_in_both_themes(browser, staff):
    page = Page.objects.get(source_name=SAMPLE)
    first = Article.objects.get(page=page, position=1)
    index = next(i for i, block in enumerate(first.blocks) if block["text"] == HEADLINE)
    segment_ops.split(staff, first.pk, index, HEADLINE, heading=True)

    browser.go("/admin/login/")
    browser.find("#id_username").send_keys("archivist")
    browser.find("#id_password").send_keys("correct-horse-battery", Keys.ENTER)
    WebDriverWait(browser.driver, 10).until(EC.presence_of_element_located((By.ID, "user-tools")))

    browser.go(f"/admin/articles/article/{first.pk}/history/")
    records = browser.find("#phnews-change-records")
    assert browser.finds("#phnews-change-records .phnews-diff del")  # the tail that left the article
    assert "字未改动" in records.text  # the kept paragraphs are folded
    for theme in ("light", "dark"):
        ratios = contrasts(browser, theme)
        assert ratios and min(ratios) >= 4.5, (theme, ratios)
    browser.screenshot("admin-history-diff")

    browser.go("/admin/articles/changerecord/")
    rows = browser.finds("#result_list tbody tr")
    assert len(rows) == 3  # the split, the new article, the page pinned
    for theme in ("light", "dark"):
        ratios = contrasts(browser, theme)
        assert ratios and min(ratios) >= 4.5, (theme, ratios)
    # A record is a few lines, not a whole body in a narrow column.
    height = browser.driver.execute_script("return document.getElementById('result_list').offsetHeight")
    browser.screenshot("admin-change-records")
    assert height < 260 * len(rows), height


def test_article_list_gives_the_headline_room_at_laptop_width(browser, staff):
    browser.go("/admin/login/")
    browser.find("#id_username").send_keys("archivist")
    browser.find("#id_password").send_keys("correct-horse-battery", Keys.ENTER)
    WebDriverWait(browser.driver, 10).until(EC.presence_of_element_located((By.ID, "user-tools")))
    browser.driver.set_window_size(1366, 900)
    browser.go("/admin/articles/article/")
    cells = browser.finds("#result_list th.field-headline_text")
    assert len(cells) > 10
    widths = [cell.size["width"] for cell in cells]
    lines = browser.driver.execute_script(
        "return Array.from(arguments[0]).map(cell => cell.querySelector('a').getClientRects().length)", cells)
    assert min(widths) >= 300, widths
    # ... without pushing the list past the screen's edge.
    assert browser.driver.execute_script(
        "const r = document.querySelector('#changelist .results'); return r.scrollWidth <= r.clientWidth")
    # No headline of the samples wraps past two lines, and names keep their column.
    assert max(lines) <= 2, lines
    assert min(cell.size["width"] for cell in browser.finds("#result_list td.field-credit_list")) >= 90
    browser.screenshot("admin-article-list")
