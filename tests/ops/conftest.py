"""Ops test helpers: Django started in a subprocess with a chosen environment.

Settings are read once per process, so every environment variant gets its
own interpreter, started from a clean environment (nothing of the caller's
DJANGO_*/PHNEWS_*/DATABASE_URL leaks in).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import secrets

import pytest

PROJECT = Path(__file__).resolve().parents[2]
PREFIXES = ("DJANGO_", "PHNEWS_", "DATABASE_", "GUNICORN_")


def clean_env(tmp_path, **overrides):
    env = {key: value for key, value in os.environ.items() if not key.startswith(PREFIXES)}
    env["PHNEWS_VAR_DIR"] = str(tmp_path / "var")
    env["DJANGO_SETTINGS_MODULE"] = "phnews.settings"
    env.update(overrides)
    return env


@pytest.fixture
def ops_env(tmp_path):
    """ops_env(**overrides) -> a clean environment with a scratch PHNEWS_VAR_DIR."""
    return lambda **overrides: clean_env(tmp_path, **overrides)


@pytest.fixture
def django_process(tmp_path):
    """run(args, **env) -> CompletedProcess of `python args...` in the project."""

    def run(args, **env):
        return subprocess.run(
            [sys.executable, *args], cwd=PROJECT, env=clean_env(tmp_path, **env),
            capture_output=True, text=True, timeout=120,
        )

    return run


SETTINGS_DUMP = """
import json
from django.conf import settings as s
names = {names!r}
print(json.dumps({{n: getattr(s, n, None) for n in names}}, default=str))
"""


@pytest.fixture
def settings_with(django_process):
    """settings_with(names, **env) -> {name: value} as a fresh process sees them."""

    def load(names, **env):
        done = django_process(["-c", SETTINGS_DUMP.format(names=list(names))], **env)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    return load


@pytest.fixture
def production_env():
    """What a production host sets: DEBUG off, a real key, its host name, HTTPS at the proxy."""
    return {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "archive.example.cn",
        "PHNEWS_HTTPS": "true",
    }
