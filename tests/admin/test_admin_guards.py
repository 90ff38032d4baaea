"""What an admin URL may ask of the database, and how often a password may be guessed."""

import pytest
from django.contrib import admin
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.admin.guards import GuardedAdmin, GuardedChangeList
from articles.admin.login_throttle import CACHE

PASSWORD = "pw-for-tests-only"


@pytest.fixture(autouse=True)
def fresh_counts():
    caches[CACHE].clear()
    yield
    caches[CACHE].clear()


# -- lookups in the URL ----------------------------------------------------------

@pytest.mark.parametrize("url", [
    "/admin/articles/article/?body__regex=(a%2B)%2B%24",
    "/admin/articles/article/?page__raw_text__iregex=x",
    "/admin/articles/page/?raw_text__regex=.*",
    "/admin/articles/person/?name__regex=(a%2B)%2B",
    "/admin/auth/user/?username__regex=(a%2B)%2B",
    "/admin/articles/changerecord/?note__iregex=x",
])
def test_regex_lookups_are_refused_before_any_query(checker_client, superuser, client, archive, url):
    if url.startswith("/admin/auth/"):
        client.force_login(superuser)
        checker_client = client
    with CaptureQueriesContext(connection) as queries:
        response = checker_client.get(url)
    assert response.status_code == 400
    # SQLite's regex operator is REGEXP, PostgreSQL's ~ and ~*.
    assert not any("REGEXP" in q["sql"].upper() or "~" in q["sql"] for q in queries.captured_queries)


def test_ordinary_filters_still_work(checker_client, archive):
    response = checker_client.get("/admin/articles/article/?needs_review__exact=1&kind__exact=news")
    assert response.status_code == 200
    response = checker_client.get("/admin/articles/article/?title__icontains=%E5%B9%B3")  # 平
    assert response.status_code == 200


@pytest.mark.parametrize("url", [
    "/admin/articles/issue/?date__year=9999&date__month=12",
    "/admin/articles/issue/?date__year=9999&date__month=12&date__day=31",
    "/admin/articles/issue/?date__year=99999999999999999999999",
    "/admin/articles/page/?issue__date__year=9999&issue__date__month=12&issue__date__day=31",
    "/admin/articles/article/?page__issue__date__year=9999&page__issue__date__month=12&page__issue__date__day=31",
    "/admin/articles/article/?page__issue__date__year=2023&page__issue__date__month=2&page__issue__date__day=30",
    "/admin/articles/article/?page__issue__date__year=0",
    "/admin/articles/article/?page__issue__date__month=7",
    "/admin/articles/article/?page__issue__date__year=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%93",  # full-width digits
    "/admin/articles/changerecord/?created_at__year=9999",
    "/admin/articles/changerecord/?created_at__year=2023&created_at__month=13",
])
def test_out_of_range_dates_send_the_list_back_unfiltered(checker_client, archive, url):
    response = checker_client.get(url)
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_valid_date_drill_down_still_filters(checker_client, archive):
    response = checker_client.get("/admin/articles/issue/?date__year=2023&date__month=7")
    assert response.status_code == 200
    response = checker_client.get("/admin/articles/article/?page__issue__date__year=2023")
    assert response.status_code == 200


def test_every_registered_admin_is_guarded(rf, superuser):
    request = rf.get("/")
    request.user = superuser
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, GuardedAdmin), model
        assert issubclass(model_admin.get_changelist(request), GuardedChangeList), model


# -- failed logins -----------------------------------------------------------------

def login(client, username, password, address="10.0.0.1"):
    response = client.post(reverse("admin:login"), {"username": username, "password": password,
                                                    "next": reverse("admin:index")}, REMOTE_ADDR=address)
    return response


def logged_in(response):
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_right_password_is_refused_after_too_many_wrong_ones(client, editor, settings):
    settings.PHNEWS_LOGIN_MAX_FAILURES = 5
    for _ in range(5):
        assert not logged_in(login(client, "editor", "wrong"))
    response = login(client, "editor", PASSWORD)
    assert response.status_code == 200 and "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The same account from another address: the account is what is locked.
    assert not logged_in(login(client, "EDITOR ", PASSWORD, address="10.9.9.9"))


def test_lockout_ends_when_the_window_has_passed(client, editor, settings):
    import time

    settings.PHNEWS_LOGIN_MAX_FAILURES = 2
    settings.PHNEWS_LOGIN_LOCKOUT_SECONDS = 1
    for _ in range(2):
        login(client, "editor", "wrong")
    assert not logged_in(login(client, "editor", PASSWORD))
    time.sleep(1.2)
    assert logged_in(login(client, "editor", PASSWORD))


def test_one_address_trying_many_accounts_is_stopped(client, editor, checker, settings):
    settings.PHNEWS_LOGIN_MAX_FAILURES_PER_ADDRESS = 6
    for n in range(6):
        login(client, f"guess{n}", "wrong", address="10.6.6.6")
    assert not logged_in(login(client, "editor", PASSWORD, address="10.6.6.6"))
    assert logged_in(login(client, "checker", PASSWORD, address="10.7.7.7"))


def test_a_login_clears_its_accounts_count_but_an_empty_password_does_not(client, editor, settings):
    settings.PHNEWS_LOGIN_MAX_FAILURES = 3
    for _ in range(2):
        login(client, "editor", "wrong")
    assert logged_in(login(client, "editor", PASSWORD))
    client.logout()
    for _ in range(2):
        login(client, "editor", "wrong")
    login(client, "editor", "")  # no password: authenticates nobody, clears nothing
    login(client, "editor", "wrong")
    assert not logged_in(login(client, "editor", PASSWORD))


@pytest.mark.django_db(transaction=True)
def test_ten_attempts_at_once_get_no_more_password_checks_than_the_limit(editor, settings, monkeypatch):
    """Each password check waits until every attempt has either reached a check or been answered.

    Counted before the password is checked, the sixth to tenth attempts are
    refused while the first five wait; counted after, as before, all ten read
    "no failures yet" and all ten reach the check. No timing is involved.
    """
    import threading

    from django.contrib.auth.models import AbstractBaseUser
    from django.db import connection as thread_connection
    from django.test import Client

    settings.PHNEWS_LOGIN_MAX_FAILURES = 5
    attempts = 10
    state = {"checks": 0, "answered": 0}
    changed = threading.Condition()
    real_check = AbstractBaseUser.check_password

    def counted_check(user, raw_password):
        with changed:
            state["checks"] += 1
            changed.notify_all()
            changed.wait_for(lambda: state["checks"] + state["answered"] >= attempts, timeout=60)
        return real_check(user, raw_password)

    monkeypatch.setattr(AbstractBaseUser, "check_password", counted_check)
    answers = []

    def attempt():
        try:
            answers.append(login(Client(), "editor", "wrong").content.decode())
        finally:
            thread_connection.close()
            with changed:
                state["answered"] += 1
                changed.notify_all()

    threads = [threading.Thread(target=attempt) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert state["checks"] == 5
    assert sum("登录失败次数过多" in answer for answer in answers) == 5


def test_forwarded_address_is_used_only_behind_a_trusted_proxy(client, editor, checker, settings):
    settings.PHNEWS_LOGIN_MAX_FAILURES_PER_ADDRESS = 2
    settings.PHNEWS_TRUST_X_FORWARDED_FOR = True
    for n in range(2):
        client.post(reverse("admin:login"), {"username": f"guess{n}", "password": "wrong"},
                    REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    # Another client behind the same proxy is not locked out by that one.
    response = client.post(reverse("admin:login"), {"username": "checker", "password": PASSWORD,
                                                    "next": reverse("admin:index")},
                           REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.77")
    assert logged_in(response)


# -- the search box --------------------------------------------------------------

SEARCHED_LISTS = ["article", "page", "person", "credit"]


@pytest.mark.parametrize("model", SEARCHED_LISTS)
@pytest.mark.parametrize("term", [" ".join(["党建"] * 11), "党" * 101, " ".join(f"词{n}" for n in range(1000))])
def test_a_search_past_the_public_limits_is_not_run_and_says_so(checker_client, archive, model, term):
    with CaptureQueriesContext(connection) as queries:
        response = checker_client.get(reverse(f"admin:articles_{model}_changelist"), {"q": term})
    assert response.status_code == 200
    page = response.content.decode()
    assert "搜索词过长：最多 100 个字符、10 个词" in page and "未搜索" in page
    assert response.context["cl"].result_count == 0
    # No query of the list filtered on the words.
    assert not any("党建" in query["sql"] or "词1" in query["sql"] for query in queries.captured_queries)


@pytest.mark.parametrize("model", SEARCHED_LISTS)
def test_a_search_within_the_limits_still_runs(checker_client, archive, model):
    term = {"article": "党建", "page": "clean", "person": "李雨婷", "credit": "李雨婷"}[model]
    response = checker_client.get(reverse(f"admin:articles_{model}_changelist"), {"q": " ".join([term] * 10)})
    assert response.status_code == 200 and "搜索词过长" not in response.content.decode()
    assert response.context["cl"].result_count >= 1
