"""A request whose address holds a NUL character is answered 400.

PostgreSQL text cannot hold NUL: a page label, a byline name or a query
value with %00 reached a lookup and ended in DataError, a 500 (SQLite just
found nothing). No address of the site holds a NUL, so such a request is
refused, in Chinese, before any view runs.
"""

from django.http import HttpResponseBadRequest

MESSAGE = "地址中含有空字符（%00），没有这样的页面。"


class NulGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in key or any("\x00" in value for value in values)
                                         for key, values in request.GET.lists()):
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
