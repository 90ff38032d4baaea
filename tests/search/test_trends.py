"""词语趋势: per-month counts of terms on a made-up archive whose monthly counts are known.

Real database rows, a real Whoosh index built from them (tests/indexing.py),
the page and its JSON twin through Django's test client.
"""

import html as html_lib
import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, Credit, Issue, Page, Person
from articles.search import admission, service, trends
from articles.search.engines.local import store
from indexing import index_articles
from tests.search.test_search_admission import holding_every_slot

pytestmark = pytest.mark.django_db

A, B = "营商环境", "“高质量发展”"
TEXTS = {
    "a": "我市持续优化营商环境，企业办事更顺畅。",
    "b": "全力推动高质量发展，各项工作迈出新步伐。",
    "ab": "以一流营商环境推动高质量发展。",
    "x": "村里新修了一条道路，村民出行更方便。",
}
# (month, kind, how many); 2024-01 has no article at all. Place names ride on some of them (PLACES).
SPEC = [("2023-11", "a", 3), ("2023-11", "b", 1), ("2023-11", "x", 2), ("2023-12", "b", 2), ("2023-12", "x", 1),
        ("2024-02", "a", 1), ("2024-02", "ab", 1), ("2024-02", "x", 3)]
# (month, kind, nth of that kind in that month) -> words prepended: 芦湾村 lies in 新仓镇, so 新仓镇 finds it.
PLACES = {("2023-11", "a", 0): "新仓镇芦湾村", ("2023-12", "x", 0): "芦湾村", ("2024-02", "a", 0): "新仓镇"}
MONTHS = ["2023-11", "2023-12", "2024-01", "2024-02"]


def expected(kinds, months=MONTHS, place_only=False):
    """Articles per month whose kind is in ``kinds`` (all kinds: None), from SPEC itself."""
    counts = dict.fromkeys(months, 0)
    for month, kind, n in SPEC:
        if kinds is None or kind in kinds:
            counts[month] += sum(1 for k in range(n) if not place_only or (month, kind, k) in PLACES)
    return [counts[m] for m in months]


@pytest.fixture
def archive(db, index_dir):
    call_command("load_gazetteer", stdout=open("/dev/null", "w"))
    made = {}
    for month, kind, n in SPEC:
        year, number = int(month[:4]), int(month[5:])
        for k in range(n):
            day = date(year, number, 1 + len([m for m in made if m[0] == month]))
            issue = Issue.objects.create(date=day)
            page = Page.objects.create(issue=issue, label="1", source_name=f"{day}.txt", content_hash=str(day),
                                       raw_text="")
            body = PLACES.get((month, kind, k), "") + TEXTS[kind]
            made[(month, kind, k)] = Article.objects.create(page=page, position=1, title=f"{month}第{k + 1}篇",
                                                            body=body)
    index_articles(Article.objects.all(), index_dir, clear=True)
    store.forget_readers()
    return made


def api(client, **params):
    response = client.get(reverse("api_trends"), params)
    return response, response.json()


def test_monthly_counts_of_each_term_across_the_archive(client, archive):
    response, data = api(client, q=[A, B])
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    assert data["by"] == "month" and data["periods"] == MONTHS
    a, b = data["series"]
    assert (a["q"], b["q"]) == (A, B)
    assert [p["count"] for p in a["points"]] == expected({"a", "ab"}) == [3, 0, 0, 2]
    assert [p["count"] for p in b["points"]] == expected({"b", "ab"}) == [1, 2, 0, 1]
    assert (a["count"], b["count"]) == (5, 4)
    assert data["printed"] == expected(None) == [6, 3, 0, 5]
    assert "per_hundred" not in a["points"][0]


def test_every_point_links_to_the_search_of_its_term_and_month_which_finds_that_many(client, archive):
    _, data = api(client, q=[A, B])
    for series in data["series"]:
        for point in series["points"]:
            link = urlsplit(point["url"])
            assert link.path == reverse("search")
            assert parse_qs(link.query) == {"q": [series["q"]], "month": [point["period"]]}
            found = client.get(reverse("api_search"), parse_qs(link.query)).json()
            assert found["count"] == point["count"], (series["q"], point["period"])


def table_rows(page):
    """{row label: [cell texts]} of the trends table."""
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S).group(1)
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        label = re.sub(r"<[^>]+>", "", re.search(r"<th[^>]*>(.*?)</th>", row).group(1))
        rows[label] = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
    return rows


def test_page_draws_one_line_per_term_and_tables_the_same_numbers(client, archive):
    response = client.get(reverse("trends"), {"q": [A, B]})
    assert response.status_code == 200
    page = response.content.decode()
    svg = re.search(r"<svg class=\"trend-svg\".*?</svg>", page, re.S).group(0)
    assert len(re.findall(r"<polyline ", svg)) == 2
    for index, term in enumerate((A, B)):
        group = re.search(rf'<g class="trend-series trend-series-{index}" data-term="{re.escape(html_lib.escape(term))}">'
                          r"(.*?)</g>", svg, re.S).group(1)
        hrefs = [html_lib.unescape(h) for h in re.findall(r'<a href="([^"]*)"', group)]
        assert [parse_qs(urlsplit(h).query)["month"] for h in hrefs] == [[m] for m in MONTHS]
        assert all(parse_qs(urlsplit(h).query)["q"] == [term] for h in hrefs)
    # A short span names every month, and the year where it starts or changes.
    assert re.findall(r'<text class="trend-x-label"[^>]*>([^<]*)</text>', svg) == ["2023年11月", "12月", "2024年1月", "2月"]
    rows = table_rows(page)
    assert list(rows) == ["2023年11月", "2023年12月", "2024年1月", "2024年2月"]
    columns = list(zip(*rows.values()))
    assert [int(n) for n in columns[0]] == expected({"a", "ab"})
    assert [int(n) for n in columns[1]] == expected({"b", "ab"})
    assert [int(n) for n in columns[2]] == expected(None)
    assert 'id="trends-json"' in page


def test_per_hundred_articles_of_the_month(client, archive):
    _, data = api(client, q=[A, B], per="100")
    assert data["per"] == 100
    a, b = data["series"]
    assert [p["per_hundred"] for p in a["points"]] == [50.0, 0.0, None, 40.0]
    assert [p["per_hundred"] for p in b["points"]] == [16.67, 66.67, None, 20.0]
    page = client.get(reverse("trends"), {"q": [A, B], "per": "100"}).content.decode()
    rows = table_rows(page)
    assert rows["2023年11月"] == ["3", "50.0", "1", "16.67", "6"]
    assert rows["2024年1月"] == ["0", "—", "0", "—", "0"]
    assert "每百篇文章中提及的篇数" in page


def test_a_town_counts_its_villages_and_the_base_follows_the_filter(client, archive):
    _, data = api(client, q=[A], place="新仓镇", per="100")
    (a,) = data["series"]
    assert data["place"] == "新仓镇"
    assert data["periods"] == MONTHS
    assert [p["count"] for p in a["points"]] == expected({"a", "ab"}, place_only=True) == [1, 0, 0, 1]
    assert data["printed"] == expected(None, place_only=True) == [1, 1, 0, 1]
    assert [p["per_hundred"] for p in a["points"]] == [100.0, 0.0, None, 100.0]
    assert all(parse_qs(urlsplit(p["url"]).query)["place"] == ["新仓镇"] for p in a["points"])


def test_a_person_filter_counts_only_their_articles(client, archive, index_dir):
    person = Person.objects.create(name="林旭东")
    for key in (("2023-11", "b", 0), ("2024-02", "ab", 0)):
        Credit.objects.create(article=archive[key], person=person, role="reporter")
    index_articles(Article.objects.all(), index_dir, clear=True)
    store.forget_readers()
    _, data = api(client, q=[A, B], person="林旭东")
    a, b = data["series"]
    assert data["periods"] == MONTHS and data["printed"] == [1, 0, 0, 1]
    assert [p["count"] for p in a["points"]] == [0, 0, 0, 1]
    assert [p["count"] for p in b["points"]] == [1, 0, 0, 1]
    assert parse_qs(urlsplit(b["points"][0]["url"]).query) == {"q": [B], "month": ["2023-11"], "person": ["林旭东"]}


def test_odd_parameters_never_give_a_500(client, archive):
    for params in ({"q": [A], "by": "week"}, {"q": [A], "per": "7"}, {"q": [A], "field": "nonsense", "match": "x"},
                   {"q": ["", "  ", A, A]}, {"q": [A], "place": "x" * 500}, {"q": ["\u200b"]}):
        for name in ("trends", "api_trends"):
            assert client.get(reverse(name), params).status_code == 200, params
    _, data = api(client, q=["", "  ", A, A], by="week", per="7")
    assert [s["q"] for s in data["series"]] == [A] and data["by"] == "month" and data["per"] is None


def test_years_on_request_and_over_long_spans(client, archive, monkeypatch):
    _, data = api(client, q=[A, B], by="year")
    assert data["by"] == "year" and data["periods"] == ["2023", "2024"]
    assert [p["count"] for p in data["series"][0]["points"]] == [3, 2]
    assert parse_qs(urlsplit(data["series"][0]["points"][0]["url"]).query)["year"] == ["2023"]
    assert data["printed"] == [9, 5]
    monkeypatch.setattr(trends, "MAX_MONTHS", 3)  # the archive spans four months
    _, data = api(client, q=[A])
    assert data["by"] == "year" and [p["count"] for p in data["series"][0]["points"]] == [3, 2]


def test_a_term_the_parser_refuses_gets_its_message_and_the_others_are_drawn(client, archive, settings):
    settings.PHNEWS_SEARCH_MAX_QUERY_CHARS = 10
    long_term = "营" * 11
    response = client.get(reverse("trends"), {"q": [A, "-上海", long_term]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "“-上海”：请至少输入一个要查找的词" in page
    assert f"“{long_term}”：检索词太长了（11字），请缩短到10字以内。" in page
    assert len(re.findall(r"<polyline ", page)) == 1
    _, data = api(client, q=[A, "-上海"])
    assert data["series"][1]["error"] and data["series"][1]["points"] == []
    assert [p["count"] for p in data["series"][0]["points"]] == [3, 0, 0, 2]


def test_at_most_four_terms(client, archive):
    terms = [A, B, "道路", "村民", "企业"]
    response, data = api(client, q=terms)
    assert response.status_code == 400
    assert data["error"] == "最多比较4个词语，这里有5个；请去掉一些再试。"
    assert all(s["points"] == [] for s in data["series"])
    page = client.get(reverse("trends"), {"q": terms})
    assert page.status_code == 400 and "最多比较4个词语" in page.content.decode()
    response, data = api(client, q=terms[:4])
    assert response.status_code == 200 and len(data["series"]) == 4
    assert [p["count"] for p in data["series"][2]["points"]] == expected({"x"})


def test_search_results_link_to_the_trend_of_their_query_and_place(client, archive):
    page = client.get(reverse("search"), {"q": A, "place": "新仓镇"}).content.decode()
    href = html_lib.unescape(re.search(r'<a id="search-trends" href="([^"]*)">词语趋势</a>', page).group(1))
    link = urlsplit(href)
    assert link.path == reverse("trends")
    assert parse_qs(link.query) == {"q": [A], "place": ["新仓镇"]}
    trend = client.get(href)
    assert trend.status_code == 200
    assert [int(row[0]) for row in table_rows(trend.content.decode()).values()] == [1, 0, 0, 1]


def test_an_empty_page_shows_the_form(client, db):
    page = client.get(reverse("trends"))
    assert page.status_code == 200
    assert page.content.decode().count('name="q"') >= 4 + 1  # four terms, and the site's search box




def test_a_heavy_term_needs_a_slot_like_a_heavy_search(client, archive, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.PHNEWS_SEARCH_HEAVY_SLOTS = 1
    settings.PHNEWS_SEARCH_HEAVY_WEIGHT = 1  # 营商环境 (three bigrams) is heavy now
    with holding_every_slot():
        response, data = api(client, q=[A])
    assert response.status_code == 503 and response["Retry-After"] == admission.RETRY_AFTER_SECONDS
    assert data["error"] == admission.MESSAGE
    response, data = api(client, q=[A])  # the slot is free again
    assert response.status_code == 200 and [p["count"] for p in data["series"][0]["points"]] == [3, 0, 0, 2]


def test_a_broken_index_answers_503_with_the_search_message(client, archive, index_dir):
    for segment in index_dir.glob("*.seg"):
        segment.unlink()
    store.forget_readers()
    response, data = api(client, q=[A])
    assert response.status_code == 503 and response["Retry-After"] == service.RETRY_AFTER_SECONDS
    assert data["error"] == service.UNAVAILABLE
    page = client.get(reverse("trends"), {"q": [A]})
    assert page.status_code == 503 and service.UNAVAILABLE in page.content.decode()


def test_chart_axes_over_long_and_fractional_spans():
    from articles.search.web import trend_chart

    months = [f"{2020 + k // 12}-{k % 12 + 1:02d}" for k in range(2, 24)]  # 2020-03 .. 2021-12
    made = trend_chart.chart(months, [("词", [1] * len(months), ["#"] * len(months), [""] * len(months))])
    assert [label["label"] for label in made["x_labels"]] == ["2020", "2021"]
    assert made["x_labels"][1]["x"] == made["series"][0]["points"][10]["x"]  # 2021-01 is the eleventh month
    years = [str(y) for y in range(1950, 1990)]
    made = trend_chart.chart(years, [("词", [0.25] * 40, ["#"] * 40, [""] * 40)])
    assert [label["label"] for label in made["x_labels"]] == [str(y) for y in range(1950, 1990, 4)]
    assert [tick["label"] for tick in made["y_ticks"]] == ["0", "0.1", "0.2", "0.3"]
    # Every point sits on the plot, the highest value below the top tick.
    ys = [p["y"] for p in made["series"][0]["points"]]
    assert all(trend_chart.TOP <= y <= trend_chart.HEIGHT - trend_chart.BOTTOM for y in ys)
    assert [trend_chart.nice_step(v) for v in (3, 7, 66.67, 0)] == [1, 2, 20, 1]


def test_one_engine_call_per_term_and_one_for_the_months_articles(archive, monkeypatch):
    from articles.search.engines.local.backend import ChineseWhooshSearchBackend

    calls = []
    real = ChineseWhooshSearchBackend.search

    def counted(self, query, **kwargs):
        calls.append(kwargs.get("end_offset"))
        return real(self, query, **kwargs)

    monkeypatch.setattr(ChineseWhooshSearchBackend, "search", counted)
    found = trends.trends([A, B, "道路"])
    assert [s.count for s in found.series] == [5, 4, sum(expected({"x"}))]
    assert calls == [0, 0, 0, 0]  # no hit fetched or ranked by any of them
