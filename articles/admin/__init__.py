"""Staff editing in the Django admin (issue 5).

Modules: archive (issues, pages, articles, credits), people (rename, merge),
review (the review queue), changes (edit history), tracking (edited_fields
and old→new history shared by every archive admin), forms (validation).
"""

from django.contrib import admin

from . import archive, changes, people  # noqa: F401  (registers the ModelAdmins)

admin.site.site_header = "嘉兴日报·平湖版 档案管理"
admin.site.site_title = "平湖版档案管理"
admin.site.index_title = "档案编辑"
