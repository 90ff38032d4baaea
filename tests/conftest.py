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
