"""Read-only list of ChangeRecords: the archive's edit history for everyone staff."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from articles.models import ChangeRecord

from .guards import GuardedAdmin


@admin.register(ChangeRecord)
class ChangeRecordAdmin(GuardedAdmin):
    list_display = ["created_at", "user", "action", "content_type", "object_repr", "changes_text"]
    list_filter = ["action", "content_type", "user"]
    list_select_related = ["user", "content_type"]
    search_fields = ["object_repr", "note", "user__username"]
    date_hierarchy = "created_at"
    fields = ["created_at", "user", "action", "content_type", "object_id", "object_repr", "changes_text", "note"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # History that can be edited is no history.
        return False

    @admin.display(description="改动")
    def changes_text(self, obj):
        if not obj.changes:
            return obj.note or "—"
        return format_html(
            "<ul class='phnews-changes'>{}</ul>",
            format_html_join("", "<li>{}：<del>{}</del> → <ins>{}</ins></li>",
                             ((c.get("label", c.get("field")), c.get("old") or "（空）", c.get("new") or "（空）")
                              for c in obj.changes)),
        )
