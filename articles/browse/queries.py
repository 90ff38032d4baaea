"""Every database read of the reading side, each a fixed number of queries.

Views stay thin and their query counts stay constant however many pages or
articles an issue has: lists are fetched in one query each and joined in
Python, never per row.
"""

from collections import OrderedDict
from datetime import date

from django.db.models import Case, Count, Max, Min, OuterRef, Prefetch, Q, Subquery, Value, When
from django.http import Http404

from ..models import DATE_SOURCE_RANK, Article, ArticlePlace, Credit, Issue, Page, Person, PersonAlias, normalize_name
from .dates import Year
from .presenters import headline_tree

# Columns a headline list needs; bodies and raw text stay in the database.
HEADLINE_FIELDS = (
    "id", "page_id", "position", "kind", "column", "kicker", "title", "subtitle",
    "parent_id", "continued_to", "continued_from",
)


def credits_prefetch():
    return Prefetch("credits", queryset=Credit.objects.select_related("person").order_by("order", "id"))


def neighbour_issues(day):
    """The issues just before and after a day (the day itself excluded).

    One query for both dates; links need nothing but the date, so the
    issues come back as unsaved stand-ins.
    """
    found = Issue.objects.aggregate(before=Max("date", filter=Q(date__lt=day)), after=Min("date", filter=Q(date__gt=day)))
    return tuple(Issue(date=found[key]) if found[key] else None for key in ("before", "after"))


def latest_issue():
    return Issue.objects.order_by("-date").first()


def issue_pages(issue):
    """The issue's pages in order, each with its headlines (no bodies) as ``headlines``, sidebars nested."""
    headlines = Article.objects.only(*HEADLINE_FIELDS).order_by("position")
    pages = list(
        issue.pages.order_by("sort_key", "label").defer("raw_text", "leftover_text")
        .prefetch_related(Prefetch("articles", queryset=headlines))
    )
    for page in pages:
        page.headlines = headline_tree(page.articles.all())
    return pages


def months_around(year, month):
    """(year, month) of the nearest issues before and after a month, or None; one query."""
    first = date(year, month, 1)
    after_first = date(year + (month == 12), month % 12 + 1, 1)
    found = Issue.objects.aggregate(before=Max("date", filter=Q(date__lt=first)),
                                    after=Min("date", filter=Q(date__gte=after_first)))
    return tuple((found[key].year, found[key].month) if found[key] else None for key in ("before", "after"))


def _best_date_source():
    """An issue's best date evidence among its pages, as a subquery on Issue."""
    rank = Case(*(When(date_source=source, then=Value(n)) for n, source in enumerate(DATE_SOURCE_RANK)),
                default=Value(len(DATE_SOURCE_RANK)))
    return Subquery(Page.objects.filter(issue=OuterRef("pk")).order_by(rank).values("date_source")[:1])


def recent_issues(count):
    """The newest issues, each with ``date_source``: the best date evidence among its pages."""
    return list(
        Issue.objects.order_by("-date").only("id", "date", "number", "weekday", "lunar_date")
        .annotate(date_source=_best_date_source())[:count]
    )


def issue_dates(year=None):
    """{date: the best date evidence among that issue's pages} for every issue (of one year)."""
    qs = Issue.objects.order_by("date")
    if year is not None:
        qs = qs.filter(date__year=year)
    return dict(qs.annotate(date_source=_best_date_source()).values_list("date", "date_source"))


def issue_years():
    """Every year in the archive with its number of issues (dates.Year), oldest first."""
    rows = (
        Issue.objects.values_list("date__year").annotate(n=Count("id")).order_by("date__year")
    )
    return [Year(year, n) for year, n in rows]


def on_this_day(today):
    """Front-page headlines printed on this month and day in earlier years."""
    # The day is matched among issues (one row a day) and the articles read
    # through their pages; sidebars are skipped here, not in SQL, where
    # "parent IS NULL" led SQLite to walk every article of the archive.
    days = Issue.objects.filter(date__month=today.month, date__day=today.day, date__lt=today).values("pk")
    articles = (
        Article.objects.filter(page__issue__in=days)
        .select_related("page__issue")
        .only(*HEADLINE_FIELDS, "parent", "page__label", "page__sort_key", "page__date_source", "page__issue__date",
              "page__issue__lunar_date", "page__issue__number")
        .order_by("-page__issue__date", "page__sort_key", "position")
    )
    by_issue = OrderedDict()
    for article in articles:
        if article.parent_id is not None:
            continue
        issue = article.page.issue
        entry = by_issue.setdefault(issue.date, {"issue": issue, "articles": []})
        # The first page printed that day stands for the day.
        if not entry["articles"] or entry["articles"][0].page_id == article.page_id:
            entry["articles"].append(article)
    return list(by_issue.values())


def _get_or_404(queryset, message, **lookup):
    """get_object_or_404 with the reader's message, not Django's English one."""
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404(message)
    return found


def get_page(**lookup):
    return _get_or_404(Page.objects.select_related("issue"), "档案中没有这一版。", **lookup)


def page_articles(page):
    """The page's articles in reading order with credits and continuations."""
    return list(
        page.articles.order_by("position")
        .select_related("continuation__page__issue")
        .prefetch_related(
            credits_prefetch(),
            Prefetch("continued_by", queryset=Article.objects.select_related("page__issue")),
        )
    )


def get_article(**lookup):
    return _get_or_404(
        Article.objects.select_related(
            "page__issue", "continuation__page__issue", "parent__page__issue"
        ).prefetch_related(
            credits_prefetch(),
            Prefetch("sidebars", queryset=Article.objects.order_by("position").prefetch_related(credits_prefetch())),
            Prefetch("continued_by", queryset=Article.objects.select_related("page__issue")),
            Prefetch("article_places", queryset=ArticlePlace.objects.select_related("place")
                     .order_by("-mentions", "place__name")),
        ),
        "档案中没有这篇文章。",
        **lookup,
    )


def issue_reading_order(article):
    """(page label, position, title) of every article of the issue, in reading order.

    Previous and next article run across page boundaries; a page without an
    issue is its own little world.
    """
    page = article.page
    qs = Article.objects.filter(page__issue_id=page.issue_id) if page.issue_id else page.articles.all()
    return list(
        qs.order_by("page__sort_key", "page__label", "position")
        .values_list("id", "page__label", "position", "title")
    )


def get_person(pk):
    return _get_or_404(Person.objects.prefetch_related("aliases"), "档案中没有这个人物。", pk=pk)


def person_named(name):
    """The person a printed name stands for: by name, else by a merged-away alias."""
    name = normalize_name(name)
    found = Person.objects.filter(name=name).first()
    if found is None:
        alias = PersonAlias.objects.select_related("person").filter(name=name).first()
        if alias is None:
            raise Http404(f"档案中没有署名“{name}”的人物。")
        found = alias.person
    return found


def person_year_counts(person):
    """{year or None: number of credits} for the person."""
    rows = person.credits.values_list("article__page__issue__date__year").annotate(n=Count("id")).order_by()
    return {year: n for year, n in rows}


def person_credits(person, year=None):
    """The person's credits (of one year if given), newest article first."""
    qs = person.credits.all()
    if year is not None:
        qs = qs.filter(article__page__issue__date__year=year)
    return list(
        qs.select_related("article__page__issue")
        .defer("article__body", "article__blocks", "article__page__raw_text",
               "article__page__leftover_text")
        .order_by("-article__page__issue__date", "article__page__sort_key", "article__position")
    )


def person_pages(person, year=None):
    """The pages the person is printed as staff of (of one year if given), newest first."""
    qs = person.page_credits.all()
    if year is not None:
        qs = qs.filter(page__issue__date__year=year)
    return list(
        qs.select_related("page__issue")
        .only("role", "page__id", "page__label", "page__section", "page__date_source", "page__sort_key",
              "page__issue__date")
        .order_by("-page__issue__date", "page__sort_key")
    )


def people_with_counts(role=None):
    """People credited at all (or in ``role``), each with ``n``, their number of such credits;
    without a role, page staff too, each with ``pages``, the pages they are printed as staff of."""
    if role:
        return list(Person.objects.annotate(n=Count("credits", filter=Q(credits__role=role)))
                    .filter(n__gt=0).only("id", "name", "kind"))
    return list(Person.objects.annotate(n=Count("credits", distinct=True), pages=Count("page_credits", distinct=True))
                .filter(Q(n__gt=0) | Q(pages__gt=0)).only("id", "name", "kind"))
