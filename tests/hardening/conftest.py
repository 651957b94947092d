"""Fixtures for the hardening tests (helpers in ``hardening_kit``: a module named
``conftest`` would clash with the other test folders' when the suite runs as a whole)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hardening_kit import Svc, start_service


@pytest.fixture
def svc(tmp_path: Path) -> Iterator[Svc]:
    s = start_service(tmp_path)
    yield s
    s.client.__exit__(None, None, None)
    s.runtime.close()
