"""The test suite's own setup: what `make test` relies on to share the work between workers."""

from __future__ import annotations

import pytest


@pytest.mark.xdist_group("suite-setup")
def test_a_test_group_stays_on_one_worker(request: pytest.FixtureRequest) -> None:
    """pytest-xdist's --dist loadgroup keeps a group on one worker by a suffix of its node ids.

    A pytest that drops the suffix (9.2, with pytest-xdist 3.8) has every worker run the
    contract suite and build the Lambda bundle again; pyproject.toml pins one that keeps it.
    """
    if not request.config.getoption("loadgroup", default=False):
        pytest.skip("runs under pytest-xdist --dist loadgroup (make test)")
    assert request.node.nodeid.endswith("@suite-setup"), request.node.nodeid
