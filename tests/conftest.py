"""Fixtures shared by every test area.

`imported_samples` gives the five bundled sample pages imported through the
real command, for tests that need realistic archive data.
"""

from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _scratch_data_dir(settings, tmp_path_factory):
    # import_pages keeps copies of imported files under PHNEWS_DATA_DIR; tests
    # must never write into the project's data/ folder.
    settings.PHNEWS_DATA_DIR = tmp_path_factory.mktemp("phnews_data")
    # Runtime state written beside the database (the reader cache's version
    # file) goes to a scratch folder too.
    settings.VAR_DIR = tmp_path_factory.mktemp("phnews_var")


@pytest.fixture(autouse=True)
def _search_time_limit(settings):
    # A search's wall-clock limit (1 s when served) would make answers depend
    # on how busy the test machine is; the tests of the limit set their own.
    settings.PHNEWS_SEARCH_TIME_LIMIT = 60


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path_factory):
    # Edits committed by any test reach the search index through the sync
    # queue; they must land in a scratch index, never in var/whoosh_index.
    # Search, admin and browser tests point at their own index on top of this.
    from haystack import connections

    from articles.search import sync
    from articles.search.engines.local import store

    sync.forget_failures()  # an article id that failed in an earlier test is another article here
    path = tmp_path_factory.mktemp("phnews_index") / "index"
    settings.PHNEWS_INDEX_DIR = path
    settings.HAYSTACK_CONNECTIONS = {
        "default": dict(django_settings.HAYSTACK_CONNECTIONS["default"], PATH=str(path)),
    }
    connections.reload("default")
    store.forget_readers()
    yield path
    store.forget_readers()
    connections.reload("default")


@pytest.fixture
def samples_dir():
    return django_settings.PHNEWS_SAMPLES_DIR


@pytest.fixture
def import_pages(db):
    """Run import_pages; returns (exit code, stdout, stderr) instead of raising."""
    from django.core.management.base import CommandError

    def run(*args):
        out, err = StringIO(), StringIO()
        try:
            call_command("import_pages", *[str(arg) for arg in args], stdout=out, stderr=err)
            code = 0
        except CommandError as error:
            err.write(str(error))
            code = error.returncode
        return code, out.getvalue(), err.getvalue()

    return run


@pytest.fixture
def imported_samples(import_pages, samples_dir):
    """The five sample pages imported with their manifest; the Page rows by file name."""
    from articles.models import Page

    code, out, err = import_pages(samples_dir, "--no-copy")
    assert code == 0, err
    return list(Page.objects.select_related("issue").order_by("source_name"))


@pytest.fixture
def sync_loop(transactional_db):
    """The index writer's loop (``search_sync --loop``) running in a thread, as bin/run runs it beside the server."""
    import threading
    from io import StringIO

    from django.db import connection

    from articles.management.commands.search_sync import Command

    stopping = []

    def run():
        try:
            Command(stdout=StringIO(), stderr=StringIO()).run_loop(0.1, stopping=stopping)
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield
    stopping.append(True)
    thread.join(timeout=30)
