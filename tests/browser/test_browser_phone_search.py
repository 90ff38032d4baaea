"""A reader searches on a phone in Chromium: one search form, then the results, names unbroken.

The header's search box gives way to the search page's own form, the
matches-per-year chart comes after the results, and no person's name wraps
in the middle of its link.
"""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from articles.search import sync

PHONE = (390, 844)


@pytest.fixture
def indexed(imported_samples):
    sync.drain()
    return imported_samples


def visible_forms(browser):
    return [form for form in browser.finds("form[role=search]") if form.is_displayed()]


def test_phone_search_shows_one_form_then_results_with_whole_names(browser, indexed):
    browser.driver.set_window_size(*PHONE)
    browser.go("/")
    assert len(visible_forms(browser)) == 1  # elsewhere the header's box is the way in
    box = browser.find("#site-q")
    box.send_keys("平湖", Keys.ENTER)
    WebDriverWait(browser.driver, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".search-hit")))
    assert browser.path.startswith("/search/")

    forms = visible_forms(browser)
    assert len(forms) == 1 and forms[0].get_attribute("class") == "search-form"
    first_hit = browser.find(".search-hit")
    chart = browser.find(".search-chart")
    assert chart.is_displayed()
    assert first_hit.location["y"] < chart.location["y"]
    # The first result starts on the first screen.
    assert first_hit.location["y"] < PHONE[1]

    names = browser.finds(".hit-credits a")
    assert names
    lines = browser.driver.execute_script(
        "return Array.from(arguments[0]).map(a => a.getClientRects().length)", names)
    assert max(lines) == 1, [n.text for n, count in zip(names, lines) if count > 1]
    browser.screenshot("phone-search")
    browser.driver.set_window_size(1280, 900)
    browser.go(browser.path)
    # On a wide screen the chart spans the columns above the results.
    assert browser.find(".search-chart").location["y"] < browser.find(".search-hit").location["y"]
