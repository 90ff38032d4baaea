"""A reader uses the year calendar in Chromium, on a laptop and on a phone.

The * on a date the masthead did not print is explained on the page itself
(a tooltip cannot be hovered on a touch screen), and on a phone the months
without paper fold to one line each, so three issues do not cost twelve
month tables of scrolling.
"""

from selenium.webdriver.common.by import By

from articles.models import DateSource, Page

PHONE = (390, 844)


def test_year_calendar_explains_its_marks_and_stays_short_on_a_phone(browser, imported_samples):
    marked = {page.issue.date for page in Page.objects.select_related("issue")
              if page.issue_id and page.date_source != DateSource.MASTHEAD and page.issue.date.year == 2023}
    assert marked, "the samples have a 2023 issue whose date the masthead did not print"
    browser.go("/calendar/2023/")
    legend = browser.find(".calendar-legend")
    assert legend.is_displayed() and legend.text.startswith("* 日期未印在报头上：")
    marks = browser.finds("td.date-not-printed .date-mark")
    assert len(marks) == len(marked)
    # The legend names each note a marked day carries.
    for cell in browser.finds("td.date-not-printed a"):
        assert cell.get_attribute("title") in legend.text
    browser.screenshot("calendar-year")

    browser.driver.set_window_size(*PHONE)
    browser.go("/calendar/2023/")
    assert browser.find(".calendar-legend").is_displayed()
    folded = browser.finds("table.month.no-issues")
    assert len(folded) == 12 - len(browser.finds("table.month:not(.no-issues)"))
    for table in folded:
        assert not table.find_element(By.CSS_SELECTOR, "tbody").is_displayed()
        assert "无报纸" in table.find_element(By.CSS_SELECTOR, "caption").text
    for table in browser.finds("table.month:not(.no-issues)"):
        assert table.find_element(By.CSS_SELECTOR, "td.has-issue a").is_displayed()
    height = browser.driver.execute_script("return document.documentElement.scrollHeight")
    # Three months of tables and nine one-line captions, not twelve tables (about 3,400 px).
    assert height < 1800, height
