"""The two staff groups and what they may do.

editors: correct archive content (add/change/delete articles, credits,
people, aliases, places and their aliases; change pages and issues, which only imports create) and
read the edit history. Never users or groups: those stay with superusers.
checkers: view everything in the archive and its history, change nothing.
"""

from django.contrib.auth.models import Group, Permission

EDITORS = "editors"
CHECKERS = "checkers"

CONTENT = ["article", "credit", "person", "personalias", "place", "placealias"]
IMPORTED = ["page", "issue"]
READ_ONLY = ["changerecord"]

GROUPS = {
    EDITORS: [f"{action}_{model}" for model in CONTENT for action in ("add", "change", "delete", "view")]
    + [f"{action}_{model}" for model in IMPORTED for action in ("change", "view")]
    + [f"view_{model}" for model in READ_ONLY],
    CHECKERS: [f"view_{model}" for model in CONTENT + IMPORTED + READ_ONLY],
}


def ensure_groups():
    """Create or correct both groups; returns {name: Group}. Idempotent."""
    found = {}
    for name, codenames in GROUPS.items():
        permissions = list(Permission.objects.filter(content_type__app_label="articles", codename__in=codenames))
        missing = set(codenames) - {p.codename for p in permissions}
        if missing:
            raise RuntimeError(f"permissions missing (run migrate first): {', '.join(sorted(missing))}")
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
        found[name] = group
    return found
