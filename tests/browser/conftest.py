"""Headless Chromium against Django's live server, for any area's browser tests.

Fixtures:
- ``chromium``: one Selenium WebDriver for the session (Debian's chromium and
  chromium-driver; never downloads anything). Missing binaries fail loudly.
- ``browser``: a ``Browser`` bound to pytest-django's ``live_server`` with
  ``go(path)``, ``find(css)``, ``finds(css)``, ``click_link(text)``,
  ``submit(field)`` (waits for the next page), ``screenshot(name)``. It requests ``transactional_db`` so rows a test
  creates (or ``imported_samples``) are visible to the server thread.
- every test here gets a private, empty search index (saves queue index
  writes, which must never reach the real one).

Screenshots: ``PHNEWS_SCREENSHOTS=1 .venv/bin/pytest tests/browser`` writes
full-page PNGs (desktop and phone width) to screenshots/ (gitignored).
"""

import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest
from haystack import connections
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = os.environ.get("PHNEWS_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("PHNEWS_CHROMEDRIVER", "/usr/bin/chromedriver")
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "screenshots"
DESKTOP = (1280, 900)
PHONE = (390, 844)

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--lang=zh-CN", "--hide-scrollbars", "--force-device-scale-factor=1",
]


def _require(path, package):
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        pytest.fail(
            f"{path} not found: browser tests need Debian's {package} "
            f"(apt-get install -y chromium chromium-driver; bin/test installs it).",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def chromium():
    _require(CHROMIUM, "chromium")
    _require(CHROMEDRIVER, "chromium-driver")
    profile = tempfile.mkdtemp(prefix="phnews-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS + [f"--user-data-dir={profile}", f"--window-size={DESKTOP[0]},{DESKTOP[1]}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(autouse=True)
def private_search_index(settings, tmp_path):
    from articles.search.engines.local import store

    path = tmp_path / "index"
    settings.PHNEWS_INDEX_DIR = path
    settings.HAYSTACK_CONNECTIONS = {
        "default": {**settings.HAYSTACK_CONNECTIONS["default"], "PATH": str(path)}
    }
    # haystack keeps a backend per thread, and the live server's request
    # threads outlive a test (a browser keeps its connection alive): forget
    # every thread's, so the server's next search reads this test's index.
    connections.thread_local = threading.local()
    store.forget_readers()
    yield path
    store.forget_readers()
    connections.thread_local = threading.local()


class Browser:
    def __init__(self, driver, base_url):
        self.driver = driver
        self.base_url = base_url.rstrip("/")

    def go(self, path):
        self.driver.get(self.base_url + path)
        return self

    @property
    def path(self):
        url = self.driver.current_url
        return url[len(self.base_url):] if url.startswith(self.base_url) else url

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def finds(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def submit(self, element, timeout=10):
        """Submit a form field's form and wait until the next page has replaced this one."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        element.submit()
        WebDriverWait(self.driver, timeout).until(lambda d: _is_stale(old))
        return self

    def click_link(self, text):
        self.driver.find_element(By.PARTIAL_LINK_TEXT, text).click()
        return self

    def screenshot(self, name):
        """Full-page PNGs at desktop and phone width, only when PHNEWS_SCREENSHOTS is set."""
        if not os.environ.get("PHNEWS_SCREENSHOTS"):
            return []
        SCREENSHOT_DIR.mkdir(exist_ok=True)
        written = []
        for suffix, (width, height) in (("desktop", DESKTOP), ("phone", PHONE)):
            self.driver.set_window_size(width, height)
            full = self.driver.execute_script("return document.documentElement.scrollHeight")
            self.driver.set_window_size(width, min(max(full, height), 6000))
            target = SCREENSHOT_DIR / f"{name}-{suffix}.png"
            self.driver.save_screenshot(str(target))
            written.append(target)
        self.driver.set_window_size(*DESKTOP)
        return written


def _is_stale(element):
    from selenium.common.exceptions import StaleElementReferenceException

    try:
        element.tag_name
    except StaleElementReferenceException:
        return True
    return False


@pytest.fixture
def browser(chromium, live_server, transactional_db):
    chromium.delete_all_cookies()
    chromium.set_window_size(*DESKTOP)
    return Browser(chromium, live_server.url)
