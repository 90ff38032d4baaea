"""Admin test fixtures: staff accounts in their groups, a small flagged archive, a private index."""

from datetime import date

import pytest
from django.contrib.auth.models import User

from articles.admin.groups import CHECKERS, EDITORS, ensure_groups
from articles.models import Article, Credit, DateSource, Issue, Page, Role

from admin_helpers import person


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Real hashing costs a second per account; these accounts guard nothing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def groups(db):
    return ensure_groups()


def _user(username, groups=(), **flags):
    user = User.objects.create_user(username=username, password="pw-for-tests-only", is_staff=True, **flags)
    user.groups.add(*groups)
    return user


@pytest.fixture
def editor(groups):
    return _user("editor", [groups[EDITORS]])


@pytest.fixture
def checker(groups):
    return _user("checker", [groups[CHECKERS]])


@pytest.fixture
def superuser(db):
    return _user("boss", is_superuser=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def checker_client(client, checker):
    client.force_login(checker)
    return client


@pytest.fixture
def archive(db):
    """Two pages: one clean, one flagged (estimated date, orphan byline) with a flagged article."""
    march = Issue.objects.create(date=date(2023, 3, 10), number=5134)
    august = Issue.objects.create(date=date(2023, 8, 18))
    clean = Page.objects.create(
        issue=march, label="C1", source_name="clean.txt", content_hash="a", date_source=DateSource.MASTHEAD,
        raw_text="■记者 李雨婷\n夯实党建根基\n党建强，则根基稳。\n",
    )
    flagged = Page.objects.create(
        issue=august, label="C1", source_name="flagged.txt", content_hash="b", date_source=DateSource.ESTIMATED,
        raw_text="消费券今起发放\n■记者 王强\n", orphan_bylines=[{"text": "■摄影 王 强", "credits": []}],
        needs_review=True, review_reasons=["日期为推测（2023-08-18）：正文", "有 1 条署名找不到所属文章，未归入任何文章"],
    )
    main = Article.objects.create(
        page=clean, position=1, kind="feature", column="一把手访谈", title="夯实党建根基",
        body="党建强，则根基稳。\n\n加强创新推进\n\n持续推进铁军工程。",
        blocks=[{"text": "党建强，则根基稳。", "kind": "p"}, {"text": "加强创新推进", "kind": "subhead"},
                {"text": "持续推进铁军工程。", "kind": "p"}],
    )
    Credit.objects.create(article=main, person=person("李雨婷"), role=Role.REPORTER, order=1)
    Credit.objects.create(article=main, person=person("张三"), role=Role.CORRESPONDENT, order=2)
    brief = Article.objects.create(page=clean, position=2, kind="brief", title="简讯一则", body="无署名的简讯。")
    voucher = Article.objects.create(
        page=flagged, position=1, title="消费券今起发放", body="消费券今起发放。",
        needs_review=True, review_reasons=["标题不确定：可能是引题"],
    )
    Credit.objects.create(article=voucher, person=person("王强"), role=Role.REPORTER, order=1)
    return {"march": march, "august": august, "clean": clean, "flagged": flagged,
            "main": main, "brief": brief, "voucher": voucher}
