"""An editor fixes a page's segmentation in a real Chromium, and readers see it.

Log in, split an article at the subhead that is really the next article's
headline, merge a photo caption into the commentary before it, move a
paragraph to the next article; then the page, the new article and the
search box show the fixed segmentation. The index is written by an explicit
drain (as the background sync would), not inside the editor's requests.
"""

import pytest
from django.contrib.auth.models import User
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from articles.admin.groups import EDITORS, ensure_groups
from articles.models import Article, Page
from articles.search import sync

SAMPLE = "001_754509dbfb55a7fd.txt"
HEADLINE = "加强创新推进，构建大党建新格局"


@pytest.fixture
def editor_account(imported_samples, monkeypatch):
    # No index write inside a request: the queue is drained by the test, as
    # the background `search_sync --loop` does in production.
    monkeypatch.setattr(sync, "drain_quietly", lambda: None)
    user = User.objects.create_user("editor", password="correct-horse-battery", is_staff=True)
    user.groups.add(ensure_groups()[EDITORS])
    return user


def wait(browser, condition, timeout=10):
    return WebDriverWait(browser.driver, timeout).until(condition)


def confirm(browser, link_css=None, link=None):
    """Follow a fix link, check the confirmation page, press its button; returns the success message."""
    (link or browser.find(link_css)).click()
    button = wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, "#segment-form input[name='confirm']")))
    assert browser.finds(".phnews-preview section p")  # the paragraphs concerned are shown
    button.click()
    return wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, ".messagelist .success"))).text


def paragraph_row(browser, text):
    return browser.driver.find_element(
        By.XPATH, f"//table[contains(@class,'phnews-paragraphs')]//tr[td[contains(@class,'text') and normalize-space()='{text}']]")


def test_editor_splits_merges_and_moves_then_readers_see_it(browser, editor_account):
    page = Page.objects.get(source_name=SAMPLE)
    first = Article.objects.get(page=page, position=1)
    report = Article.objects.get(page=page, title="“两面锦旗”唱响营商环境“创优曲”")
    last_paragraph = report.blocks[-1]["text"]

    browser.go(f"/admin/articles/article/{first.pk}/change/")
    assert browser.path.startswith("/admin/login/")
    browser.find("#id_username").send_keys("editor")
    browser.find("#id_password").send_keys("correct-horse-battery", Keys.ENTER)
    wait(browser, EC.presence_of_element_located((By.ID, "segments-link"))).click()

    # 1. Split: the subhead is the headline of an article the parser swallowed.
    wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, "table.phnews-paragraphs")))
    browser.screenshot("admin-segments")
    paragraph_row(browser, HEADLINE).find_element(By.CSS_SELECTOR, "a.split-link").click()
    title = wait(browser, EC.presence_of_element_located((By.ID, "id_title")))
    assert title.get_attribute("value") == HEADLINE and browser.find("#id_heading").is_selected()
    assert "持续六年推进的铁军打造工程" in browser.find("#preview-moved").text
    browser.screenshot("admin-split-confirm")
    browser.find("#segment-form input[name='confirm']").click()
    message = wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, ".messagelist .success"))).text
    assert "本版第 2 篇" in message
    siblings = [li.text for li in browser.finds(".phnews-siblings li")]
    assert siblings[1] == HEADLINE and len(siblings) == 8

    # 2. Merge: the photo caption (next after the commentary) belongs to it.
    browser.click_link("以干部敢为跑出争先新姿态")
    message = confirm(browser, "#merge-next-link")
    assert "黎族纺织文化展" in message and "并入" in message
    assert len(browser.finds(".phnews-siblings li")) == 7

    # 3. Move: the report's last paragraph opens the next article.
    browser.click_link("两面锦旗")
    row = paragraph_row(browser, last_paragraph)
    message = confirm(browser, link=row.find_element(By.CSS_SELECTOR, "a.move-next-link"))
    assert "1 段移到下一篇" in message

    # The reader's side, once the queue is drained.
    assert sync.pending() > 0
    sync.drain()
    created = Article.objects.get(page=page, title=HEADLINE)
    browser.go(created.get_absolute_url())
    assert browser.find("#article-title").text == HEADLINE
    assert "持续六年推进的铁军打造工程" in browser.find(".body").text
    browser.go(page.get_absolute_url())
    titles = [h.text for h in browser.finds(".parsed .page-article h3.title")]
    assert titles == list(Article.objects.filter(page=page, parent=None).order_by("position")
                          .values_list("title", flat=True))
    assert titles[1] == HEADLINE and "黎族纺织文化展" not in titles and len(titles) == 7
    # The report moved down one place (the split); its last paragraph now opens the next article.
    following = Article.objects.get(page=page, position=report.position + 2)
    assert following.blocks[0]["text"] == last_paragraph
    assert browser.find(f"#a{following.position} .first-lines").text.startswith(last_paragraph[:10])

    box = browser.find("#site-q")
    box.send_keys("黎族纺织文化展", Keys.ENTER)
    hits = wait(browser, EC.presence_of_all_elements_located((By.CSS_SELECTOR, ".hit-title a")))
    titles = [hit.text for hit in hits]
    assert "以干部敢为跑出争先新姿态" in titles and "黎族纺织文化展" not in titles
    browser.screenshot("search-after-merge")
