"""Template context every page shares."""

from django.conf import settings


def site(request):
    return {"site_name": settings.PHNEWS_SITE_NAME}
