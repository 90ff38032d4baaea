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
"""

import datetime

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db.models.constants import LOOKUP_SEP

# Lookups that cost a full scan with a per-row program the requester writes.
REFUSED_LOOKUPS = {"regex", "iregex"}
# The drill-down adds a day, a month or a year to the chosen date.
LAST_YEAR = datetime.MAXYEAR - 1


class GuardedChangeList(ChangeList):
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
