import os

from django.contrib import admin
from django.urls import include, path

from phnews.health import healthz

# The admin's address is configurable so it need not sit at a guessable URL.
ADMIN_URL = os.environ.get("PHNEWS_ADMIN_URL", "admin/").strip("/") + "/"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path(ADMIN_URL, admin.site.urls),
    path("", include("articles.search.web.urls")),
    path("", include("articles.browse.urls")),
]
