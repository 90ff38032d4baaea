"""Reader input at the edges: invisible marks pasted with a query, a page number past the last page."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("mark", ["\u200f", "\u200b", "\ufeff", "\u200e", "\u2060", "\u00ad"])
def test_invisible_format_marks_in_a_query_are_ignored(client, indexed_samples, mark):
    plain = client.get(reverse("api_search"), {"q": "平湖"}).json()
    assert plain["count"] > 0
    marked = client.get(reverse("api_search"), {"q": f"{mark}平{mark}湖{mark}"}).json()
    assert marked["count"] == plain["count"] and "error" not in marked
    assert [r["id"] for r in marked["results"]] == [r["id"] for r in plain["results"]]
    html = client.get(reverse("search"), {"q": f"{mark}平湖"}).content.decode()
    assert f"找到 <strong>{plain['count']}</strong> 篇文章" in html
    assert mark not in html.split("<main", 1)[-1]  # nor echoed back into the search box and links


def test_a_person_filter_with_a_pasted_mark_still_filters(client, indexed_samples):
    name = indexed_samples[0].credits.first().person.name
    plain = client.get(reverse("api_search"), {"q": "平湖", "person": name}).json()
    marked = client.get(reverse("api_search"), {"q": "平湖", "person": f"\ufeff{name}\u200f"}).json()
    assert marked["count"] == plain["count"] > 0


def test_a_page_past_the_last_shows_the_last_page_and_says_so(client, indexed_samples):
    whole = client.get(reverse("api_search"), {"q": "的", "page_size": 5}).json()
    last = whole["pages"]
    assert last > 1
    expected = client.get(reverse("api_search"), {"q": "的", "page_size": 5, "page": last}).json()
    assert expected["results"]

    past = client.get(reverse("api_search"), {"q": "的", "page_size": 5, "page": last + 40}).json()
    assert past["page"] == last and past["results"] == expected["results"]

    response = client.get(reverse("search"), {"q": "的", "page": 50})
    html = response.content.decode()
    assert response.status_code == 200
    pages = client.get(reverse("api_search"), {"q": "的"}).json()["pages"]
    assert f"没有第50页：结果只有{pages}页，这里是最后一页。" in html
    # The JSON twin comes from the same code and says the same.
    twin = client.get(reverse("api_search"), {"q": "的", "page": 50}).json()
    assert twin["page"] == pages and f"没有第50页：结果只有{pages}页，这里是最后一页。" in twin["error"]
    assert html.count('<li class="search-hit">') > 0
