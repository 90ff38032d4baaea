"""Articles as plain dicts for export_articles: a stable contract for other tools."""

from django.db.models import Prefetch

from articles.models import Article, Credit

EXPORT_KEYS = (
    "source", "issue_date", "page", "position", "kind", "column", "kicker", "title", "subtitle",
    "credits", "body", "continued_to", "continued_from", "needs_review", "review_level", "review_reasons",
)


def export_queryset():
    """Issue date, page order, position; undated pages last, in file-name order."""
    return (
        Article.objects.select_related("page__issue")
        .prefetch_related(Prefetch("credits", queryset=Credit.objects.select_related("person").order_by("order", "id")))
        .order_by("page__issue__date", "page__sort_key", "page__label", "page__source_name", "position")
    )


def article_record(article):
    page = article.page
    return {
        "source": page.source_name,
        "issue_date": page.issue.date.isoformat() if page.issue_id else None,
        "page": page.label or None,
        "position": article.position,
        "kind": article.kind,
        "column": article.column,
        "kicker": article.kicker,
        "title": article.title,
        "subtitle": article.subtitle,
        "credits": [{"name": credit.person.name, "role": credit.role} for credit in article.credits.all()],
        "body": article.body,
        "continued_to": article.continued_to,
        "continued_from": article.continued_from,
        # needs_review is 须复核 only; the level ("must", "may" or "") and
        # every reason travel beside it, so no guess is hidden from a reader.
        "needs_review": article.needs_review,
        "review_level": article.review_level,
        "review_reasons": list(article.review_reasons),
    }


def iter_records(chunk_size=500):
    for article in export_queryset().iterator(chunk_size=chunk_size):
        yield article_record(article)
