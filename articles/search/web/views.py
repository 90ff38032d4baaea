"""Search views: the results page and its JSON twin (the API), the OpenSearch description. Thin by design."""

import functools

from django.conf import settings
from django.http import HttpResponse
from django.utils.html import escape
from django.urls import reverse
from django.views.decorators.http import require_GET

from articles.browse.twin import twin
from articles.clients import client_address
from articles.models import Kind

from articles.search import admission, service
from articles.search.querylang import FIELDS, MATCH_MODES
from articles.search.service import DEFAULT_PAGE_SIZE, SORTS
from articles.search.web import citations, presenters
from articles.search.web.params import FILTER_PARAMS, query_string, request_from, trends_query

# What the form, the chart, the facets and the pager need: links relative to
# the page and the form's choices, of no use to a program.
HTML_ONLY = ("req", "result", "problems", "chart", "facet_links", "pager", "active_filters", "clear_filters",
             "fields", "match_modes", "sorts", "kinds", "examples", "first_rank", "rejected", "trends_query")


def search_context(request):
    """The results page and its JSON twin (/api/search): one search, and what the reader is told about it."""
    req, problems, rejected = request_from(request.GET)
    req.client = client_address(request)
    if rejected:
        # A reader's mistake, not a search: say what was wrong and search nothing.
        result, asked_page = service.SearchResult(request=req), None
        problems = rejected + problems
    else:
        result, asked_page = service.run_page(req)
    if asked_page:
        problems.append(f"没有第{asked_page}页：结果只有{result.pages}页，这里是最后一页。")
    problems = [message for message in (result.error, *problems) if message]
    context = {
        "query": req.q,
        "count": result.count,
        "page": req.page,
        "page_size": req.page_size,
        "pages": result.pages,
        "results": presenters.result_items(request, result),
        "facets": {"month": result.months, "year": result.years, "kind": result.kinds, "column": result.columns,
                   "place": result.places},
        "json_url": f"{reverse('api_search')}?{_twin_query(req)}",
        "req": req,
        "result": result,
        "problems": problems,
        "chart": presenters.chart(result) if result.count else None,
        "facet_links": presenters.facet_links(result),
        "pager": presenters.pager(result),
        "active_filters": presenters.active_filters(req),
        "clear_filters": query_string(req, **{name: "" for name in FILTER_PARAMS}),
        "fields": FIELDS.items(),
        "match_modes": MATCH_MODES.items(),
        "sorts": [(k, v, query_string(req, sort="" if k == "relevance" else k, page="")) for k, v in SORTS.items()],
        "kinds": Kind.choices,
        "examples": presenters.HELP_EXAMPLES,
        "first_rank": (req.page - 1) * req.page_size + 1,
        "rejected": bool(rejected),
        "trends_query": trends_query(req, [req.q]),
    }
    if result.hits:
        context["citation_downloads"] = citations.download_links(request, req)
        context["citation_downloads_all"] = citations.download_links(request, req, whole=True)
        context["citation_window"] = service.MAX_RESULT_WINDOW
    if problems:
        context["error"] = " ".join(problems)
    return context


def _twin_query(req):
    return query_string(req, page=req.page if req.page > 1 else "",
                        page_size=req.page_size if req.page_size != DEFAULT_PAGE_SIZE else "")


# An index or cluster failure is the service's, not the reader's: 503, so
# proxies, crawlers and monitors do not take the page for a real answer. So
# is a heavy search refused for want of a slot, which can be retried sooner.
def answer_status(response, context):
    """400 for parameters the search (or a trend) cannot run with; 503 (and when to retry) for the service's failures."""
    result = context["result"]
    if context["rejected"]:
        response.status_code = 400
    elif result.unavailable or result.busy:
        response.status_code = 503
        response["Retry-After"] = service.RETRY_AFTER_SECONDS if result.unavailable else admission.RETRY_AFTER_SECONDS
    return response


def any_origin(view):
    """The API may be read by pages of any site."""

    @functools.wraps(view)
    def wrapper(request, **kwargs):
        response = view(request, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


# Not cached: a search answers from the index, which catches up with the
# archive after its queue drains, and from the load of the moment.
search, _api_search = twin(search_context, "articles/search.html", cached=False, html_only=HTML_ONLY,
                           finish=answer_status)
api_search = any_origin(_api_search)


@require_GET
def opensearch(request):
    search_url = request.build_absolute_uri(reverse("search"))
    api_url = request.build_absolute_uri(reverse("api_search"))
    # Every address is escaped: the page's own carries whatever query string it was asked with.
    search_url, api_url = escape(search_url), escape(api_url)
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
  <ShortName>{escape(settings.PHNEWS_SITE_NAME)}</ShortName>
  <Description>检索嘉兴日报·平湖版文章</Description>
  <InputEncoding>UTF-8</InputEncoding>
  <Language>zh-CN</Language>
  <Url type="text/html" method="get" template="{search_url}?q={{searchTerms}}&amp;page={{startPage?}}"/>
  <Url type="application/json" method="get" template="{api_url}?q={{searchTerms}}&amp;page={{startPage?}}"/>
  <Url type="application/opensearchdescription+xml" rel="self" template="{escape(request.build_absolute_uri())}"/>
</OpenSearchDescription>
"""
    return HttpResponse(xml, content_type="application/opensearchdescription+xml; charset=utf-8")


__all__ = ["search", "api_search", "opensearch"]
