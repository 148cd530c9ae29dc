"""The real cfn-guard, taken from its wheel on the package index (keyforge.cfn_guard), and the
Guard rule pack as `keyforge guard-rules` prints it."""

from __future__ import annotations

from pathlib import Path

import pytest

from keyforge import cfn_guard
from keyforge.guard_pack import render


@pytest.fixture(scope="session")
def guard_binary() -> Path:
    """cfn-guard 3.1.1: on PATH, in the cache, or fetched into it (once, then kept)."""
    try:
        return cfn_guard.fetch()
    except cfn_guard.CfnGuardUnavailable as error:
        pytest.fail(f"cfn-guard is needed and could not be had: {error}", pytrace=False)


@pytest.fixture(scope="session")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("guard") / "keyforge.guard"
    path.write_text(render())
    return path
