"""A request body past DATA_UPLOAD_MAX_MEMORY_SIZE gets a Chinese answer.

Django refuses such a body only when a view (or the CSRF check) first reads
the form: a bare "Bad Request (400)" in English, and the server closes the
connection with most of the upload unread, so the browser often shows a
dropped connection instead of any answer. This middleware looks at the
declared length first, reads and discards the body up to a bound so the
answer reaches the browser, and answers 413 in the admin's own page, saying
how big the request was, what the limit is and what to do.
"""

from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import reverse

# Bodies up to this many times the limit are read to the end before the
# answer; a bigger one is answered at once and its connection may drop.
DRAIN_FACTOR = 4
CHUNK = 64 * 1024


class RequestSizeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        length = _declared_length(request)
        if limit is None or length <= limit or request.content_type == "multipart/form-data":
            return self.get_response(request)
        if length <= limit * DRAIN_FACTOR:
            while request.read(CHUNK):
                pass
        context = {
            "length": length,
            "limit": limit,
            "max_chars": settings.PHNEWS_IMPORT_MAX_PAGE_CHARS,
            "title": "提交的内容过大",
        }
        if request.path.startswith(reverse("admin:index")):
            context.update(admin.site.each_context(request))
            template = "admin/request_too_big.html"
        else:
            template = "request_too_big.txt"
        response = TemplateResponse(request, template, context, status=413,
                                    content_type=None if template.endswith(".html") else "text/plain; charset=utf-8")
        return response.render()


def _declared_length(request):
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0
