import pytest


@pytest.fixture(autouse=True)
def _scratch_index(settings, tmp_path):
    # Imports notify the search index once it exists; keep it out of var/.
    settings.PHNEWS_INDEX_DIR = tmp_path / "index"
