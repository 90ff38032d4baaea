"""A page's printed staff (编辑, 版式, 校对) as people of the page.

The page keeps the names as printed in its own fields; PageCredit rows link
them to Person rows (through staff-made aliases first, as bylines are), so a
person's page lists the pages they edited, laid out or proofread.
"""

from .models import Page, PageCredit, PageRole, Person, PersonAlias, normalize_name

FIELDS = {PageRole.EDITOR: "editor", PageRole.DESIGNER: "designer", PageRole.PROOFREADER: "proofreader"}
NAME_MAX_LENGTH = Person._meta.get_field("name").max_length


def _people_for(names):
    """{name: Person} for usable printed staff names: through aliases first, created where missing, in two queries."""
    names = {name for name in names if name and len(name) <= NAME_MAX_LENGTH}
    if not names:
        return {}
    found = {alias.name: alias.person for alias in PersonAlias.objects.select_related("person").filter(name__in=names)}
    found.update((person.name, person) for person in Person.objects.filter(name__in=names - set(found)))
    for name in names - set(found):
        found[name] = Person.objects.get_or_create(name=name)[0]
    return found


def sync(page, created=False):
    """Make the page's PageCredits say what its editor/designer/proofreader fields say.

    ``created``: the page was just inserted, so it has no credits to read.
    """
    current = {} if created else {
        credit.role: credit for credit in PageCredit.objects.filter(page=page).select_related("person")}
    printed = {role: normalize_name(getattr(page, field)) for role, field in FIELDS.items()}
    wanted = {}
    for role, name in printed.items():
        credit = current.get(role)
        if credit is not None and name and credit.person.name == name:
            continue
        if credit is not None and name and credit.person.aliases.filter(name=name).exists():
            continue
        wanted[role] = name
    people = _people_for(wanted.values())
    new_credits = []
    for role, name in wanted.items():
        person, credit = people.get(name), current.get(role)
        if person is None:
            if credit is not None:
                credit.delete()
        elif credit is None:
            new_credits.append(PageCredit(page=page, person=person, role=role))
        elif credit.person_id != person.pk:
            credit.person = person
            credit.save(update_fields=["person"])
    PageCredit.objects.bulk_create(new_credits)


def _page_saved(sender, instance, created=False, raw=False, **kwargs):
    if not raw:
        sync(instance, created=created)


def connect_signals():
    """Keep every page's staff credits in step with its fields, on every save (articles/apps.py)."""
    from django.db.models.signals import post_save

    post_save.connect(_page_saved, sender=Page, dispatch_uid="page_staff_saved")
