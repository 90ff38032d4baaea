"""Lists for harvesting the archive as JSON: every issue, and every article a page at a time.

Reader pages have their own JSON twins (views.py, twin.py); these lists have
no HTML page of their own: the calendar shows the same issues a year at a
time, and the 数据下载 page offers the articles in bulk.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.views.decorators.http import require_safe

from ..models import Article
from . import dates, queries
from .cache import cached_page
from .lunar import issue_lunar_date
from .rate import rate_capped
from .twin import json_error, json_response, to_json


@require_safe
@cached_page(keyed_on=("year",))
def issues(request):
    """Every issue by date; ``?year=2023`` narrows to one year."""
    typed = request.GET.get("year")
    qs = queries.Issue.objects.order_by("date").only("date", "number", "lunar_date")
    if typed:
        year = dates.parse_year(typed)
        if year is None:
            return json_error("year 应为 0001 至 9999 之间的四位数字，如 ?year=2023", 400)
        qs = qs.filter(date__year=year)
    absolute = request.build_absolute_uri
    return json_response({
        "title": settings.PHNEWS_SITE_NAME,
        "issues": [
            {"date": i.date.isoformat(), "number": i.number, "lunar_date": issue_lunar_date(i),
             "url": absolute(reverse("issue", kwargs={"date": i.date})),
             "json_url": absolute(reverse("api_issue", kwargs={"date": i.date}))}
            for i in qs
        ],
    })


def _count(request, name, default, largest):
    """A non-negative whole number parameter; None when it is not one."""
    typed = request.GET.get(name)
    if typed is None or typed == "":
        return default
    if not (typed.isascii() and typed.isdigit()) or len(typed) > 12:
        return None
    return min(int(typed), largest)


@require_safe
@rate_capped
def articles(request):
    """Every article, complete, ``page_size`` at a time, in id order.

    Pages are cursors, not numbers: ``next`` is ``?after=<last id>`` and
    ``previous`` ``?before=<first id>``, so a walk neither skips nor repeats an
    article when others are added or deleted while it runs (a new article
    has a larger id and comes last).
    """
    size = _count(request, "page_size", settings.PHNEWS_API_PAGE_SIZE, settings.PHNEWS_API_MAX_PAGE_SIZE)
    after = _count(request, "after", None, 10**12)
    before = _count(request, "before", None, 10**12)
    if size is None or size < 1 or "after" in request.GET and after is None or "before" in request.GET and before is None:
        return json_error("after、before 应为文章编号，page_size 应为 1 至 "
                          f"{settings.PHNEWS_API_MAX_PAGE_SIZE} 之间的整数。", 400)
    if after is not None and before is not None:
        return json_error("after 与 before 只能给一个。", 400)
    rows = Article.objects.select_related("page__issue").prefetch_related(queries.credits_prefetch())
    if before is not None:
        found = list(rows.filter(pk__lt=before).order_by("-pk")[:size])[::-1]
    else:
        found = list(rows.filter(pk__gt=after or 0).order_by("pk")[:size])
    here = request.build_absolute_uri(reverse("api_articles"))

    def link(**cursor):
        return f"{here}?{urlencode({**cursor, **({'page_size': size} if 'page_size' in request.GET else {})})}"

    more_after = bool(found) and Article.objects.filter(pk__gt=found[-1].pk).exists()
    more_before = bool(found) and Article.objects.filter(pk__lt=found[0].pk).exists()
    return json_response({
        "count": Article.objects.count(),
        "page_size": size,
        "order": "id",
        "next": link(after=found[-1].pk) if more_after else None,
        "previous": link(before=found[0].pk) if more_before else None,
        "results": [{"id": article.pk, **to_json(article, request)} for article in found],
    })
