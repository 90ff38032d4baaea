"""Place pages and the places index: the queries and contexts (views.py makes their HTML and JSON twins).

A place's articles are those naming it or any place under it: a town's page
holds its villages' articles, as its 地点 search does. Every page costs a
fixed number of queries: the gazetteer (a few hundred rows) is read once and
walked in Python.
"""

from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from articles.models import TOWN_KINDS, Article, ArticlePlace, Credit, Place, PlaceAlias, PlaceKind

from . import dates
from ..labels import date_note

# A place's page lists one year at a time above this many articles, as a person's does.
PLACE_PAGE_LIMIT = 300
TOP_PEOPLE = 10


def gazetteer():
    """Every place by id, each with ``child_ids``: one query."""
    places = {p.pk: p for p in Place.objects.only("id", "name", "kind", "parent_id")}
    for place in places.values():
        place.child_ids = []
    for place in places.values():
        if place.parent_id in places:
            places[place.parent_id].child_ids.append(place.pk)
    return places


def within(places, pk):
    """``pk`` and every place under it."""
    found, todo = [], [pk]
    while todo:
        current = todo.pop()
        if current not in found:
            found.append(current)
            todo.extend(places[current].child_ids)
    return found


def article_sets(ids=None):
    """{place id: ids of the articles naming it}, of ``ids`` or of every place: one query."""
    rows = ArticlePlace.objects.all() if ids is None else ArticlePlace.objects.filter(place_id__in=ids)
    links = {}
    for place_id, article_id in rows.values_list("place_id", "article_id"):
        links.setdefault(place_id, set()).add(article_id)
    return links


def count_under(places, links, pk):
    """Articles naming ``pk`` or a place under it, each counted once."""
    return len(set().union(*(links.get(i, set()) for i in within(places, pk))))


def place_articles(ids):
    return Article.objects.filter(article_places__place_id__in=ids).distinct()


def year_counts(ids):
    """{year or None: number of articles naming a place of ``ids``}."""
    rows = (ArticlePlace.objects.filter(place_id__in=ids).values_list("article__page__issue__date__year")
            .annotate(n=Count("article_id", distinct=True)).order_by())
    return {year: n for year, n in rows}


def chart(per_year, selected):
    """Server-rendered bars (articles/search_chart.html), oldest year first."""
    top = max(per_year.values(), default=0) or 1
    return {"title": "每年篇数", "bars": [
        {"label": f"{year}年", "count": n, "percent": round(100 * n / top), "query": f"year={year}",
         "selected": year == selected}
        for year, n in sorted((y, n) for y, n in per_year.items() if y is not None)]}


def place_context(request, pk):
    places = gazetteer()
    if pk not in places:
        raise Http404("没有这个地点。")
    place = get_object_or_404(Place.objects.select_related("parent"), pk=pk)
    ids = within(places, pk)
    per_year = year_counts(ids)
    total = sum(per_year.values())
    year = dates.shown_year(request, per_year, total, PLACE_PAGE_LIMIT, place.name + "在{year}年没有文章。")
    articles = place_articles(ids)
    if year is not None:
        articles = articles.filter(page__issue__date__year=year)
    articles = list(articles.select_related("page__issue")
                    .defer("body", "blocks", "page__raw_text", "page__leftover_text")
                    .order_by("-page__issue__date", "page__sort_key", "position"))
    for article in articles:
        article.date_note = date_note(article.page.date_source) if article.page.issue_id else ""
    children = sorted((places[c] for c in places[pk].child_ids), key=lambda p: (p.kind, p.name))
    links = article_sets(ids)
    for child in children:
        child.n = count_under(places, links, child.pk)
    people = (Credit.objects.filter(article__in=place_articles(ids)).values("person_id", "person__name")
              .annotate(n=Count("article_id", distinct=True)).order_by("-n", "person__name")[:TOP_PEOPLE])
    years = sorted((y for y in per_year if y is not None), reverse=True)
    return {
        "place": place,
        "parent": place.parent,
        "children": children,
        "aliases": list(PlaceAlias.objects.filter(place=place).order_by("name")),
        "articles": articles,
        "people": [{"name": row["person__name"], "count": row["n"],
                    "url": reverse("person", kwargs={"pk": row["person_id"]})} for row in people],
        "per_year": [{"year": y, "count": per_year[y], "selected": y == year} for y in years],
        "chart": chart(per_year, year),
        "undated": per_year.get(None, 0),
        "total": total,
        "year": year,
        "all_on_one_page": total <= PLACE_PAGE_LIMIT,
        "search_url": reverse("search") + "?q=" + f"地点:{place.name}",
        "canonical": request.build_absolute_uri(place.get_absolute_url()),
        "json_url": reverse("api_place", kwargs={"pk": place.pk}),
    }


def places_context(request):
    """The towns (街道, 镇) in gazetteer order, each with the places under it; every count includes what lies under."""
    places = gazetteer()
    links = article_sets()
    towns, others = [], []
    for place in places.values():
        place.n = count_under(places, links, place.pk)
    city = [p for p in places.values() if p.kind == PlaceKind.CITY]
    for place in sorted(places.values(), key=lambda p: (-p.n, p.name)):
        if place.kind in TOWN_KINDS:
            towns.append({"town": place, "places": sorted((places[i] for i in within(places, place.pk)[1:]),
                                                          key=lambda p: (-p.n, p.name))})
        elif place.kind != PlaceKind.CITY and (place.parent_id is None or places[place.parent_id].kind == PlaceKind.CITY):
            others.append(place)
    return {
        "towns": towns,
        "others": others,
        "city": city[0] if city else None,
        "canonical": request.build_absolute_uri(reverse("places")),
        "json_url": reverse("api_places"),
    }


def place_named(name):
    """The place a name or alias stands for (search results link by name)."""
    place = Place.objects.named(name)
    if place is None:
        raise Http404(f"没有叫“{name}”的地点。")
    return place


def feed_items(place, limit):
    ids = within(gazetteer(), place.pk)
    return list(place_articles(ids).select_related("page__issue")
                .prefetch_related(Prefetch("credits", queryset=Credit.objects.select_related("person")
                                           .order_by("order", "id")))
                .defer("page__raw_text", "page__leftover_text")
                .order_by("-page__issue__date", "-id")[:limit])
