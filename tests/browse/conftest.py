import pytest
from sample_archive import build_archive


@pytest.fixture(autouse=True)
def isolated_index(settings, tmp_path):
    """Saves queue search-index writes; keep them away from the real index."""
    settings.PHNEWS_INDEX_DIR = tmp_path / "index"


@pytest.fixture
def archive(db):
    return build_archive()


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """Pages are cached only where a test asks for it (test_browse_cache.py)."""
    settings.PHNEWS_PAGE_CACHE_SECONDS = 0
