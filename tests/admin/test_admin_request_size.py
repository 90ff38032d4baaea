"""Staff can save any article the import can create; a request past the limit gets a Chinese answer."""

from urllib.parse import urlencode

from django.test import RequestFactory
from django.urls import reverse

from admin_helpers import article_form_data
from articles.models import Article
from articles.guards.request_size import RequestSizeMiddleware

FORM = "application/x-www-form-urlencoded"


def longest_body(chars):
    """A body as long as the import takes, of the characters that cost most form-encoded (4 UTF-8 bytes each)."""
    line = "".join(chr(0x20000 + n) for n in range(98)) + "\n\n"
    body = (line * (chars // len(line) + 1))[:chars]
    return body.rstrip("\n").ljust(chars, "𠀀")


def post_form(client, url, data):
    """What a browser sends for the admin's change form: URL-encoded, not multipart."""
    return client.post(url, urlencode(data), content_type=FORM)


def test_a_body_as_long_as_the_import_allows_is_saved(editor_client, archive, settings):
    article = archive["main"]
    body = longest_body(settings.PHNEWS_IMPORT_MAX_PAGE_CHARS)
    payload = urlencode(article_form_data(article, body=body))
    assert len(payload) > 2 * 1024 * 1024  # past the old fixed limit
    response = editor_client.post(reverse("admin:articles_article_change", args=[article.pk]), payload,
                                  content_type=FORM)
    assert response.status_code == 302, response.content.decode()[:500]
    article.refresh_from_db()
    assert article.body == body


def test_a_request_past_the_limit_gets_the_admins_chinese_page_and_changes_nothing(editor_client, archive, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    article = archive["main"]
    response = post_form(editor_client, reverse("admin:articles_article_change", args=[article.pk]),
                         article_form_data(article, body="平湖" * 2000))
    assert response.status_code == 413
    page = response.content.decode()
    assert "超过上限 4096 字节，未保存任何改动" in page and "PHNEWS_IMPORT_MAX_PAGE_CHARS" in page
    assert 'id="site-name"' in page  # the admin's own page, with its header
    article.refresh_from_db()
    assert article.body == "党建强，则根基稳。\n\n加强创新推进\n\n持续推进铁军工程。"


def test_an_oversized_body_is_read_to_its_end_before_the_answer(settings):
    """Else the server closes the connection on an unread upload and the browser shows no answer."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    request = RequestFactory().post("/somewhere/", b"x" * 3000, content_type=FORM)
    response = RequestSizeMiddleware(lambda request: None)(request)
    assert response.status_code == 413 and "超过上限 1000 字节" in response.content.decode()
    assert request.read() == b""
