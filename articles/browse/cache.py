"""Rendered reader pages, cached until the archive changes.

A reader page costs 10-20 ms of CPU to build; the archive changes rarely (an
import, an edit in the admin). So anonymous GETs are served from the cache
under a key holding the archive's *version*: a counter in this process plus
the modification time of a file in VAR_DIR that every process touches after
committing a change to an issue, page, article, person or credit. Other
gunicorn workers therefore see an edit on their next request, at the cost
of one stat() per request.

Changes that bypass model signals (QuerySet.update, bulk_create) reach the
reader at the latest after PHNEWS_PAGE_CACHE_SECONDS; code that makes such
changes can call ``archive_changed()``. Off when the setting is 0 (the
default under DEBUG and so in tests, which roll back transactions behind
the signals' back).
"""

import functools
import os
import threading
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse

_local_version = 0
_lock = threading.Lock()


def _version_file():
    return Path(settings.VAR_DIR) / "archive.version"


def archive_version():
    try:
        stamp = _version_file().stat().st_mtime_ns
    except FileNotFoundError:
        stamp = 0
    return f"{stamp}.{_local_version}"


def _bump_local():
    global _local_version
    with _lock:
        _local_version += 1


def _bump():
    _bump_local()
    path = _version_file()
    try:
        path.touch()
        os.utime(path)
    except OSError:
        pass  # a read-only VAR_DIR: other processes fall back on the timeout


def archive_changed(using=None):
    """Readers must see the archive as it is once the current transaction commits.

    This process forgets its pages at once too (its own later reads see the
    uncommitted change); other processes only after the commit, so none of
    them can cache a page of the old rows under the new version.
    """
    _bump_local()
    transaction.on_commit(_bump, using=using)


def _changed(sender, using=None, **kwargs):
    archive_changed(using)


def connect_signals():
    from ..models import Article, Credit, Issue, Page, Person, PersonAlias

    for model in (Issue, Page, Article, Person, PersonAlias, Credit):
        post_save.connect(_changed, sender=model, dispatch_uid=f"browse_cache_{model.__name__}_saved")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"browse_cache_{model.__name__}_deleted")


def _seconds():
    return int(getattr(settings, "PHNEWS_PAGE_CACHE_SECONDS", 0) or 0)


def cached_page(view=None, *, keyed_on=()):
    """Serve anonymous GETs of ``view`` from the cache while the archive is unchanged.

    A request with query parameters is served fresh (search marks, filters:
    many variants, little reuse), except those in ``keyed_on``, which are
    part of the cache key (a sitemap's page number).
    """
    if view is None:
        return functools.partial(cached_page, keyed_on=keyed_on)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = _seconds()
        if (
            not seconds
            or request.method != "GET"
            or set(request.GET) - set(keyed_on)
            or settings.SESSION_COOKIE_NAME in request.COOKIES  # staff: always fresh
        ):
            return view(request, *args, **kwargs)
        key = "browse:{}:{}:{}:{}".format(
            archive_version(), request.scheme, request.get_host(), request.get_full_path()
        )
        cache = caches["default"]
        hit = cache.get(key)
        if hit is not None:
            status, headers, content = hit
            response = HttpResponse(content, status=status, headers=headers)
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()  # a TemplateResponse (the sitemap views) renders lazily
        if response.status_code in (200, 404) and not response.streaming and not response.cookies:
            cache.set(key, (response.status_code, dict(response.headers), response.content), seconds)
        return response

    return wrapper
