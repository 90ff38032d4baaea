"""Result lines on the imported samples: marked titles and kickers, linked bylines, chart, help, newest order."""

import re
from urllib.parse import unquote

import pytest
from django.urls import reverse

from articles.models import Article, Person
from articles.search.service import SearchRequest, search
from articles.search.web.presenters import HELP_EXAMPLES

pytestmark = pytest.mark.django_db


def page_html(client, **params):
    response = client.get(reverse("search"), params)
    assert response.status_code == 200
    return response.content.decode()


def hits_of(html):
    return re.findall(r'<li class="search-hit">(.*?)</li>\s*(?=<li class="search-hit">|</ol>)', html, re.S)


def test_query_is_marked_in_titles_and_kickers(client, indexed_samples):
    with_kicker = next(a for a in indexed_samples if len(a.kicker) >= 2 and a.kicker[:2] not in a.title)
    word = with_kicker.kicker[:2]
    html = page_html(client, q=word)
    kicker = re.search(r'<p class="hit-kicker">(.*?)</p>', html).group(1)
    assert f"<mark>{word}</mark>" in kicker
    titled = next(a for a in indexed_samples if len(a.title) >= 4)
    html = page_html(client, q=titled.title[:4])
    titles = re.findall(r'<h2 class="hit-title"><a [^>]*>(.*?)</a></h2>', html)
    assert any(f"<mark>{titled.title[:4]}</mark>" in t for t in titles)


def test_byline_names_link_to_person_pages(client, indexed_samples):
    credited = next(a for a in indexed_samples if a.credits.exists())
    person = credited.credits.first().person
    html = page_html(client, q=credited.title)
    credits = re.findall(r'<span class="hit-credits">(.*?)</span>\s*</p>', html, re.S)
    link = next(re.search(rf'<a href="([^"]+)">{person.name}</a>', c).group(1) for c in credits if person.name in c)
    assert client.get(link).url == person.get_absolute_url()


def test_json_hit_carries_its_json_url_and_credit_objects(client, indexed_samples):
    credited = next(a for a in indexed_samples if a.credits.count() >= 2)
    data = client.get(reverse("api_search"), {"q": credited.title}).json()
    hit = next(r for r in data["results"] if r["id"] == credited.pk)
    assert client.get(hit["json_url"]).json()["article"]["title"] == credited.title
    credits = list(credited.credits.select_related("person").order_by("order", "id"))
    assert [(c["name"], c["role"], c["role_label"]) for c in hit["credits"]] == [
        (c.person.name, c.role, c.get_role_display()) for c in credits]
    for shown, credit in zip(hit["credits"], credits):
        assert client.get(shown["url"]).url == credit.person.get_absolute_url()


def test_chart_bars_are_proportional_to_their_counts(client, indexed_samples):
    html = page_html(client, q="平湖")
    bars = re.findall(r'<span class="bar-count">(\d+)</span>\s*<span class="bar-track"><span class="bar" '
                      r'style="height: (\d+)%"', html)
    counts = [(int(n), int(p)) for n, p in bars]
    top = max(n for n, _ in counts)
    assert len({n for n, _ in counts}) > 1
    for n, percent in counts:
        assert percent == round(100 * n / top)


def test_every_help_example_finds_something_in_the_samples(client, indexed_samples):
    html = page_html(client, q="")
    html = page_html(client, q="平湖")
    help_text = html.split('class="search-help"')[1].split("</p>")[0]
    linked = [unquote(q) for q in re.findall(r'href="\?q=([^"]+)"', help_text)]
    assert sorted(linked) == sorted(HELP_EXAMPLES.values())
    for example in HELP_EXAMPLES.values():
        assert search(SearchRequest(q=example), facets=False).count > 0, example


def test_newest_first_reads_each_days_pages_and_articles_in_order(client, indexed_samples):
    data = client.get(reverse("api_search"), {"q": "平湖", "sort": "newest", "page_size": 50}).json()
    rows = []
    for result in data["results"]:
        article = Article.objects.select_related("page__issue").get(pk=result["id"])
        rows.append((article.page.issue.date, article.page.sort_key, article.position))
    assert len(rows) == data["count"] > 5
    days = [r[0] for r in rows]
    assert days == sorted(days, reverse=True) and len(set(days)) > 1
    for day in set(days):
        within = [r[1:] for r in rows if r[0] == day]
        assert within == sorted(within), day
    assert any(len([r for r in rows if r[0] == day]) > 1 for day in set(days))


def test_result_lines_say_when_the_date_was_not_printed(client, indexed_samples):
    printed = next(a for a in indexed_samples if a.page.date_source == "masthead")
    inferred = next(a for a in indexed_samples if a.page.date_source == "manifest")
    data = client.get(reverse("api_search"), {"q": "平湖", "page_size": 50}).json()
    by_id = {r["id"]: r for r in data["results"]}
    notes = {r["date_note"] for r in data["results"]}
    assert "日期未见于报头，据导入清单" in notes and "" in notes
    for article in (printed, inferred):
        if article.pk in by_id:
            assert by_id[article.pk]["date_source"] == article.page.date_source
    html = page_html(client, q=inferred.title)
    line = next(h for h in hits_of(html) if inferred.title[:6] in h)
    assert '<span class="date-note"' in line and "据导入清单" in line
    html = page_html(client, q=printed.title)
    line = next(h for h in hits_of(html) if printed.title[:6] in h)
    assert "date-note" not in line
