"""Limits on what an admin list's URL may ask of the database.

Django's admin turns any query-string key naming a model field into a
filter, so ``?body__regex=(a+)+$`` runs a regular expression over every
body (on SQLite in Python's backtracking engine: one pattern can hold a
worker for minutes). Regex lookups are refused with a 400, whatever the
field; the search box stays the way to look for text.

The date drill-down (``?date__year=9999&date__month=12``) does date
arithmetic Django only guards against ValueError; a year at the edge of
the calendar raised OverflowError, a 500. Values are checked first and a bad
one sends the list back to its unfiltered view, as Django does for other
malformed filters.

The search box runs one filter per word, each a LIKE over every searched
column: 500 words held a worker for seconds and 1,000 ended in "Expression
tree is too large", a 500, for any staff user. A term past the public
search's limits (PHNEWS_SEARCH_MAX_QUERY_CHARS characters,
PHNEWS_SEARCH_MAX_TERMS words) is not run: the list is empty and says why.
"""

import datetime

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db.models.constants import LOOKUP_SEP
from django.utils.text import smart_split

# Lookups that cost a full scan with a per-row program the requester writes.
REFUSED_LOOKUPS = {"regex", "iregex"}
# The drill-down adds a day, a month or a year to the chosen date.
LAST_YEAR = datetime.MAXYEAR - 1


def search_term_refusal(term):
    """Why the admin's search box will not run this term, or None."""
    max_chars, max_words = settings.PHNEWS_SEARCH_MAX_QUERY_CHARS, settings.PHNEWS_SEARCH_MAX_TERMS
    words = sum(1 for _ in smart_split(term))
    if len(term) <= max_chars and words <= max_words:
        return None
    return (f"搜索词过长：最多 {max_chars} 个字符、{max_words} 个词，这次有 {len(term)} 个字符、{words} 个词，"
            "未搜索。请减少搜索词后再试。")


class GuardedChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        refusal = search_term_refusal(self.query)
        if refusal is None:
            return super().get_queryset(request, exclude_parameters)
        term, self.query = self.query, ""
        try:
            queryset = super().get_queryset(request, exclude_parameters)
        finally:
            self.query = term
        if not getattr(self, "_search_refused", False):
            self._search_refused = True
            messages.error(request, refusal)
        return queryset.none()

    def get_filters(self, request):
        if self.date_hierarchy:
            self._check_date_hierarchy()
        return super().get_filters(request)

    def _check_date_hierarchy(self):
        parts = {}
        for part in ("year", "month", "day"):
            values = self.filter_params.get(f"{self.date_hierarchy}__{part}")
            if not values:
                continue
            value = values[-1]
            if not (isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 4):
                raise IncorrectLookupParameters(f"bad {part}: {value!r}")
            parts[part] = int(value)
        if not parts:
            return
        if "year" not in parts or not 1 <= parts["year"] <= LAST_YEAR:
            raise IncorrectLookupParameters("year out of range")
        try:
            datetime.date(parts["year"], parts.get("month", 1), parts.get("day", 1))
        except ValueError as error:
            raise IncorrectLookupParameters(error) from error


class GuardedAdmin(admin.ModelAdmin):
    """Base for every ModelAdmin of the site (a test checks that all are)."""

    def lookup_allowed(self, lookup, value, request=None):
        # False makes the list raise DisallowedModelAdminLookup, a
        # SuspiciousOperation: a 400, logged, before any query runs.
        if REFUSED_LOOKUPS & set(lookup.split(LOOKUP_SEP)):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_changelist(self, request, **kwargs):
        return GuardedChangeList


class GuardedUserAdmin(GuardedAdmin, UserAdmin):
    pass


class GuardedGroupAdmin(GuardedAdmin, GroupAdmin):
    pass


def guard_auth_admins(site):
    """Replace contrib.auth's user and group admins with guarded ones."""
    for model, guarded in ((User, GuardedUserAdmin), (Group, GuardedGroupAdmin)):
        if site.is_registered(model):
            site.unregister(model)
        site.register(model, guarded)
