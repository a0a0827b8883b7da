"""Shared fixtures. Tests that need ../shared skip with a clear reason where it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PIPELINE_SHARED", REPO.parent / "shared")).resolve()
SEED = REPO / "corpora" / "seed" / "langson-ket-nap-dang-2022.txt"


def _need(path: Path) -> Path:
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing, and CI must have ../shared beside the clone")
        pytest.skip(f"needs {path} (../shared is not beside this clone; see README)")
    return path


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only ../shared folder (corpora, gold, peer tests, reference)."""
    return _need(SHARED)


@pytest.fixture(scope="session")
def real_corpus(shared_dir: Path) -> Path:
    return _need(shared_dir / "corpora" / "real")


@pytest.fixture(scope="session")
def gold_dir(shared_dir: Path) -> Path:
    return _need(shared_dir / "gold" / "dev")


@pytest.fixture(scope="session")
def peer_tests(shared_dir: Path) -> Path:
    return _need(shared_dir / "peer-tests")


@pytest.fixture(scope="session")
def reference_dir(shared_dir: Path) -> Path:
    return _need(shared_dir / "reference")


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED
