"""Addresses that keep their meaning when staff re-segment a page.

A dated address (/2023-03-10/C1/2/) names a place in the paper; a split or
merge puts another article in that place. Before such a change every
article of the page has its current address recorded (the first record for
an address wins), and a merged-away article's id is linked to the article
that took its text. Readers following an old address or id then reach the
text it named: /article/<id>/ is the link that never changes meaning.
"""

from .models import Article, ArticleSuccessor, FormerAddress, FormerPageAddress, Page


def remember(*page_ids):
    """Record the current dated address of every article on these pages, keeping older records."""
    rows = (Article.objects.filter(page_id__in=[pk for pk in page_ids if pk], page__issue__isnull=False)
            .exclude(page__label="").values_list("pk", "position", "page__label", "page__issue__date"))
    FormerAddress.objects.bulk_create(
        [FormerAddress(date=day, label=label, position=position, article_id=pk) for pk, position, label, day in rows],
        ignore_conflicts=True,
    )


def remember_page(page_id):
    """Before a page's date or label changes: its own address, and its articles'."""
    page = Page.objects.filter(pk=page_id, issue__isnull=False).exclude(label="").select_related("issue").first()
    if page is not None:
        FormerPageAddress.objects.bulk_create(
            [FormerPageAddress(date=page.issue.date, label=page.label, page=page)], ignore_conflicts=True)
    remember(page_id)


def page_moved(date, label):
    """The page that had this dated address before staff changed its date or label, or None."""
    former = FormerPageAddress.objects.filter(date=date, label=label).select_related("page__issue").first()
    return former.page if former is not None else None


def merged(old_id, into):
    """The article `old_id` (about to be deleted) now lives in `into`; so do those merged into it."""
    ArticleSuccessor.objects.filter(article_id=old_id).update(article=into)
    ArticleSuccessor.objects.update_or_create(old_id=old_id, defaults={"article": into})


def named_by(date, label, position):
    """The id of the article this dated address named first, or None if never recorded."""
    return (FormerAddress.objects.filter(date=date, label=label, position=position)
            .values_list("article_id", flat=True).first())


def holder(article_id):
    """The article holding `article_id`'s text now: itself, the one it was merged into, or None."""
    found = Article.objects.filter(pk=article_id).select_related("page__issue").first()
    if found is not None:
        return found
    successor = ArticleSuccessor.objects.filter(old_id=article_id).select_related("article__page__issue").first()
    return successor.article if successor else None
