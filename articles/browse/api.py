"""The list of every issue as JSON, for harvesting the archive.

Reader pages have their own JSON twins (views.py, twin.py); this list has no
HTML page of its own: the calendar shows the same issues a year at a time.
"""

from django.conf import settings
from django.urls import reverse
from django.views.decorators.http import require_safe

from . import dates, queries
from .cache import cached_page
from .lunar import issue_lunar_date
from .twin import json_error, json_response


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
