"""No query parameter and no path value of any public URL answers 500.

A property test: for every URL pattern of the site (the admin apart: it
answers only staff), Hypothesis draws values for the pattern's path
arguments (real ones from the archive and arbitrary ones) and any query
parameters (the names the views read and others; numbers of any size, dates
that are not, text of any script), and each answer must be below 500, and a
400 or 404 must tell the reader what happened in Chinese.

The search pages are left out here: their filters belong to the search code
and are tested with it.
"""

import re
from datetime import date
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings, strategies as st

from phnews.urls import ADMIN_URL

CHINESE = re.compile(r"[\u4e00-\u9fff]")
LEFT_OUT = {"search", "api_search", "trends", "api_trends"}
PARAMETER_NAMES = ["month", "year", "role", "date", "q", "p", "page", "format", "callback", "a", "b"]


def public_patterns():
    """(name, converters by argument) of every named public URL pattern."""
    found = []

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if str(entry.pattern) == ADMIN_URL:
                    continue
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern) and entry.name and entry.name not in LEFT_OUT:
                converters = {name: type(conv).__name__ for name, conv in entry.pattern.converters.items()}
                found.append((entry.name, converters))

    walk(get_resolver().url_patterns)
    return found


PATTERNS = public_patterns()

# Numbers as text: small, at the edges of years and pks, and far past any column's range.
numbers = st.one_of(
    st.integers(min_value=-2, max_value=10001),
    st.integers(),
    st.integers(min_value=2**31 - 2, max_value=2**64 + 2),
    st.sampled_from([0, 9999, 10000, 99999999999999999999, 10**400]),
).map(str)
months = st.builds(lambda y, m: f"{y}-{m}", numbers, st.one_of(st.integers(-1, 14).map(str), numbers))
unicode_digits = st.text(alphabet=st.sampled_from("0123456789²³١٢٣०१२৩⁴①一二〇"), min_size=1, max_size=6)
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
# NUL: PostgreSQL text cannot hold it.
odd = st.sampled_from(["all", "", "2023-13", "2023-07", "\x00", "C1\x00", "李\x00雨婷"])
values = st.one_of(numbers, months, unicode_digits, texts, odd)
queries = st.lists(st.tuples(st.one_of(st.sampled_from(PARAMETER_NAMES), texts), values), max_size=4)


def path_values(converter, archive):
    if converter == "IntConverter":
        known = [archive["main"].pk, archive["main"].page_id, archive["main"].credits.first().person_id, 2023, 2024]
        return st.one_of(st.sampled_from(known), st.integers(min_value=0), st.just(10**30))
    if converter == "DateConverter":
        return st.one_of(st.sampled_from([date(2023, 3, 10), date(2024, 1, 5)]), st.dates())
    return st.one_of(st.sampled_from(["C1", "1", "articles", "pages", "issues", "people", "static", "李雨婷", "C\x001"]),
                     texts.filter(lambda text: text and "/" not in text))


@pytest.mark.parametrize("name,converters", PATTERNS, ids=[name for name, _ in PATTERNS])
def test_no_query_or_path_value_gives_a_server_error(client, archive, name, converters):
    @settings(max_examples=60, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(kwargs=st.fixed_dictionaries({arg: path_values(conv, archive) for arg, conv in converters.items()}),
           query=queries)
    def answers(kwargs, query):
        url = reverse(name, kwargs=kwargs) + ("?" + urlencode(query) if query else "")
        response = client.get(url)
        # /healthz's 503 is its answer (no index in this test), not a failure.
        assert response.status_code < 500 or (name == "healthz" and response.status_code == 503), url
        if response.status_code in (400, 404):
            assert CHINESE.search(response.content.decode()), url

    answers()


@pytest.mark.parametrize("url", ["/?month=9999-12", "/?month=99999999999999999999-01", "/?month=0-2147483648",
                                 "/api/home.json?month=9999-12", "/?month=０２０２３-07"])
def test_a_month_the_calendar_cannot_show_falls_back_on_the_latest_issue(client, archive, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "2024年1月" in response.content.decode() or '"year": 2024' in response.content.decode()


@pytest.mark.parametrize("year", ["0", "0000", "10000", "99999999999999999999", "²⁰²³", "٢٠٢٣"])
def test_issue_list_refuses_a_year_it_cannot_hold_in_chinese(client, archive, year):
    response = client.get("/api/issues.json", {"year": year})
    assert response.status_code == 400
    assert "0001 至 9999" in response.json()["error"]


def test_person_page_of_an_impossible_year_is_a_404_naming_it(client, archive):
    person_id = archive["main"].credits.first().person_id
    for year in ("0", "²⁰²³", "9" * 5000):
        response = client.get(reverse("api_person", kwargs={"pk": person_id}), {"year": year})
        assert response.status_code == 404 and "年没有署名文章" in response.json()["error"]


@pytest.mark.parametrize("url", ["/person/name/李%00雨婷/", "/2023-03-10/C%001/", "/api/2023-03-10/C%001.json",
                                 "/2023-03-10/C%001/raw.txt", "/people/?role=%00", "/?q=%00", "/api/issues.json?%00=1"])
def test_a_nul_in_the_address_is_a_400_in_chinese(client, archive, url):
    """PostgreSQL text cannot hold NUL: these reached a lookup and ended in a 500 there."""
    response = client.get(url)
    assert response.status_code == 400 and "空字符" in response.content.decode()
