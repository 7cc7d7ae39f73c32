"""Fixtures for bank imports and exports: our own files and the shared Moodle fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SHARED

HERE = Path(__file__).resolve().parent
OWN = HERE / "data"
MOODLE = SHARED / "fixtures" / "moodle-formats"


@pytest.fixture
def moodle() -> Path:
    """The shared Moodle format fixtures, or a skip when ../shared is absent (a fresh clone)."""
    if not MOODLE.is_dir():
        pytest.skip("../shared fixtures not present")
    return MOODLE
