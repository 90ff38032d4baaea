"""A historian searches, then downloads the result page's references as RIS in Chromium.

The file lands in the browser's download folder under the name the server
gives it, and rispy reads back one reference per result shown, in order.
"""

from pathlib import Path

import pytest
import rispy
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from articles.search import sync


@pytest.fixture
def downloads(chromium, tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    chromium.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)})
    yield folder
    chromium.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "deny"})


def finished(folder):
    files = [p for p in Path(folder).iterdir() if not p.name.endswith(".crdownload")]
    return files or False


def test_download_ris_of_a_result_list(browser, imported_samples, downloads):
    sync.drain()
    browser.go("/search/?q=平湖&page_size=5")
    titles = [hit.text for hit in browser.finds(".search-hit .hit-title a")]
    assert len(titles) == 5
    links = browser.finds("#search-citations .citation-downloads")
    assert [p.text.split("：")[0] for p in links] == ["下载本页结果的引文", "下载全部结果的引文"]
    links[0].find_element(By.LINK_TEXT, "RIS").click()
    [saved] = WebDriverWait(browser.driver, 20).until(lambda d: finished(downloads))
    assert saved.name == "phnews-search-p1.ris"
    entries = rispy.loads(saved.read_text(encoding="utf-8"))
    assert len(entries) == 5
    # Each reference's title is the result's headline as printed (kicker and deck around it).
    for entry, title in zip(entries, titles):
        assert title in entry["title"]
        assert entry["type_of_reference"] == "NEWS"
        assert entry["secondary_title"] == "嘉兴日报"
