"""Addresses readers type or follow: unpadded dates, years without paper, pages without a label."""

import pytest

from articles.models import Article, Page


@pytest.mark.parametrize("typed, target", [
    ("/2023-3-10/", "/2023-03-10/"),
    ("/2023-3-10/C1/", "/2023-03-10/C1/"),
    ("/2023-03-1/C1/1/?q=党建", "/2023-03-01/C1/1/?q=%E5%85%9A%E5%BB%BA"),
])
def test_a_date_without_leading_zeros_redirects(client, archive, typed, target):
    response = client.get(typed)
    assert response.status_code == 301 and response["Location"] == target


@pytest.mark.parametrize("url", ["/2023-2-30/", "/2023-03-10/C1/1/more/"])
def test_impossible_or_unknown_addresses_stay_404(client, archive, url):
    assert client.get(url).status_code == 404


def test_a_year_without_paper_says_so_and_links_the_nearest_years(client, archive):
    response = client.get("/calendar/2026/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "2026年没有报纸" in body and "最近的年份：2024年" in body
    assert 'href="/calendar/2024/"' in body and "之后没有更晚的年份" in body
    between = client.get("/calendar/2020/").content.decode()
    assert 'rel="next" href="/calendar/2023/"' in between
    data = client.get("/api/calendar/2026.json")
    assert data.status_code == 404 and data.json()["error"] == "档案中没有2026年的报纸。最近的年份：2024年。"


def test_a_page_without_a_label_is_named_alike_everywhere_and_has_its_text(client, db):
    page = Page.objects.create(label="", source_name="unlabelled.txt", content_hash="u", raw_text="无版次的原文")
    Article.objects.create(page=page, position=1, title="无版次的文章", body="正文。")
    body = client.get(f"/page/{page.pk}/").content.decode()
    assert "<h1>版次不详" in body and "第?版" not in body
    assert f'href="/page/{page.pk}/raw.txt">纯文本</a>' in body
    raw = client.get(f"/page/{page.pk}/raw.txt")
    assert raw.status_code == 200 and raw.content.decode() == "无版次的原文"
    assert "第?版" not in client.get(f"/article/{Article.objects.get(page=page).pk}/").content.decode()
    assert client.get(f"/api/page/{page.pk}.json").json()["page"]["raw_text_url"].endswith(f"/page/{page.pk}/raw.txt")
