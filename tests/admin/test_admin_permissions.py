"""Who may do what: login required, editors edit content, checkers only read, CSRF on."""

import importlib

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import clear_url_caches, reverse

from articles.models import Article

from admin_helpers import article_form_data


def test_login_required(client, archive):
    for url in (reverse("admin:index"), reverse("admin:articles_review_queue"),
                reverse("admin:articles_article_change", args=[archive["main"].pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


def test_editors_cannot_touch_users_or_groups(editor_client):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_user_add")).status_code == 403


def test_editors_cannot_create_pages_or_rewrite_history(editor_client, archive):
    assert editor_client.get(reverse("admin:articles_page_add")).status_code == 403
    assert editor_client.get(reverse("admin:articles_changerecord_add")).status_code == 403
    assert editor_client.get(reverse("admin:articles_changerecord_changelist")).status_code == 200


def test_checkers_read_but_cannot_change(checker_client, archive):
    article = archive["main"]
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert checker_client.get(url).status_code == 200
    assert checker_client.get(reverse("admin:articles_person_changelist")).status_code == 200
    checker_client.post(url, article_form_data(article, title="不该改动"))
    article.refresh_from_db()
    assert article.title == "夯实党建根基"
    assert checker_client.post(reverse("admin:articles_article_delete", args=[article.pk]),
                               {"post": "yes"}).status_code == 403
    assert checker_client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_superuser_manages_users(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200


def test_csrf_is_enforced(editor, archive):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    article = archive["main"]
    response = strict.post(reverse("admin:articles_article_change", args=[article.pk]),
                           article_form_data(article, title="跨站伪造"))
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).title == "夯实党建根基"


def test_groups_command_is_idempotent(groups):
    from django.core.management import call_command

    call_command("staff_groups")
    call_command("staff_groups")
    editors = Group.objects.get(name="editors")
    codenames = set(editors.permissions.values_list("codename", flat=True))
    assert {"change_article", "add_credit", "change_person", "view_changerecord"} <= codenames
    assert not {c for c in codenames if c.endswith(("_user", "_group", "_changerecord")) and not c.startswith("view")}
    checkers = set(Group.objects.get(name="checkers").permissions.values_list("codename", flat=True))
    assert checkers and all(c.startswith("view_") for c in checkers)


def test_create_staff_user_command(db, monkeypatch):
    from django.contrib.auth.models import User
    from django.core.management import CommandError, call_command

    monkeypatch.setenv("EDITOR_PASSWORD", "a-long-passphrase-for-alice")
    call_command("create_staff_user", "alice", "--password-env", "EDITOR_PASSWORD")
    alice = User.objects.get(username="alice")
    assert alice.is_staff and not alice.is_superuser
    assert list(alice.groups.values_list("name", flat=True)) == ["editors"]
    assert alice.check_password("a-long-passphrase-for-alice")
    monkeypatch.setenv("WEAK", "123")
    with pytest.raises(CommandError, match="密码不合要求"):
        call_command("create_staff_user", "bob", "--group", "checkers", "--password-env", "WEAK")
    with pytest.raises(CommandError, match="已存在"):
        call_command("create_staff_user", "alice", "--password-env", "EDITOR_PASSWORD")


@pytest.fixture
def admin_at_custom_url(monkeypatch):
    import phnews.urls

    monkeypatch.setenv("PHNEWS_ADMIN_URL", "/staff-only-7f3/")
    importlib.reload(phnews.urls)
    clear_url_caches()
    yield
    monkeypatch.delenv("PHNEWS_ADMIN_URL")
    importlib.reload(phnews.urls)
    clear_url_caches()


def test_admin_url_is_configurable(admin_at_custom_url, editor_client):
    assert reverse("admin:index") == "/staff-only-7f3/"
    assert editor_client.get("/staff-only-7f3/").status_code == 200
    assert editor_client.get("/admin/").status_code == 404
