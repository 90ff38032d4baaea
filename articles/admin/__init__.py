"""Staff editing in the Django admin (issue 5).

Modules: archive (issues, pages, articles, credits), people (rename, merge),
review (the review queue), changes (edit history), textdiff (history as a
diff), masthead (a page's masthead as labelled items), tracking (edited_fields
and old→new history shared by every archive admin), forms (validation).
"""

from django.conf import settings
from django.contrib import admin
from django.utils.functional import lazy

from . import archive, changes, people, places  # noqa: F401  (registers the ModelAdmins)
from .guards import guard_auth_admins
from .login_throttle import ThrottledAuthenticationForm

guard_auth_admins(admin.site)
admin.site.login_form = ThrottledAuthenticationForm

# Read on every page, so the one setting names the admin as it names the site.
admin.site.site_header = admin.site.site_title = lazy(lambda: f"{settings.PHNEWS_SITE_NAME} 管理", str)()
admin.site.index_title = "档案编辑"
# The header's own links (复核队列, 文章, 人物, 修改记录) and the index reach
# every list; the model sidebar would take a fifth of a laptop screen from
# the lists' headlines and changes.
admin.site.enable_nav_sidebar = False
