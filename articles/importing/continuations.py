"""Linking an article to its continuation on another page of the same issue.

Pages arrive in any order, so after every import the whole issue is relinked:
the article that says 下转2版 is linked once page 2 is in, whichever came first.
"""

from articles.models import Article

from .dates import normalize_label


def link_continuations(issue_id):
    """Set Article.continuation across one issue; return ids whose link changed."""
    articles = list(
        Article.objects.filter(page__issue_id=issue_id)
        .select_related("page")
        .only("id", "position", "continued_to", "continued_from", "continuation_id", "edited_fields",
              "page__id", "page__label", "page__sort_key")
        .order_by("page__sort_key", "page_id", "position")
    )
    by_label = {}
    for article in articles:
        by_label.setdefault(normalize_label(article.page.label), []).append(article)

    changed = []
    for article in articles:
        if "continuation" in (article.edited_fields or ()):
            continue
        target = _target(article, by_label) if article.continued_to else None
        target_id = target.pk if target else None
        if article.continuation_id != target_id:
            Article.objects.filter(pk=article.pk).update(continuation_id=target_id)
            article.continuation_id = target_id
            changed.append(article.pk)
    return changed


def _target(article, by_label):
    # The continuation names the page it comes from: only that echo links.
    here = normalize_label(article.page.label)
    for other in by_label.get(normalize_label(article.continued_to), ()):
        if other.pk != article.pk and other.continued_from and normalize_label(other.continued_from) == here:
            return other
    return None
