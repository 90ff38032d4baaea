"""An archivist works the review queue of an import in a real Chromium.

Log in, open the queue: it opens on 须复核 and shows how many wait at each
level. Switch to 可复核, where the two-line headlines wait, and clear that
reason for the whole import with one button; the count drops, the articles
leave the queue, and the 须复核 items are still there.
"""

import pytest
from django.contrib.auth.models import User
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from articles.admin.groups import EDITORS, ensure_groups
from articles.models import Article, Page, ReviewLevel
from articles.parsing.guesses import classify


@pytest.fixture
def editor_account(imported_samples):
    user = User.objects.create_user("editor", password="correct-horse-battery", is_staff=True)
    user.groups.add(ensure_groups()[EDITORS])
    return user


def wait(browser, condition, timeout=10):
    return WebDriverWait(browser.driver, timeout).until(condition)


def count(browser, level):
    return int(browser.find(f"#level-{level} .count").text)


def test_archivist_clears_two_line_headlines_for_an_import(browser, editor_account):
    must = set(Article.objects.filter(review_level=ReviewLevel.MUST).values_list("pk", flat=True))
    may = Article.objects.filter(review_level=ReviewLevel.MAY)
    two_line = {a.pk for a in may if "两行标题" in {classify(r)[0] for r in a.review_reasons}}
    assert must and two_line

    browser.go("/admin/")
    browser.find("#id_username").send_keys("editor")
    browser.find("#id_password").send_keys("correct-horse-battery", Keys.ENTER)
    wait(browser, EC.presence_of_element_located((By.ID, "phnews-review-link"))).click()

    # The queue opens on 须复核: those articles, none of the cosmetic ones.
    wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, "#level-must[aria-current='page']")))
    shown = {int(row.get_attribute("data-id")) for row in browser.finds("tr.review-article")}
    assert shown == must
    pages = Page.objects.filter(needs_review=True).count()
    assert (count(browser, "must"), count(browser, "may")) == (pages + len(must), may.count())
    browser.screenshot("review-queue-must")

    browser.find("#level-may").click()
    wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, "#level-may[aria-current='page']")))
    assert {int(row.get_attribute("data-id")) for row in browser.finds("tr.review-article")} == set(
        may.values_list("pk", flat=True))
    row = browser.find("tr.review-reason[data-key='两行标题']")
    assert int(row.find_element(By.CSS_SELECTOR, ".reason-count").text) == len(two_line)
    button = row.find_element(By.CSS_SELECTOR, "form.clear-reason input[type='submit']")
    assert button.get_attribute("value") == "本次导入中所有“两行标题”均已核对"
    browser.screenshot("review-queue-may")
    browser.submit(button)

    message = wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, ".messagelist .success"))).text
    assert f"所有“两行标题”均已核对：{len(two_line)} 篇文章" in message
    assert count(browser, "may") == may.count() - len(two_line)
    assert not browser.finds("tr.review-reason[data-key='两行标题']")
    left = {int(row.get_attribute("data-id")) for row in browser.finds("tr.review-article")}
    assert not left & two_line
    assert count(browser, "must") == pages + len(must)
    for article in Article.objects.filter(pk__in=two_line):
        assert article.review_level == "" and "两行标题" in article.cleared_reasons
