"""What every archive ModelAdmin shares: edits remembered for re-import, and history.

A change through the admin (1) adds the changed field names to the object's
``edited_fields``, which the importer leaves alone on re-import, and (2)
writes a ChangeRecord with the old and new values beside Django's LogEntry.
"""

from django.contrib.admin.widgets import RelatedFieldWidgetWrapper

from articles.models import ChangeAction

from . import history
from .guards import GuardedAdmin
from .textdiff import render_changes

# Changed passages longer than this are cut in the middle on the history page.
HISTORY_CAP = 600

# Form fields that stand for a model field of another name.
FORM_TO_MODEL = {"issue_date": "issue"}


def add_edited(instance, names):
    """Merge names into instance.edited_fields; True if any was new."""
    current = list(instance.edited_fields or [])
    new = [name for name in names if name not in current]
    if new:
        instance.edited_fields = sorted(current + new)
    return bool(new)


def keep_related_records(formfield):
    """No "delete" control beside a related-object box.

    Beside a person or page box that control deletes the Person or Page
    record itself, not the link from this form: one slip would remove a
    reporter from every article. Records are deleted from their own lists.
    """
    if formfield is not None and isinstance(formfield.widget, RelatedFieldWidgetWrapper):
        formfield.widget.can_delete_related = False
    return formfield


class TrackedAdmin(GuardedAdmin):
    object_history_template = "admin/articles/object_history.html"

    def edited_names(self, form):
        model_fields = {f.name for f in self.model._meta.concrete_fields}
        names = []
        for name in form.changed_data:
            name = FORM_TO_MODEL.get(name, name)
            if name in model_fields and name not in names:
                names.append(name)
        return names

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return keep_related_records(super().formfield_for_dbfield(db_field, request, **kwargs))

    def related_snapshot(self, obj):
        """Values held by inlines, as {name: text}; models with inlines override."""
        return {}

    def related_edited(self, obj, names):
        """Record inline edits on obj (e.g. "credits"); override where inlines matter."""

    def save_model(self, request, obj, form, change):
        names = self.edited_names(form)
        before = {}
        if change:
            old = type(obj).objects.get(pk=obj.pk)
            before = history.snapshot(old, names)
            self.before_save(request, obj, form, old, names)
        # On an object staff created, every field they filled in is theirs:
        # a re-import must neither overwrite nor drop it.
        if names and hasattr(obj, "edited_fields"):
            add_edited(obj, names)
        request._phnews_edit = {"names": names, "before": before}
        super().save_model(request, obj, form, change)

    def before_save(self, request, obj, form, old, names):
        """Hook for models that derive fields from edited ones."""

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        related_before = self.related_snapshot(obj) if change else {}
        super().save_related(request, form, formsets, change)
        edit = getattr(request, "_phnews_edit", {"names": [], "before": {}})
        if not change:
            history.record(request.user, obj, ChangeAction.ADD)
            return
        changes = history.diff(self.model, edit["before"], history.snapshot(obj, edit["names"]))
        related_after = self.related_snapshot(obj)
        related_changes = history.diff(self.model, related_before, related_after)
        if related_changes:
            self.related_edited(obj, [c["field"] for c in related_changes])
        changes += related_changes
        if changes:
            history.record(request.user, obj, ChangeAction.CHANGE, changes)

    def delete_model(self, request, obj):
        history.record(request.user, obj, ChangeAction.DELETE, note=self.describe_deleted(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            history.record(request.user, obj, ChangeAction.DELETE, note=self.describe_deleted(obj))
        super().delete_queryset(request, queryset)

    def describe_deleted(self, obj):
        return ""

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        records = list(history.for_object(obj)) if obj is not None else []
        for record in records:
            record.diff_html = render_changes(record.changes, cap=HISTORY_CAP) if record.changes else ""
        extra = {"change_records": records}
        extra.update(extra_context or {})
        return super().history_view(request, object_id, extra_context=extra)
