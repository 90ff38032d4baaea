"""Under the Content-Security-Policy the pages still work in Chromium, and nothing is blocked."""

import pytest
from django.contrib.auth.models import User
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from articles.models import Article

# Runs before any page script, outside the page's policy: records every violation.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.effectiveDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || ""));
});
"""


@pytest.fixture
def watched(browser):
    added = browser.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": LISTEN})
    yield browser
    browser.driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": added["identifier"]})


def violations(browser):
    return browser.driver.execute_script("return window.__cspViolations")


def test_reader_pages_work_under_the_policy(watched, imported_samples):
    browser = watched
    article = Article.objects.filter(page__issue__isnull=False).first()
    browser.go(article.get_absolute_url())
    # The copy button is shown by copy.js: the script ran.
    WebDriverWait(browser.driver, 10).until(lambda d: not browser.find(".copy-actions").get_attribute("hidden"))
    assert violations(browser) == []

    browser.go("/search/?q=%E5%B9%B3%E6%B9%96")  # 平湖
    bars = browser.finds(".search-chart .bar")
    assert bars, "the search found nothing to chart"
    # The bar heights are inline style attributes, the policy's one allowance.
    assert max(bar.size["height"] for bar in bars) > 0
    assert violations(browser) == []

    for path in ("/", "/calendar/", "/people/"):
        browser.go(path)
        assert violations(browser) == [], path


def test_admin_works_under_the_policy(watched, imported_samples):
    browser = watched
    User.objects.create_superuser("boss", password="correct-horse-battery")
    article = Article.objects.first()
    browser.go("/admin/")
    browser.find("#id_username").send_keys("boss")
    browser.find("#id_password").send_keys("correct-horse-battery", Keys.ENTER)
    WebDriverWait(browser.driver, 10).until(EC.presence_of_element_located((By.ID, "phnews-review-link")))
    assert violations(browser) == []

    browser.go(f"/admin/articles/article/{article.pk}/change/")
    split = browser.find(".phnews-split")
    # admin.css is loaded: the form and the raw text sit side by side.
    assert browser.driver.execute_script("return getComputedStyle(arguments[0]).display", split) == "grid"
    assert violations(browser) == []

    for path in ("/admin/articles/article/", "/admin/articles/article/review/", f"/admin/articles/article/{article.pk}/segments/"):
        browser.go(path)
        assert violations(browser) == [], path
