"""The audit that holds the handlers' declared permissions to what the suite saw them use."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from keyforge.embedded_kms import access
from keyforge.embedded_kms.access import Decision, load_decisions, save_decisions
from keyforge.local.scoping import declared_permissions, handler_role_name
from keyforge_kms_key.validation import resource_schema
from tests.permissions_audit import audit

ACCOUNT = "123456789012"


def decision(action: str, permission: str, allowed: bool = True, role: str = "") -> Decision:
    role = role or handler_role_name(action)
    caller = f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{role}"
    return Decision(caller, permission, allowed)


def everything_used() -> Counter[Decision]:
    return Counter(
        decision(action, permission)
        for action, permissions in declared_permissions(resource_schema()).items()
        for permission in permissions
    )


def test_nothing_to_say_when_every_declared_permission_was_used_and_none_refused() -> None:
    assert audit(everything_used(), whole_suite=True) == []


def test_a_refusal_of_a_handler_is_a_problem_in_any_run() -> None:
    decisions = Counter({decision("READ", "kms:ListKeys", allowed=False): 3})
    assert audit(decisions, whole_suite=False) == [
        "- READ was refused kms:ListKeys, which it does not declare (3 times)"
    ]


def test_a_permission_no_test_used_is_a_problem_after_the_whole_suite_only() -> None:
    decisions = everything_used()
    del decisions[decision("DELETE", "kms:DeleteAlias")]
    assert audit(decisions, whole_suite=False) == []
    assert audit(decisions, whole_suite=True) == [
        "- DELETE declares kms:DeleteAlias, which no test saw it use"
    ]


def test_roles_other_than_the_handlers_are_left_out() -> None:
    decisions = everything_used()
    decisions[decision("CREATE", "kms:Decrypt", allowed=False, role="lacking-x")] += 1
    decisions[Decision(f"arn:aws:iam::{ACCOUNT}:user/someone", "kms:Decrypt", False)] += 1
    assert audit(decisions, whole_suite=True) == []


def test_decisions_saved_by_several_processes_add_up(tmp_path: Path) -> None:
    path = tmp_path / "decisions.jsonl"
    listed = Decision("arn:aws:sts::1:assumed-role/r/s", "kms:ListKeys", True)
    for _ in range(2):  # two processes' worth, each saved in turn
        save_decisions(path, Counter({listed: 1}))
    assert load_decisions(path) == Counter({listed: 2})


def test_clearing_what_a_test_looks_at_loses_nothing_of_what_is_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests and the demo clear decisions() as they go; the audit must still get them all."""
    monkeypatch.setattr(access, "_decisions", Counter())
    monkeypatch.setattr(access, "_unsaved", Counter())
    access._count("arn:aws:sts::1:assumed-role/r/s", "kms:ListKeys", True)
    access.clear_decisions()
    assert access.decisions() == Counter()
    path = tmp_path / "decisions.jsonl"
    save_decisions(path)
    assert load_decisions(path) == Counter(
        {Decision("arn:aws:sts::1:assumed-role/r/s", "kms:ListKeys", True): 1}
    )
    save_decisions(path)  # saved once, then forgotten
    assert sum(load_decisions(path).values()) == 1
