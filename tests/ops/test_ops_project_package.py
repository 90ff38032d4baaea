"""The project package holds settings and health only; what serves requests lives in the app."""

from pathlib import Path

import phnews
from django.conf import settings


def test_the_project_package_holds_settings_urls_and_health_only():
    modules = {path.stem for path in Path(phnews.__file__).parent.glob("*.py")}
    assert modules == {"__init__", "settings", "urls", "wsgi", "asgi", "health"}


def test_every_middleware_of_ours_lives_in_the_app():
    ours = [name for name in settings.MIDDLEWARE if name.startswith(("articles.", "phnews."))]
    assert len(ours) == 3 and all(name.startswith("articles.guards.") for name in ours), ours
