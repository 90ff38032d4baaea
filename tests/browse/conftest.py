import pytest
from sample_archive import build_archive


@pytest.fixture
def archive(db):
    return build_archive()
