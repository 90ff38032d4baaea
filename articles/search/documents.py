"""What an article's search document holds: its reader-facing fields, declared once, and ``document_for``.

``SEARCH_FIELDS`` is the one declaration of what a reader can search in: the
query language's prefixes and field menu (querylang.py), the local engine's
schema (engines/local/schema.py) and haystack's index (search_indexes.py,
which gives a cluster its mapping) are all made from it, and ``document_for``
fills every declared field. Adding a field is one entry here (docs/search.md,
"Adding a field").
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

from django.db.models import Prefetch

from articles.credits import credit_line
from articles.search.text import PART_SEPARATOR

CONTENT_TYPE = "articles.article"
# ``order`` is the issue date's ordinal times this, plus page and position:
# one sortable number for reading order that also carries the date.
ORDER_DAY = 10**7
# ``newest`` counts days down from here, so an ascending sort gives the newest
# day first and still reads each day's pages C1, C2, ... in order; undated last.
LAST_DAY = date.max.toordinal() + 1


@dataclass(frozen=True)
class SearchField:
    """A field a reader can search in, by a prefix (``栏目:…``) or the search form's field menu."""

    label: str  # in the field menu
    value: Callable  # Parts -> the field's text (a list for several values)
    prefixes: tuple = ()  # query-language prefixes, besides the field's own name
    # Indexed as a literal group: (bigram field, unigram field), so any
    # substring is found; None for a field matched by whole value only.
    group: tuple | None = None
    # The whole-value field: filter (SearchQuerySet.filter(NAME=...)), exact
    # match, facet (its ``_exact`` twin, haystack's name for a faceted field).
    keyword: str = ""
    facet: bool = False
    several: bool = False  # a list of values (comma-separated in the index)
    ranked: bool = False  # a typed term in it ranks (ranking.py)
    # Whole values folded like all text (script, width, case); False: kept as
    # printed, and a query is matched in upper case (page labels: C1, A2).
    folded: bool = True
    # A whole value as a reader types it -> the value indexed (an alias to
    # its place's name); None: as typed.
    named: Callable | None = None

    def whole(self, typed):
        """The indexed whole value a reader means by ``typed``."""
        return (self.named(typed) or typed) if self.named else typed


class Parts:
    """An article's texts as the fields take them, each computed once per document."""

    def __init__(self, article):
        self.article = article
        names = []
        for credit in article.index_credits:
            if credit.person.name not in names:
                names.append(credit.person.name)
        self.names = names
        self.places = article_places(article)
        self.headline = PART_SEPARATOR.join(p for p in (article.kicker, article.title, article.subtitle) if p)
        self.body = "\n\n".join(p for p in (article.lead, article.body) if p)
        page = article.page
        # Everything printed with the article is found by "any": its byline
        # and dateline as printed, and the page's staff (编辑 戴琰).
        staff = " ".join(f"{role}{name}" for role, name in (("编辑", page.editor), ("版式", page.designer),
                                                             ("校对", page.proofreader)) if name)
        self.everything = PART_SEPARATOR.join(
            p for p in (self.headline, article.column, article.dateline, self.body, article.byline,
                        PART_SEPARATOR.join(names), staff) if p)


def place_name(typed):
    """The name of the place ``typed`` names (an alias: 独山港 -> 独山港镇), or None."""
    from articles.models import Place

    return getattr(Place.objects.named(typed), "name", None)


SEARCH_FIELDS = {
    "any": SearchField("全部字段", lambda parts: parts.everything, ("全部",), group=("text", "text_1"),
                       ranked=True),
    "headline": SearchField("篇名", lambda parts: parts.headline, ("篇名", "标题", "title"),
                            group=("headline", "headline_1"), ranked=True),
    "person": SearchField("作者", lambda parts: parts.names, ("作者", "author"),
                          group=("people_text", "people_text_1"), keyword="people", several=True),
    "column": SearchField("栏目", lambda parts: parts.article.column, ("栏目",),
                          group=("column_text", "column_text_1"), keyword="column", facet=True),
    "page": SearchField("版次", lambda parts: parts.article.page.label, ("版次",), keyword="page", folded=False),
    "section": SearchField("版名", lambda parts: parts.article.page.section, ("版名",),
                           group=("section_text", "section_text_1"), keyword="section", facet=True),
    "place": SearchField("地点", lambda parts: parts.places, ("地点",), keyword="places", facet=True, several=True,
                         named=place_name),
}

# Every literal group, by its bigram field: (bigram field, unigram field).
LITERAL_FIELDS = {field.group[0]: field.group for field in SEARCH_FIELDS.values() if field.group}


def document_id(pk):
    return f"{CONTENT_TYPE}.{pk}"


# What document_for and Article.get_absolute_url read, and nothing else: a
# full build spent a third of its database side decoding the JSON fields and
# timestamps these rows also hold (and a page's raw text would be loaded once
# per article on it).
ARTICLE_FIELDS = (
    "id", "page_id", "position", "kind", "column", "kicker", "title", "subtitle", "lead", "dateline", "byline", "body",
    "page__editor", "page__designer", "page__proofreader",
    "page__id", "page__issue_id", "page__label", "page__sort_key", "page__date_source", "page__section",
    "page__issue__id", "page__issue__date",
)
CREDIT_FIELDS = ("id", "article_id", "person_id", "role", "order", "person__id", "person__name")
# A place's parents, as far as the gazetteer nests (a village in a former town in a town).
PLACE_PARENTS = "place__parent__parent__parent"


def article_places(article):
    """The places an article names, most mentioned first, then the towns they lie in (a town finds its villages).

    The city is left out: every article is in it.
    """
    from articles.models import PlaceKind

    named, towns = [], []
    for link in article.index_places:
        named.append(link.place.name)
        parent = link.place.parent
        while parent is not None and parent.kind != PlaceKind.CITY:
            towns.append(parent.name)
            parent = parent.parent
    return list(dict.fromkeys(named + towns))


def index_prefetches():
    """The related rows a document reads, prefetched into plain lists (``index_credits``, ``index_places``).

    Not into the related managers: that builds a filtered queryset per
    article, which was half the cost of building a document.
    """
    from articles.models import ArticlePlace, Credit

    credits = Credit.objects.select_related("person").only(*CREDIT_FIELDS).order_by("order", "id")
    places = ArticlePlace.objects.select_related(PLACE_PARENTS).order_by("-mentions", "place__name")
    return (Prefetch("credits", queryset=credits, to_attr="index_credits"),
            Prefetch("article_places", queryset=places, to_attr="index_places"))


def articles_for_index(queryset=None):
    """Articles with everything the document needs, in a constant number of queries."""
    from articles.models import Article

    queryset = Article.objects.all() if queryset is None else queryset
    return queryset.select_related("page__issue").only(*ARTICLE_FIELDS).prefetch_related(*index_prefetches())


def for_index(article):
    """``article`` as ``articles_for_index`` loads it: itself if it came from there, else read again."""
    if hasattr(article, "index_credits") and hasattr(article, "index_places"):
        return article
    return articles_for_index(type(article)._default_manager.filter(pk=article.pk)).get()


def document_for(article):
    """The index document (field -> value) of one article from ``articles_for_index``.

    Every declared field, and what results and sorting read.
    """
    page = article.page
    issue = page.issue if page.issue_id else None
    parts = Parts(article)
    within_day = page.sort_key * 1000 + article.position
    doc = {
        "id": document_id(article.pk),
        "django_ct": CONTENT_TYPE,
        "django_id": str(article.pk),
        # jieba words of the headline, to rank whole-word headline matches (ranking.py).
        "headline_words": parts.headline,
        "kind": article.kind,
        "kind_exact": article.kind,
        # Reading order across the archive: date, page, position.
        "order": (issue.date.toordinal() if issue else 0) * ORDER_DAY + within_day,
        "newest": (LAST_DAY - (issue.date.toordinal() if issue else 0)) * ORDER_DAY + within_day,
        "title": article.title,
        "subtitle": article.subtitle,
        "kicker": article.kicker,
        "url": article.get_absolute_url(),
        "credits": credit_line(article.index_credits),
        "date_source": page.date_source if issue else "",
        "body": parts.body,
    }
    for field in SEARCH_FIELDS.values():
        value = field.value(parts)
        if field.group:
            doc[field.group[0]] = doc[field.group[1]] = PART_SEPARATOR.join(value) if field.several else value
        whole = ",".join(value) if field.several else value
        # An empty whole value would only add a useless "" term.
        if field.keyword and whole:
            doc[field.keyword] = whole
            if field.facet:
                doc[f"{field.keyword}_exact"] = whole
    if issue:
        doc["issue_date"] = datetime(issue.date.year, issue.date.month, issue.date.day)
        doc["year"], doc["month"] = f"{issue.date:%Y}", f"{issue.date:%Y-%m}"
    return doc
