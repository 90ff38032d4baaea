"""Read-only list of ChangeRecords: the archive's edit history for everyone staff."""

from django.contrib import admin
from django.utils.html import format_html

from articles.models import ChangeRecord

from .guards import GuardedAdmin
from .textdiff import render_changes

# A list row shows each change in a few lines; the record itself shows it whole.
LIST_CAP, LIST_CONTEXT = 60, 12


@admin.register(ChangeRecord)
class ChangeRecordAdmin(GuardedAdmin):
    list_display = ["created_at", "user", "action", "target", "changes_text"]
    list_filter = ["action", "content_type", "user"]
    list_select_related = ["user", "content_type"]
    search_fields = ["object_repr", "note", "user__username"]
    date_hierarchy = "created_at"
    fields = ["created_at", "user", "action", "content_type", "object_id", "object_repr", "changes_full", "note"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # History that can be edited is no history.
        return False

    @admin.display(description="对象", ordering="object_repr")
    def target(self, obj):
        # The type in the same cell: the list needs its room for the changes.
        return f"{obj.content_type.name}：{obj.object_repr}"

    @admin.display(description="改动")
    def changes_text(self, obj):
        if not obj.changes:
            return obj.note or "—"
        if not obj.note:
            return render_changes(obj.changes, cap=LIST_CAP, context=LIST_CONTEXT)
        return format_html("{}<p class='phnews-note'>{}</p>", render_changes(obj.changes, cap=LIST_CAP, context=LIST_CONTEXT), obj.note)

    @admin.display(description="改动")
    def changes_full(self, obj):
        return render_changes(obj.changes) if obj.changes else "—"
