"""Old→new values for every staff edit, kept as ChangeRecord rows.

Django's LogEntry already says who changed what and when; these rows add the
values, so a wrong correction can be seen and undone by hand.
"""

from django.contrib.contenttypes.models import ContentType

from articles.models import ChangeAction, ChangeRecord

LIMIT = 2000  # long bodies are kept whole up to here, then cut with a mark
# Names in edited_fields and ChangeRecords that are no model field of their own.
RELATED_LABELS = {"credits": "署名", "aliases": "别名", "articles": "本版文章（分段）"}


def shown(instance, name):
    """A field's value as staff read it: choice labels, related objects' names."""
    field = instance._meta.get_field(name)
    if field.is_relation:
        related = getattr(instance, name)
        return str(related) if related is not None else ""
    if field.choices:
        return str(getattr(instance, f"get_{name}_display")())
    value = getattr(instance, name)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "；".join(str(item) for item in value)
    text = str(value)
    return text if len(text) <= LIMIT else text[:LIMIT] + "……（以下略）"


def snapshot(instance, names):
    return {name: shown(instance, name) for name in names}


def diff(model, before, after):
    """[{field, label, old, new}] for the fields whose shown value changed."""
    changes = []
    for name, new in after.items():
        old = before.get(name, "")
        if old != new:
            changes.append({"field": name, "label": label(model, name), "old": old, "new": new})
    return changes


def label(model, name):
    if name in RELATED_LABELS:
        return RELATED_LABELS[name]
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name


def record(user, instance, action, changes=(), note="", repr_text=None):
    return ChangeRecord.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=(repr_text or str(instance))[:200],
        changes=list(changes),
        note=note,
    )


def for_object(instance):
    return (
        ChangeRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(type(instance)), object_id=str(instance.pk)
        )
        .select_related("user")
        .order_by("-created_at", "-id")
    )


__all__ = ["ChangeAction", "diff", "for_object", "record", "shown", "snapshot"]
