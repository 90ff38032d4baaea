import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _scratch_index(settings, tmp_path):
    settings.PHNEWS_INDEX_DIR = tmp_path / "index"


@pytest.fixture
def gazetteer(db):
    call_command("load_gazetteer", stdout=open("/dev/null", "w"))
