"""Guards, round two, on the search side: a reader's mistake is a 400, a missing index is an outage
and never an empty one, invisible fillers hide nothing, a failure's traceback is logged once, and
heavy-search slots are shared between clients."""

import logging
import shutil
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from articles.search import admission, sync
from articles.search.engines.local import store
from articles.search.service import UNAVAILABLE, SearchRequest, search


@pytest.mark.parametrize("params, named", [
    ({"month": "2023-13"}, "2023-13"), ({"year": "0000"}, "0000"), ({"month": "0000-05"}, "0000-05"),
])
def test_a_filter_no_date_can_have_is_a_400_saying_what_was_wrong(client, indexed_samples, caplog, params, named):
    with caplog.at_level(logging.INFO, logger="articles"):
        page = client.get(reverse("search"), {"q": "平湖", **params})
        data = client.get(reverse("api_search"), {"q": "平湖", **params})
    assert page.status_code == 400 and named in page.content.decode() and "Retry-After" not in page
    assert data.status_code == 400 and named in data.json()["error"] and data.json()["count"] == 0
    # Nothing of ours above INFO (Django's request log notes every 4xx as usual).
    assert not [r for r in caplog.records if r.name.startswith("articles") and r.levelno > logging.INFO]


def test_the_last_day_there_is_can_be_searched(client, indexed_samples):
    for params, count in (({"month": "9999-12"}, 0), ({"year": "9999"}, 0),
                          ({"to": "9999-12-31"}, search(SearchRequest(q="平湖"), facets=False).count)):
        response = client.get(reverse("api_search"), {"q": "平湖", **params})
        assert response.status_code == 200 and response.json()["count"] == count, params


def test_a_page_past_the_last_is_named_as_asked(client, indexed_samples):
    data = client.get(reverse("api_search"), {"q": "平湖", "page": 999}).json()
    assert "没有第999页" in data["error"]


def test_invisible_fillers_hide_nothing(indexed_samples):
    plain = search(SearchRequest(q="营商环境"), facets=False).count
    assert plain > 0
    for filler in ("\u3164", "\uffa0", "\u115f", "\u1160", "\u2800", "\u034f", "\ufe0f"):
        assert search(SearchRequest(q=f"营商{filler}环境"), facets=False).count == plain, hex(ord(filler))


def test_opensearch_is_well_formed_whatever_its_query_string(client):
    response = client.get("/opensearch.xml?a&b=<x>")
    root = ET.fromstring(response.content)
    selves = [url.get("template") for url in root if url.get("rel") == "self"]
    assert selves == [response.wsgi_request.build_absolute_uri()]


@pytest.mark.django_db(transaction=True)
def test_a_missing_index_folder_is_an_outage_not_an_empty_index(client, index_dir, imported_samples):
    sync.drain()
    assert client.get(reverse("api_search"), {"q": "平湖"}).json()["count"] > 0
    shutil.rmtree(index_dir)
    store.forget_readers()
    response = client.get(reverse("api_search"), {"q": "平湖"})
    assert response.status_code == 503 and response.json()["error"] == UNAVAILABLE
    assert not index_dir.exists()  # a reader never creates one
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json()["index"]["status"] == "error"


@pytest.mark.django_db(transaction=True)
def test_a_failing_index_logs_its_traceback_once(client, index_dir, imported_samples, caplog):
    sync.drain()
    for path in index_dir.glob("*.seg"):
        path.unlink()
    store.forget_readers()
    with caplog.at_level(logging.ERROR, logger="articles.search"):
        for _ in range(3):
            store.forget_readers()  # as three fresh workers would
            assert client.get(reverse("api_search"), {"q": "平湖"}).status_code == 503
    failures = [r for r in caplog.records if r.name == "articles.search.service"]
    assert len(failures) == 3 and sum(1 for r in failures if r.exc_info) == 1


def test_a_refused_client_gets_the_next_free_slot(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.PHNEWS_SEARCH_HEAVY_SLOTS = 1
    with admission.slot("10.0.0.1"):  # the client that never pauses holds the slot
        with pytest.raises(admission.Busy):
            with admission.slot("10.0.0.2"):
                pass
    # Freed: the client that was refused has it; the other is refused meanwhile.
    with pytest.raises(admission.Busy):
        with admission.slot("10.0.0.1"):
            pass
    with admission.slot("10.0.0.2"):
        pass
    with admission.slot("10.0.0.1"):  # the reservation was used up
        pass
