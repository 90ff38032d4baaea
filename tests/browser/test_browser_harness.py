"""The harness itself: Chromium starts, reaches the live server and renders."""

from selenium.webdriver.common.by import By


def test_chromium_renders_the_live_site(browser):
    browser.go("/")
    assert browser.driver.execute_script("return document.documentElement.lang") == "zh-Hans"
    assert browser.driver.find_element(By.CSS_SELECTOR, "main#main").is_displayed()
    # The stylesheet is served and applied: the body font is the CJK stack.
    font = browser.driver.execute_script("return getComputedStyle(document.body).fontFamily")
    assert "Noto Sans CJK SC" in font
