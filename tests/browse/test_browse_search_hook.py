"""The article page's seam for the search that led to it (articles/browse/search_hook.py)."""

from articles.browse import search_hook


def test_without_a_provider_the_query_words_are_marked(client, archive, monkeypatch):
    monkeypatch.setattr(search_hook, "provider", None)
    body = client.get("/2024-01-05/1/1/", {"q": "实干"}).content.decode()
    assert "<mark>实干</mark>是最好的担当。" in body
    assert "上一条结果" not in body


def test_a_provider_supplies_terms_and_result_navigation(client, archive, monkeypatch):
    seen = []

    def provider(request, article):
        seen.append((request.GET["q"], request.GET["hit"], article.pk))
        return {"terms": ["担当"], "nav": {"index": 2, "total": 5, "prev_url": "/prev/", "next_url": "/next/",
                                          "results_url": "/search/?q=x"}}

    monkeypatch.setattr(search_hook, "provider", provider)
    body = client.get("/2024-01-05/1/1/", {"q": "实干 担当", "hit": "2"}).content.decode()
    assert seen == [("实干 担当", "2", archive["head"].pk)]
    assert "实干是最好的<mark>担当</mark>。" in body  # the provider's terms, not the split query
    assert 'href="/prev/">← 上一条结果' in body and 'href="/next/">下一条结果 →' in body
    assert "第 2 / 5 条" in body and 'href="/search/?q=x"' in body


def test_marking_cannot_inject_markup(client, archive):
    body = client.get("/2024-01-05/1/1/", {"q": "<script>"}).content.decode()
    assert body.count("<script>") == 0  # the page's own script is <script src=...>
    assert "<mark>&lt;script&gt;</mark>" in body
    assert 'value="&lt;script&gt;"' in body
