"""Citation files to download: one article, or every article of a page.

A result list's file is served by the search pages (articles/search/web),
from the same writers (citation_files.py) and the same records (citing.py).
"""

from django.http import Http404
from django.urls import reverse
from django.views.decorators.http import require_safe

from . import citation_files, citing, queries
from .cache import cached_page


LABELS = {"ris": "RIS", "bib": "BibTeX", "csl.json": "CSL-JSON"}


def download_links(request, url_name, **kwargs):
    """[{label, url}] of the citation files a page offers, absolute like every link in the JSON."""
    return [{"label": LABELS[fmt], "url": request.build_absolute_uri(reverse(url_name, kwargs={**kwargs, "fmt": fmt}))}
            for fmt in citation_files.FORMATS]


def page_download_links(request, page):
    if page.issue_id and page.label:
        return download_links(request, "page_citation", date=page.issue.date, label=page.label)
    return download_links(request, "page_by_id_citation", pk=page.pk)


def _file(request, articles, name, fmt):
    refs = [citing.from_article(article, request.build_absolute_uri) for article in articles]
    response = citation_files.download(refs, name, fmt)
    if response is None:
        raise Http404(f"没有“{fmt}”这种引文格式（可用：{'、'.join(citation_files.FORMATS)}）。")
    return response


@require_safe
@cached_page
def article_citation(request, pk, fmt):
    article = queries.get_article(pk=pk)
    return _file(request, [article], f"phnews-{article.pk}", fmt)


def _page_file(request, page, fmt):
    articles = queries.page_articles(page)
    for article in articles:
        article.page = page
    name = f"phnews-{page.issue.date.isoformat()}-{page.label}" if page.issue_id else f"phnews-page-{page.pk}"
    return _file(request, articles, name, fmt)


@require_safe
@cached_page
def page_citation(request, date, label, fmt):
    return _page_file(request, queries.get_page(issue__date=date, label=label), fmt)


@require_safe
@cached_page
def page_by_id_citation(request, pk, fmt):
    return _page_file(request, queries.get_page(pk=pk), fmt)
