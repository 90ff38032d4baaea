"""Heavy searches need one of a few host-wide slots, decided before any index work; ordinary searches never do.

Real index (the imported samples), real slot files in the test's var
directory, locks held from the test itself or from another process.
"""

import contextlib
import fcntl
import logging
import os
import subprocess
import sys
import threading

import pytest
from django.urls import reverse

from articles.search import admission, budget, service
from articles.search.querylang import compile_query, weight
from articles.search.querylang import parse
from articles.search.service import SearchRequest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def slots_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.PHNEWS_SEARCH_HEAVY_SLOTS = 1
    return settings.VAR_DIR / admission.SLOTS_DIR


@contextlib.contextmanager
def holding_every_slot():
    """Lock every slot file as another search would; fails if one is already taken."""
    files = []
    try:
        for path in admission.slot_paths():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(path, "a")
            files.append(handle)
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield
    finally:
        for handle in files:
            handle.close()


def heavy_query(articles):
    """Thirty characters running through a sample article: found, and past the default weight."""
    body = next(a.body.replace("\n", "") for a in articles if len(a.body) > 200)
    query = body[40:70]
    assert weight(parse(query)) > 20
    return query


def test_the_load_tests_heavy_queries_are_heavy_and_ordinary_ones_are_not(settings):
    assert settings.PHNEWS_SEARCH_HEAVY_WEIGHT == 20
    ordinary = ["平湖", "张三丰", "平湖市经济", '"高质量发展" -经济', "篇名:西瓜 作者:王明", "乡村振兴 共同富裕 OR 文明"]
    for query in ordinary:
        assert not admission.is_heavy(compile_query(parse(query))), query
    long_run = "当湖街道今年围绕老旧小区改造这件民生实事，先后召开居民议事会十余场，逐户听取意见后确定加装电梯、改造管网"
    assert admission.is_heavy(compile_query(parse(long_run)))
    assert admission.is_heavy(compile_query(parse(" ".join([long_run[:10], long_run[10:25], long_run[25:40], long_run[40:]]))))
    # Quoted, a term asks for no word-by-word matching, but its bigrams remain.
    assert weight(parse(f'"{long_run[:15]}"')) == 14 < weight(parse(long_run[:15]))
    assert admission.is_heavy(compile_query(parse(f'"{long_run}"')))


def test_a_heavy_search_is_refused_at_once_when_every_slot_is_taken(client, indexed_samples, caplog):
    query = heavy_query(indexed_samples)
    with holding_every_slot(), caplog.at_level(logging.WARNING, logger="articles.search"):
        page = client.get(reverse("search"), {"q": query})
        data = client.get(reverse("api_search"), {"q": query})
    html = page.content.decode()
    assert page.status_code == 503 and page["Retry-After"] == admission.RETRY_AFTER_SECONDS
    assert admission.MESSAGE in html and 'class="search-hit"' not in html
    assert 'name="q"' in html and query in html  # the page itself, the query kept for a retry
    # The JSON twin says the same.
    assert data.status_code == 503 and data["Retry-After"] == admission.RETRY_AFTER_SECONDS
    assert data.json()["error"] == admission.MESSAGE and data.json()["count"] == 0 and data.json()["results"] == []
    assert any("heavy search refused" in r.getMessage() for r in caplog.records)

    # Slot free again: the same search is answered.
    found = client.get(reverse("api_search"), {"q": query})
    assert found.status_code == 200 and "error" not in found.json()
    assert found.json()["count"] >= 1


def test_a_slot_held_by_another_process_counts(client, indexed_samples, slots_dir):
    query = heavy_query(indexed_samples)
    (path,) = admission.slot_paths()
    path.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, sys; f = open(sys.argv[1], 'a'); fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); "
         "sys.stdin.read()", str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert client.get(reverse("api_search"), {"q": query}).status_code == 503
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    # The holder is gone, and its lock with it.
    assert client.get(reverse("api_search"), {"q": query}).status_code == 200


def test_each_slot_admits_one_heavy_search(client, indexed_samples, settings):
    query = heavy_query(indexed_samples)
    settings.PHNEWS_SEARCH_HEAVY_SLOTS = 2
    first, second = admission.slot_paths()
    first.parent.mkdir(parents=True, exist_ok=True)
    with open(first, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert client.get(reverse("api_search"), {"q": query}).status_code == 200
        with admission.slot():  # the second slot, as a search in this very process would take it
            assert client.get(reverse("api_search"), {"q": query}).status_code == 503


def test_ordinary_searches_never_need_a_slot(client, indexed_samples):
    with holding_every_slot():
        for query in ("平湖", "平湖 经济", "篇名:平湖"):
            response = client.get(reverse("api_search"), {"q": query})
            assert response.status_code == 200, query
            assert "error" not in response.json()
        assert client.get(reverse("api_search"), {"q": "平湖"}).json()["count"] > 0
        page = client.get(reverse("search"), {"q": "平湖"})
        assert page.status_code == 200 and 'class="search-hit"' in page.content.decode()


def test_the_slot_is_released_when_the_budget_stops_the_search(client, indexed_samples, settings):
    query = heavy_query(indexed_samples)
    settings.PHNEWS_SEARCH_MAX_POSTINGS = 5
    with holding_every_slot():  # it needs a slot ...
        assert client.get(reverse("api_search"), {"q": query}).status_code == 503
    data = client.get(reverse("api_search"), {"q": query})  # ... takes the free one, and is stopped
    assert data.status_code == 200 and data.json()["error"] == budget.MESSAGE
    with holding_every_slot():  # would raise BlockingIOError had the search kept its slot
        pass


def test_the_slot_is_released_when_the_index_fails(client, db, index_dir, caplog):
    # A file where the index directory should be: every search fails.
    index_dir.write_text("not an index")
    query = "当湖街道今年围绕老旧小区改造这件民生实事先后召开居民议事会"
    with holding_every_slot():
        assert client.get(reverse("api_search"), {"q": query}).json()["error"] == admission.MESSAGE
    with caplog.at_level(logging.ERROR, logger="articles.search"):
        response = client.get(reverse("api_search"), {"q": query})
    assert response.status_code == 503 and response.json()["error"] == service.UNAVAILABLE
    assert response["Retry-After"] == "30"
    with holding_every_slot():
        pass


def test_an_admitted_heavy_search_runs_on_a_nicer_thread(settings):
    settings.PHNEWS_SEARCH_HEAVY_NICE = 10
    main = threading.get_native_id()
    before = os.getpriority(os.PRIO_PROCESS, main)
    tid, priority = admission.run_niced(
        lambda: (threading.get_native_id(), os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))
    assert tid != main and priority == min(19, before + 10)
    assert os.getpriority(os.PRIO_PROCESS, main) == before  # the worker's own thread keeps its priority

    def fails():
        raise budget.BudgetExceeded("posting budget spent")

    with pytest.raises(budget.BudgetExceeded):
        admission.run_niced(fails)
    settings.PHNEWS_SEARCH_HEAVY_NICE = 0
    assert admission.run_niced(threading.get_native_id) == main


def test_a_heavy_search_answers_as_an_ordinary_one_does(indexed_samples, settings):
    query = heavy_query(indexed_samples)
    admitted = service.search(SearchRequest(q=query))
    settings.PHNEWS_SEARCH_HEAVY_WEIGHT = 1000  # the same search, not heavy
    direct = service.search(SearchRequest(q=query + " "))
    assert admitted.count == direct.count >= 1 and not admitted.error
    assert [h.id for h in admitted.hits] == [h.id for h in direct.hits]
    assert [h.snippet for h in admitted.hits] == [h.snippet for h in direct.hits]


@pytest.mark.parametrize("trusted, expected", [(True, "203.0.113.7"), (False, "10.0.0.2")])
def test_slots_are_shared_between_the_clients_a_trusted_proxy_names(client, indexed_samples, settings, monkeypatch,
                                                                     trusted, expected):
    # Behind the proxy every request comes from its address: only the address it forwards tells readers apart.
    settings.PHNEWS_TRUST_X_FORWARDED_FOR = trusted
    asked = []
    real = admission.slot

    def slot(who=""):
        asked.append(who)
        return real(who)

    monkeypatch.setattr(admission, "slot", slot)
    query = heavy_query(indexed_samples)
    for name in ("api_search", "search"):
        response = client.get(reverse(name), {"q": query}, REMOTE_ADDR="10.0.0.2",
                              HTTP_X_FORWARDED_FOR="203.0.113.7")
        assert response.status_code == 200
    assert asked == [expected, expected]
