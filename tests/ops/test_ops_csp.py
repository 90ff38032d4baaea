"""Every response carries the Content-Security-Policy, and no page needs an inline script or style element."""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from articles.models import Article, Person

pytestmark = pytest.mark.django_db


class InlineCode(HTMLParser):
    """Collects what a 'self'-only policy would block: inline scripts, <style>, on* handlers, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found, self._in_script = [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src"):
            self._in_script = True
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}=javascript:")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"inline script: {data.strip()[:60]}")


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def reader_urls():
    article = Article.objects.select_related("page__issue").exclude(page__issue=None).first()
    page, issue = article.page, article.page.issue
    person = Person.objects.first()
    return [
        "/", "/calendar/", "/people/", f"/person/{person.pk}/", f"/{issue.date}/", f"/{issue.date}/{page.label}/",
        article.get_absolute_url(), f"/search/?q=%E5%B9%B3%E6%B9%96",
    ]


def test_the_policy_allows_no_inline_script_or_style_element():
    directives = dict(part.strip().split(" ", 1) for part in settings.PHNEWS_CONTENT_SECURITY_POLICY.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in directives["default-src"] + directives["script-src"] + directives["style-src"]


def test_reader_pages_carry_the_header_and_need_no_inline_code(client, imported_samples):
    from articles.search import sync

    sync.drain()  # the search page answers from an index (a reader never creates one)
    policy = settings.PHNEWS_CONTENT_SECURITY_POLICY
    for url in reader_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Security-Policy"] == policy, url
        assert inline_code(response.content.decode()) == [], url
    page = imported_samples[0]
    others = ["/feed/issues.atom", "/api/issues.json", "/robots.txt", "/sitemap.xml", "/no-such-page/", "/healthz",
              f"/{page.issue.date}/{page.label}/raw.txt"]
    for url in others:
        assert client.get(url)["Content-Security-Policy"] == policy, url


def test_admin_pages_carry_the_header_and_need_no_inline_code(client, imported_samples):
    policy = settings.PHNEWS_CONTENT_SECURITY_POLICY
    response = client.get("/admin/login/")
    assert response["Content-Security-Policy"] == policy
    assert inline_code(response.content.decode()) == []
    boss = User.objects.create_superuser("boss", password="pw-for-tests-only")
    client.force_login(boss)
    article = Article.objects.first()
    urls = ["/admin/", "/admin/articles/article/", f"/admin/articles/article/{article.pk}/change/",
            f"/admin/articles/article/{article.pk}/segments/", "/admin/articles/article/review/",
            "/admin/articles/page/", f"/admin/articles/page/{article.page_id}/change/", "/admin/articles/person/",
            "/admin/articles/changerecord/", "/admin/auth/user/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Security-Policy"] == policy, url
        assert inline_code(response.content.decode()) == [], url
