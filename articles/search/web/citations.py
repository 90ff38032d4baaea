"""A result list as a citation file (RIS, BibTeX, CSL-JSON): the page shown, or every result up to the window.

The hits name the articles; the records come from the database, as for an
article's own file, so a list's file says word for word what each article's
does (GB/T 7714 text included).
"""

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from articles.browse import citation_files, citing, queries
from articles.browse.citation_views import LABELS
from articles.clients import client_address
from articles.models import Article

from articles.search import admission, service
from articles.search.web.params import query_string, request_from


def download_links(request, req, whole=False):
    """[{label, url}] for the file of the page shown, or (``whole``) of every result up to the window."""
    params = query_string(req, page="", page_size="", all=1) if whole else query_string(
        req, page=req.page if req.page > 1 else "", page_size=req.page_size if req.page_size != service.DEFAULT_PAGE_SIZE else "")
    return [{"label": LABELS[fmt],
             "url": request.build_absolute_uri(f"{reverse('search_citation', kwargs={'fmt': fmt})}?{params}")}
            for fmt in citation_files.FORMATS]


def _plain(message, status):
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


@require_GET
def search_citation(request, fmt):
    if fmt not in citation_files.FORMATS:
        raise Http404(f"没有“{fmt}”这种引文格式。")
    req, _problems, rejected = request_from(request.GET)
    if rejected:
        return _plain(" ".join(rejected), 400)
    req.client = client_address(request)
    whole = request.GET.get("all") == "1"
    result = service.search(req, facets=False, snippets=False,
                            window=(0, service.MAX_RESULT_WINDOW) if whole else None)
    if result.unavailable or result.busy:
        response = _plain(result.error or service.UNAVAILABLE, 503)
        response["Retry-After"] = service.RETRY_AFTER_SECONDS if result.unavailable else admission.RETRY_AFTER_SECONDS
        return response
    if result.error:
        return _plain(result.error, 400)
    ids = [hit.id for hit in result.hits]
    found = Article.objects.filter(pk__in=ids).select_related("page__issue").prefetch_related(
        queries.credits_prefetch())
    by_id = {article.pk: article for article in found}
    # An article deleted since the index last caught up is left out, not guessed at.
    refs = [citing.from_article(by_id[pk], request.build_absolute_uri) for pk in ids if pk in by_id]
    name = "phnews-search" + ("" if whole else f"-p{req.page}")
    return citation_files.download(refs, name, fmt)
