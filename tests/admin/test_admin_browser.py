"""The editor's core journey in a real headless Chromium.

Log in, open the review queue, fix a headline and a credit (person chosen
through the autocomplete), save, then find the corrected headline through
the public search box. Uses the browser harness of tests/browser/conftest.py.
"""

import importlib.util
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from articles.admin.groups import EDITORS, ensure_groups
from articles.models import Article, Person
from articles.search import sync

_spec = importlib.util.spec_from_file_location(
    "admin_browser_harness", Path(__file__).resolve().parents[1] / "browser" / "conftest.py"
)
_harness = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_harness)
chromium = _harness.chromium
browser = _harness.browser

OLD_TITLE = "“两面锦旗”唱响营商环境“创优曲”"
NEW_TITLE = "两面锦旗唱响营商环境创优曲"


@pytest.fixture
def editor_account(imported_samples):
    user = User.objects.create_user("editor", password="correct-horse-battery", is_staff=True)
    user.groups.add(ensure_groups()[EDITORS])
    Person.objects.create(name="顾秋野")  # the right spelling of a misread correspondent
    return user


def wait(browser, condition, timeout=10):
    return WebDriverWait(browser.driver, timeout).until(condition)


def test_editor_fixes_headline_and_credit_then_finds_it(browser, editor_account, sync_loop):
    article = Article.objects.get(title=OLD_TITLE)

    browser.go("/admin/")
    assert browser.path.startswith("/admin/login/")
    browser.find("#id_username").send_keys("editor")
    browser.find("#id_password").send_keys("correct-horse-battery", Keys.ENTER)
    wait(browser, EC.presence_of_element_located((By.ID, "phnews-review-link"))).click()
    # A repaired bold run is no misplaced text: the article waits under 可复核.
    wait(browser, EC.presence_of_element_located((By.ID, "level-may"))).click()

    row = wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, f"tr.review-article[data-id='{article.pk}']")))
    assert "已修复重复提取的粗体文字" in row.text
    browser.screenshot("admin-review-queue")
    row.find_element(By.CSS_SELECTOR, "a.review-article-link").click()

    title = wait(browser, EC.presence_of_element_located((By.ID, "id_title")))
    assert "两面锦旗" in browser.find("#phnews-source pre").text  # raw text beside the form
    browser.screenshot("admin-article-form")
    title.clear()
    title.send_keys(NEW_TITLE)

    # The correspondent 顾秋叶 is the second credit; pick 顾秋野 through the autocomplete.
    person_cell = browser.find("#credits-1 td.field-person")
    assert "顾秋叶" in person_cell.text
    person_cell.find_element(By.CSS_SELECTOR, ".select2-selection").click()
    search = wait(browser, EC.visibility_of_element_located((By.CSS_SELECTOR, ".select2-search__field")))
    search.send_keys("顾秋野")
    wait(browser, EC.element_to_be_clickable(
        (By.XPATH, "//li[contains(@class,'select2-results__option') and normalize-space()='顾秋野']"))).click()
    review_box = browser.find("#id_needs_review")
    if review_box.is_selected():
        review_box.click()
    browser.find("input[name='_save']").click()

    success = wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, ".messagelist .success")))
    assert NEW_TITLE in success.text
    browser.screenshot("admin-after-save")
    # The save only queued the index update; the writer's loop applies it a moment later.
    WebDriverWait(browser.driver, 10).until(lambda _: sync.pending() == 0)

    browser.go("/")
    box = browser.find("#site-q")
    box.send_keys(NEW_TITLE, Keys.ENTER)
    hit = wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, ".hit-title a")))
    assert hit.text == NEW_TITLE
    assert "顾秋野" in browser.find(".hit-credits").text
    hit.click()
    wait(browser, EC.url_contains(article.get_absolute_url()))

    article.refresh_from_db()
    assert not article.needs_review
    assert set(article.edited_fields) >= {"title", "credits"}
