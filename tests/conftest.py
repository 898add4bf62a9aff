"""Shared fixtures: paths to the bundled seed and the shared format spec."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SPEC_PATH = SHARED / "spec" / "annual-report-format.md"
SEED_PATH = ROOT / "src" / "gxexcel" / "data" / "seed_nanding_2021.txt"


@pytest.fixture(scope="session")
def spec_text() -> str:
    if not SPEC_PATH.exists():
        pytest.fail(f"the format spec is expected at {SPEC_PATH} (shared/ beside the repo)")
    return SPEC_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED_PATH
