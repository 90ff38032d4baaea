from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from sample_archive import build_archive


@pytest.fixture(autouse=True)
def isolated_index(settings, tmp_path):
    """Saves queue search-index writes; keep them away from the real index."""
    settings.PHNEWS_INDEX_DIR = tmp_path / "index"


@pytest.fixture
def archive(db):
    return build_archive()


@pytest.fixture
def samples(db):
    """The five real sample pages, imported as a reader would find them."""
    call_command("import_pages", str(django_settings.PHNEWS_SAMPLES_DIR), "--no-copy", stdout=StringIO())
