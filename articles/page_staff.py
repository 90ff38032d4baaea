"""A page's printed staff (编辑, 版式, 校对) as people of the page.

The page keeps the names as printed in its own fields; PageCredit rows link
them to Person rows (through staff-made aliases first, as bylines are), so a
person's page lists the pages they edited, laid out or proofread.
"""

from .models import Page, PageCredit, PageRole, Person, PersonAlias, normalize_name

FIELDS = {PageRole.EDITOR: "editor", PageRole.DESIGNER: "designer", PageRole.PROOFREADER: "proofreader"}
NAME_MAX_LENGTH = Person._meta.get_field("name").max_length


def person_for(printed):
    """The person a printed staff name stands for, or None when it is no usable name."""
    name = normalize_name(printed)
    if not name or len(name) > NAME_MAX_LENGTH:
        return None
    alias = PersonAlias.objects.select_related("person").filter(name=name).first()
    if alias is not None:
        return alias.person
    return Person.objects.get_or_create(name=name)[0]


def sync(page):
    """Make the page's PageCredits say what its editor/designer/proofreader fields say."""
    current = {credit.role: credit for credit in PageCredit.objects.filter(page=page).select_related("person")}
    for role, field in FIELDS.items():
        printed = normalize_name(getattr(page, field))
        credit = current.get(role)
        if credit is not None and printed and credit.person.name == printed:
            continue
        if credit is not None and printed and credit.person.aliases.filter(name=printed).exists():
            continue
        person = person_for(printed)
        if person is None:
            if credit is not None:
                credit.delete()
        elif credit is None:
            PageCredit.objects.create(page=page, person=person, role=role)
        elif credit.person_id != person.pk:
            credit.person = person
            credit.save(update_fields=["person"])


def _page_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        sync(instance)


def connect_signals():
    """Keep every page's staff credits in step with its fields, on every save (articles/apps.py)."""
    from django.db.models.signals import post_save

    post_save.connect(_page_saved, sender=Page, dispatch_uid="page_staff_saved")
