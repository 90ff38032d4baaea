"""Turning an Article into the one index document that represents it."""

from datetime import date, datetime

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


# Searchable field groups of the document: name -> (bigram field, unigram
# field). Every literal of the query language is looked up in one group.
LITERAL_FIELDS = {
    "text": ("text", "text_1"),
    "headline": ("headline", "headline_1"),
    "people": ("people_text", "people_text_1"),
    "column": ("column_text", "column_text_1"),
}


def document_id(pk):
    return f"{CONTENT_TYPE}.{pk}"


# What document_for and Article.get_absolute_url read, and nothing else: a
# full build spent a third of its database side decoding the JSON fields and
# timestamps these rows also hold (and a page's raw text would be loaded once
# per article on it).
ARTICLE_FIELDS = (
    "id", "page_id", "position", "kind", "column", "kicker", "title", "subtitle", "lead", "body",
    "page__id", "page__issue_id", "page__label", "page__sort_key", "page__date_source",
    "page__issue__id", "page__issue__date",
)
CREDIT_FIELDS = ("id", "article_id", "person_id", "role", "order", "person__id", "person__name")


def articles_for_index(queryset=None):
    """Articles with everything the document needs, in a constant number of queries."""
    from articles.models import Article, Credit

    queryset = Article.objects.all() if queryset is None else queryset
    credits = Credit.objects.select_related("person").only(*CREDIT_FIELDS).order_by("order", "id")
    return queryset.select_related("page__issue").only(*ARTICLE_FIELDS).prefetch_related(
        Prefetch("credits", queryset=credits)
    )


def document_for(article):
    """The Whoosh document (field -> value) for one article."""
    page = article.page
    issue = page.issue if page.issue_id else None
    names = []
    for credit in article.credits.all():
        if credit.person.name not in names:
            names.append(credit.person.name)
    headline_parts = [p for p in (article.kicker, article.title, article.subtitle) if p]
    headline = PART_SEPARATOR.join(headline_parts)
    body = "\n\n".join(p for p in (article.lead, article.body) if p)
    everything = PART_SEPARATOR.join(
        p for p in (headline, article.column, body, PART_SEPARATOR.join(names)) if p
    )
    within_day = page.sort_key * 1000 + article.position
    issue_date = datetime(issue.date.year, issue.date.month, issue.date.day) if issue else None
    doc = {
        "id": document_id(article.pk),
        "django_ct": CONTENT_TYPE,
        "django_id": str(article.pk),
        "text": everything,
        "text_1": everything,
        "headline": headline,
        "headline_1": headline,
        "people_text": PART_SEPARATOR.join(names),
        "people_text_1": PART_SEPARATOR.join(names),
        "column_text": article.column,
        "column_text_1": article.column,
        "headline_words": headline,
        "people": ",".join(names),
        "column": article.column,
        "column_exact": article.column,
        "kind": article.kind,
        "kind_exact": article.kind,
        "page": page.label,
        "year": f"{issue.date:%Y}" if issue else "",
        "month": f"{issue.date:%Y-%m}" if issue else "",
        # Reading order across the archive: date, page, position.
        "order": (issue.date.toordinal() if issue else 0) * ORDER_DAY + within_day,
        "newest": (LAST_DAY - (issue.date.toordinal() if issue else 0)) * ORDER_DAY + within_day,
        "title": article.title,
        "subtitle": article.subtitle,
        "kicker": article.kicker,
        "url": article.get_absolute_url(),
        "credits": credit_line(article.credits.all()),
        "date_source": page.date_source if issue else "",
        "body": body,
    }
    if issue_date:
        doc["issue_date"] = issue_date
    # Whoosh rejects empty strings for ID fields in no way, but empty KEYWORD
    # and ID values add a useless "" term; drop them.
    for key in ("people", "column", "column_exact", "page", "year", "month"):
        if not doc[key]:
            del doc[key]
    return doc
