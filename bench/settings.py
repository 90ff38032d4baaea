"""Settings for benchmark runs: the project's settings on a scratch archive.

PHNEWS_VAR_DIR (set by bench.run to the work directory) moves the database
and "our" index there; the plain setup gets its own connection and folder.
"""

import os
from pathlib import Path

from phnews.settings import *  # noqa: F403
from phnews.settings import HAYSTACK_CONNECTIONS, TEMPLATES, VAR_DIR

BENCH_DIR = Path(__file__).resolve().parent

HAYSTACK_CONNECTIONS = {
    **HAYSTACK_CONNECTIONS,
    # haystack's stock Whoosh backend, as the tutorials set it up.
    "plain": {
        "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
        "PATH": os.environ.get("BENCH_PLAIN_INDEX_DIR", str(VAR_DIR / "plain_index")),
    },
}
# The generator writes with bulk_create; nothing may index behind our back
# and the builds are timed on their own.
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BENCH_DIR / "templates"]}]
DEBUG = False
LOGGING = {"version": 1, "disable_existing_loggers": False}
