"""The handlers' declared permissions held to what the whole test suite saw them use.

Every handler invocation in the tests runs as a session of its handler's role, allowed exactly
what schema.json declares for it (tests/embedded.py, keyforge.embedded_kms), and the embedded
KMS counts each decision it makes about such a caller: the calls a handler makes, and the
permissions KMS requires without a call of their own. Each test process saves what it counted
in one file of the run (child processes too: KEYFORGE_IAM_DECISIONS), and at the end the run
fails when:

- a handler was refused anything: a call it makes is not declared (even where the handler
  copes with the refusal, as with IAM lookups);
- after the whole suite, a handler declares a permission that no test saw it use.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from pathlib import Path

import pytest

from keyforge.embedded_kms.access import (
    DECISIONS_FILE_VARIABLE,
    Decision,
    load_decisions,
    save_decisions,
)
from keyforge.local.scoping import action_of_role, declared_permissions
from keyforge_kms_key.validation import resource_schema


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER") is None:  # the controller: one file for the run
        folder = tempfile.mkdtemp(prefix="keyforge-iam-")
        os.environ[DECISIONS_FILE_VARIABLE] = str(Path(folder) / "decisions.jsonl")


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = os.environ.get(DECISIONS_FILE_VARIABLE)
    if not path:
        return
    save_decisions(path)
    if os.environ.get("PYTEST_XDIST_WORKER") is not None:
        return  # the controller judges, once every worker has saved
    problems = audit(load_decisions(path), whole_suite=ran_whole_suite(session.config))
    Path(path).unlink(missing_ok=True)
    if problems:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        lines = ["handler permissions (tests/permissions_audit.py):", *problems]
        if reporter is not None:
            reporter.write_sep("=", "declared permissions do not match their use", red=True)
            reporter.write_line("\n".join(lines))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def audit(decisions: Counter[Decision], *, whole_suite: bool) -> list[str]:
    """What is wrong between the declared permissions and the decisions about handler roles."""
    declared = declared_permissions(resource_schema())
    used: dict[str, set[str]] = {action: set() for action in declared}
    problems = []
    for decision in sorted(decisions, key=lambda d: (d.caller, d.action)):
        action = action_of_role(decision.role_name or "")
        if action not in declared:
            continue
        if decision.allowed:
            used[action].add(decision.action)
        else:
            problems.append(
                f"- {action} was refused {decision.action}, which it does not declare "
                f"({decisions[decision]} times)"
            )
    if whole_suite:
        for action, permissions in declared.items():
            for permission in sorted(set(permissions) - used[action]):
                problems.append(f"- {action} declares {permission}, which no test saw it use")
    return problems


def ran_whole_suite(config: pytest.Config) -> bool:
    """Whether this run was every test: no paths, selection or deselection of the run's own."""
    selection = ("keyword", "markexpr", "lf", "deselect")
    selected = any(getattr(config.option, name, None) for name in selection)
    paths = [Path(arg.split("::")[0]).resolve() for arg in config.args]
    whole = [config.rootpath / path for path in config.getini("testpaths")]
    return not selected and all(path in whole for path in paths) and bool(paths)
