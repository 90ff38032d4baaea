"""Every reader page twice: HTML for people, JSON for programs, from one context.

A page is one context function ``(request, **url kwargs) -> dict``. ``twin``
makes its two views: one renders the template with the dict, the other
renders the same dict as JSON. Nothing is computed for one and not the other,
so the JSON never drifts from what the page shows.

Model rows become small objects with absolute ``url`` and ``json_url``
(Chronicling America's API does the same), so a client walks from page to
page without building addresses. Only what the context already loaded is
written out: a deferred body or a relation not fetched is left out rather
than fetched, so the JSON costs no query the HTML did not.
"""

import dataclasses
import datetime
import functools

from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from ..models import Article, ArticlePlace, Credit, Issue, Page, Person, PersonAlias, Place, PlaceAlias
from .cache import cached_page
from .lunar import issue_lunar_date

# Context entries that only steer the HTML (e.g. a flag for a template branch).
HTML_ONLY = {"canonical", "json_url_path", "citation_meta"}


class Moved(Exception):
    """What the address named now lives elsewhere: both twins answer with a permanent redirect."""

    def __init__(self, html_path, json_path):
        super().__init__(html_path)
        self.html_path, self.json_path = html_path, json_path


def twin(context_function, template, status=200, cached=True, html_only=(), finish=None):
    """(html view, json view) for one context function.

    A page that answers from more than the archive (search: the index and
    its load) passes ``cached=False``, since the page cache knows only the
    archive's version; ``finish(response, context)`` for what both answers
    say besides their body (a 503 and Retry-After); and ``html_only`` for
    entries that only steer the HTML (links relative to the page, form
    choices), left out of the JSON.
    """
    cache = cached_page if cached else _uncached
    hidden = HTML_ONLY | set(html_only)
    finish = finish or _as_is

    @require_safe
    @cache
    @functools.wraps(context_function)
    def html_view(request, **kwargs):
        try:
            context = context_function(request, **kwargs)
        except Moved as moved:
            return HttpResponsePermanentRedirect(moved.html_path)
        return finish(render(request, template, context, status=status), context)

    @require_safe
    @cache
    @functools.wraps(context_function)
    def json_view(request, **kwargs):
        try:
            context = context_function(request, **kwargs)
        except Http404 as error:
            return json_error(error, 404)
        except Moved as moved:
            return HttpResponsePermanentRedirect(moved.json_path)
        data = to_json({k: v for k, v in context.items() if k not in hidden}, request)
        # The document's own addresses, absolute like every other in it.
        if context.get("canonical"):
            data["url"] = context["canonical"]
        if context.get("json_url"):
            data["json_url"] = request.build_absolute_uri(context["json_url"])
        return finish(json_response(data), context)

    return html_view, json_view


def _uncached(view):
    return view


def _as_is(response, context):
    return response


def json_response(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False, "indent": 1})


def json_error(message, status):
    """Every JSON error has one shape, in Chinese: {"error": message, "status": code}.

    Django's own 404 messages ("No Person matches the given query.") are for
    developers; readers of the API get the plain Chinese one.
    """
    text = str(message)
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        text = "没有找到。" if status == 404 else "请求有误。"
    return json_response({"error": text, "status": status}, status=status)


def _loaded(obj, name):
    return name not in obj.get_deferred_fields()


def _cached(obj, relation):
    return obj._meta.get_field(relation).is_cached(obj)


def _prefetched(obj, name):
    return name in getattr(obj, "_prefetched_objects_cache", {})


def _links(request, html_path, json_path=None):
    links = {"url": request.build_absolute_uri(html_path)}
    links["json_url"] = request.build_absolute_uri(json_path) if json_path else None
    return links


def _issue(issue, request):
    day = issue.date
    from . import dates

    data = {
        "date": day.isoformat(), "date_cn": dates.date_cn(day),
        "weekday": issue.weekday or dates.weekday_cn(day),
        "number": issue.number, "lunar_date": issue_lunar_date(issue) if issue.pk else "",
        **_links(request, reverse("issue", kwargs={"date": day}), reverse("api_issue", kwargs={"date": day})),
    }
    if hasattr(issue, "date_note"):
        data["date_note"] = issue.date_note
    return data


def _page(page, request):
    data = {"label": page.label}
    for name in ("section", "edition", "editor", "designer", "proofreader", "date_source",
                 "leftover_text", "orphan_bylines"):
        if _loaded(page, name):
            data[name] = getattr(page, name)
    if hasattr(page, "date_note"):
        data["date_note"] = page.date_note
    dated = page.issue_id and page.label and _cached(page, "issue")
    if dated:
        kwargs = {"date": page.issue.date, "label": page.label}
        data["date"] = page.issue.date.isoformat()
        data.update(_links(request, reverse("page", kwargs=kwargs), reverse("api_page", kwargs=kwargs)))
        data["raw_text_url"] = request.build_absolute_uri(reverse("page_raw", kwargs=kwargs))
    elif page.pk:
        data.update(_links(request, reverse("page_by_id", kwargs={"pk": page.pk}),
                           reverse("api_page_by_id", kwargs={"pk": page.pk})))
        data["raw_text_url"] = request.build_absolute_uri(reverse("page_raw_by_id", kwargs={"pk": page.pk}))
    if _prefetched(page, "articles"):
        data["articles"] = [_article(a, request) for a in page.articles.all()]
    return data


def _article_urls(article, request):
    """The permanent link (url, json_url) and, when it has one, the dated place it is read at now."""
    links = _links(request, reverse("article_by_id", kwargs={"pk": article.pk}),
                   reverse("api_article_by_id", kwargs={"pk": article.pk}))
    page = article.page if _cached(article, "page") else None
    if page is not None and page.issue_id and page.label and _cached(page, "issue"):
        kwargs = {"date": page.issue.date, "label": page.label, "position": article.position}
        links["dated_url"] = request.build_absolute_uri(reverse("article", kwargs=kwargs))
    return links


ARTICLE_FIELDS = ("kind", "column", "kicker", "title", "subtitle", "lead", "dateline", "blocks", "body",
                  "continued_from", "continued_to")


def _article(article, request):
    data = {"position": article.position}
    for name in ARTICLE_FIELDS:
        if _loaded(article, name):
            data[name] = getattr(article, name)
    if "kind" in data:
        data["kind_label"] = article.get_kind_display()
    data["parent"] = article.parent_id and (
        _article_link(article.parent, request) if _cached(article, "parent") else {"id": article.parent_id})
    if _loaded(article, "continuation_id") and article.continuation_id and _cached(article, "continuation"):
        data["continuation"] = _article_link(article.continuation, request)
    if _prefetched(article, "credits"):
        data["credits"] = [_credit(c, request) for c in article.credits.all()]
    if _cached(article, "page"):
        page = article.page
        data["page"] = page.label
        if page.issue_id and _cached(page, "issue"):
            data["date"] = page.issue.date.isoformat()
    for extra in ("date_note", "first_lines", "page_sidebars"):
        if hasattr(article, extra):
            data[extra] = to_json(getattr(article, extra), request)
    data.update(_article_urls(article, request))
    return data


def _article_link(article, request):
    return {"title": article.title, **_article_urls(article, request)}


def _credit(credit, request):
    return {
        "name": credit.person.name,
        "role": credit.role,
        "role_label": credit.get_role_display(),
        **_person_links(credit.person_id, request),
    }


def _person_links(pk, request):
    return _links(request, reverse("person", kwargs={"pk": pk}), reverse("api_person", kwargs={"pk": pk}))


def _person(person, request):
    data = {"name": person.name, "kind": person.kind, "kind_label": person.get_kind_display()}
    if _loaded(person, "note"):
        data["note"] = person.note
    if hasattr(person, "n"):
        data["article_count"] = person.n
    for extra in ("initial",):
        if hasattr(person, extra):
            data[extra] = getattr(person, extra)
    return {**data, **_person_links(person.pk, request)}


def _alias(alias, request):
    return alias.name


def _place(place, request):
    data = {"name": place.name, "kind": place.kind, "kind_label": place.get_kind_display()}
    if hasattr(place, "n"):
        data["article_count"] = place.n
    return {**data, **_links(request, reverse("place", kwargs={"pk": place.pk}),
                             reverse("api_place", kwargs={"pk": place.pk}))}


def _article_place(link, request):
    return {**_place(link.place, request), "mentions": link.mentions}


MODELS = {Issue: _issue, Page: _page, Article: _article, Credit: _credit, Person: _person, PersonAlias: _alias,
          Place: _place, PlaceAlias: _alias, ArticlePlace: _article_place}


def to_json(value, request):
    """The context as JSON-ready data; an unknown type is a bug, not something to guess."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return str(value) if isinstance(value, str) else value
    if isinstance(value, dict):
        return {str(k): to_json(v, request) for k, v in value.items() if k not in HTML_ONLY}
    if isinstance(value, (list, tuple)):
        return [to_json(v, request) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    serializer = MODELS.get(type(value))
    if serializer is not None:
        return serializer(value, request)
    if dataclasses.is_dataclass(value):
        data = {f.name: to_json(getattr(value, f.name), request) for f in dataclasses.fields(value)}
        for name in ("title", "anchor"):
            if hasattr(type(value), name):
                data[name] = getattr(value, name)
        links = value.links() if hasattr(value, "links") else None
        if links:
            data.update(_links(request, *links))
        return data
    raise TypeError(f"no JSON form for {type(value).__name__}")
