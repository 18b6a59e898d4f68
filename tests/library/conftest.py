import shutil
from pathlib import Path

import pytest

from backcoach.library import content, services


@pytest.fixture
def library(db):
    """The shipped library, loaded into the test database."""
    loaded = content.load_library()
    services.library_load(library=loaded)
    return loaded


FIXTURE_CONTENT = Path(__file__).parent / "fixture_content"


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """A copy of a small, stable test library that a test may break."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target
