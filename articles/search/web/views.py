"""Search views: the results page, the JSON API, the OpenSearch description. Thin by design."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from articles.models import Kind

from articles.search import admission, service
from articles.search.querylang import FIELDS, MATCH_MODES
from articles.search.service import MAX_PAGE_SIZE, SORTS
from articles.search.web import presenters
from articles.search.web.params import query_string, request_from


def results_page(request):
    """The one search behind the results page and its JSON twin, with what the reader is told about it."""
    req, problems = request_from(request.GET)
    result, asked_page = service.run_page(req)
    if asked_page:
        problems.append(f"没有第{asked_page}页：结果只有{result.pages}页，这里是最后一页。")
    return req, result, problems


@require_GET
def search(request):
    req, result, problems = results_page(request)
    hits = presenters.hit_items(result)
    response = render(request, "articles/search.html", {
        "query": req.q,
        "req": req,
        "result": result,
        "hits": hits,
        "problems": problems,
        "chart": presenters.chart(result) if result.count else None,
        "facets": presenters.facet_links(result),
        "pager": presenters.pager(result),
        "active_filters": presenters.active_filters(req),
        "clear_filters": query_string(req, **{k: "" for k in ("from", "to", "year", "month", "person", "kind", "column", "label")}),
        "fields": FIELDS.items(),
        "match_modes": MATCH_MODES.items(),
        "sorts": [(k, v, query_string(req, sort="" if k == "relevance" else k, page="")) for k, v in SORTS.items()],
        "kinds": Kind.choices,
        "examples": presenters.HELP_EXAMPLES,
        "first_rank": (req.page - 1) * req.page_size + 1,
    }, status=_status(result))
    return _retry_later(response, result)


@require_GET
def api_search(request):
    req, result, problems = results_page(request)
    payload = {
        "query": req.q,
        "count": result.count,
        "page": req.page,
        "page_size": req.page_size,
        "pages": result.pages,
        "results": presenters.hit_json(request, result),
        "facets": {"month": result.months, "year": result.years, "kind": result.kinds, "column": result.columns},
    }
    if result.error or problems:
        payload["error"] = " ".join(filter(None, [result.error, *problems]))
    response = JsonResponse(payload, status=_status(result), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return _retry_later(response, result)


# An index or cluster failure is the service's, not the reader's: 503, so
# proxies, crawlers and monitors do not take the page for a real answer. So
# is a heavy search refused for want of a slot, which can be retried sooner.
RETRY_AFTER_SECONDS = "30"


def _status(result):
    return 503 if result.unavailable or result.busy else 200


def _retry_later(response, result):
    if result.unavailable:
        response["Retry-After"] = RETRY_AFTER_SECONDS
    elif result.busy:
        response["Retry-After"] = admission.RETRY_AFTER_SECONDS
    return response


@require_GET
def opensearch(request):
    search_url = request.build_absolute_uri(reverse("search"))
    api_url = request.build_absolute_uri(reverse("api_search"))
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
  <ShortName>{escape(settings.PHNEWS_SITE_NAME)}</ShortName>
  <Description>检索嘉兴日报·平湖版文章</Description>
  <InputEncoding>UTF-8</InputEncoding>
  <Language>zh-CN</Language>
  <Url type="text/html" method="get" template="{search_url}?q={{searchTerms}}&amp;page={{startPage?}}"/>
  <Url type="application/json" method="get" template="{api_url}?q={{searchTerms}}&amp;page={{startPage?}}"/>
  <Url type="application/opensearchdescription+xml" rel="self" template="{request.build_absolute_uri()}"/>
</OpenSearchDescription>
"""
    return HttpResponse(xml, content_type="application/opensearchdescription+xml; charset=utf-8")


__all__ = ["search", "api_search", "opensearch", "MAX_PAGE_SIZE"]
