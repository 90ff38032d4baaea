"""Each article's places (ArticlePlace) kept in step with its text and the gazetteer.

An article's places are found again whenever its text or a credit is saved
(post_save and post_delete signals: the import and staff edits alike), and for every article a
gazetteer change may touch (``gazetteer_changed``), in the same transaction,
and those articles are queued for the search index.
"""

import contextlib
import threading
import time
from functools import reduce
from operator import or_

from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from articles.models import Article, ArticlePlace, Credit, Place, PlaceAlias, PlaceKind

from .matching import Matcher

# The article's printed text a place can be named in (not the byline: rule 4).
TEXT_FIELDS = ("kicker", "title", "subtitle", "lead", "body")


# While an import holds the signals (``held``), it reads the gazetteer at
# most this often: a staff edit made meanwhile in another process reaches
# the pages imported after it, and gazetteer_changed finds the ones before.
HELD_MATCHER_SECONDS = 30
_held = threading.local()


@contextlib.contextmanager
def held():
    """Saving an article or a credit finds no places inside this block: the caller refreshes them itself.

    An import saves each article and then each of its credits, and every
    save would find the article's places again; it refreshes each page's
    articles once, after their credits are written.
    """
    _held.depth = getattr(_held, "depth", 0) + 1
    try:
        yield
    finally:
        _held.depth -= 1
        if not _held.depth:
            _held.matcher = None


def _holding():
    return getattr(_held, "depth", 0) > 0


def matcher():
    """The gazetteer's matcher: read afresh (three small queries), since a cache would miss a staff edit made in
    another process; inside ``held``, reused for HELD_MATCHER_SECONDS."""
    if _holding():
        read_at, found = getattr(_held, "matcher", None) or (None, None)
        if read_at is None or time.monotonic() - read_at > HELD_MATCHER_SECONDS:
            found = _read_matcher()
            _held.matcher = (time.monotonic(), found)
        return found
    return _read_matcher()


def _read_matcher():
    names = dict(PlaceAlias.objects.values_list("name", "place_id"))
    names.update(Place.objects.values_list("name", "id"))
    return Matcher(names, uncounted=Place.objects.filter(kind=PlaceKind.CITY).values_list("id", flat=True))


def article_text(article):
    return "\n".join(getattr(article, field) or "" for field in TEXT_FIELDS)


def refresh(articles, new=None):
    """Rewrite the places of ``articles``; returns the ids whose places changed.

    ``new``: {id: credited names} of articles inserted just now, which have
    no places yet: nothing is read for them.
    """
    articles = list(articles)
    if not articles:
        return set()
    new = new or {}
    people = {pk: list(names) for pk, names in new.items()}
    current = {}
    ids = [a.pk for a in articles if a.pk not in new]
    if ids:
        for article_id, name in Credit.objects.filter(article_id__in=ids).order_by().values_list(
                "article_id", "person__name"):
            people.setdefault(article_id, []).append(name)
        for article_id, place_id, mentions in ArticlePlace.objects.filter(article_id__in=ids).order_by().values_list(
                "article_id", "place_id", "mentions"):
            current.setdefault(article_id, {})[place_id] = mentions
    changed, stale, rows, found = set(), [], [], matcher()
    for article in articles:
        counts = dict(found.count(article_text(article), people.get(article.pk, ())))
        if counts != current.get(article.pk, {}):
            if article.pk in current:
                stale.append(article.pk)
            rows += [ArticlePlace(article_id=article.pk, place_id=place_id, mentions=n) for place_id, n in counts.items()]
            changed.add(article.pk)
    if stale:
        ArticlePlace.objects.filter(article_id__in=stale).delete()
    ArticlePlace.objects.bulk_create(rows)
    return changed


def articles_naming(names):
    """Articles whose text holds any of ``names`` (a database scan, run only when staff change the gazetteer)."""
    names = [n for n in names if n]
    if not names:
        return Article.objects.none()
    return Article.objects.filter(reduce(or_, (Q(**{f"{field}__contains": name})
                                                for name in names for field in TEXT_FIELDS)))


def gazetteer_changed(names=(), places=()):
    """After staff changed the gazetteer: find the places again in every article that may name them.

    ``names``: names and aliases added, removed or renamed; ``places``: places
    moved or merged, whose articles' search documents (which hold each
    place's town) change even where their places do not. Returns the
    article ids queued for the index.
    """
    from articles.search import sync

    affected = set(ArticlePlace.objects.filter(place__in=places).values_list("article_id", flat=True))
    candidates = articles_naming(names).only("id", *TEXT_FIELDS)
    affected |= refresh(candidates)
    sync.articles_changed(affected)
    return affected


def _article_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw or _holding() or (update_fields is not None and not set(update_fields) & set(TEXT_FIELDS)):
        return
    refresh([instance])


def _credit_changed(sender, instance, raw=False, **kwargs):
    # A credited name is no place (matching.py, rule 4): staff adding or removing a credit changes what counts.
    if raw or _holding():
        return
    article = Article.objects.filter(pk=instance.article_id).only("id", *TEXT_FIELDS).first()
    if article is not None:
        refresh([article])


def connect_signals():
    post_save.connect(_article_saved, sender=Article, dispatch_uid="places_article_saved")
    post_save.connect(_credit_changed, sender=Credit, dispatch_uid="places_credit_saved")
    post_delete.connect(_credit_changed, sender=Credit, dispatch_uid="places_credit_deleted")
