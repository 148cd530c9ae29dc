"""Key policy risks KMS accepts: a key open to anyone, the lock-out safety check bypassed.

What KMS refuses in a key policy (a statement without actions, a Resource
other than "*", a policy nobody can change) is the shared validation's
``key_policy_problems``, reported by E9108 and E9109 as the handler refuses it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from keyforge_kms_key.validation import (
    Problem,
    is_everyone,
    is_literal,
    json_value,
    policy_statements,
    statement_name,
)


def policy_risks(properties: Mapping[str, Any]) -> list[Problem]:
    """Wildcard principals without a Condition, and the lock-out check bypassed."""
    problems: list[Problem] = []
    if properties.get("BypassPolicyLockoutSafetyCheck") is True:
        problems.append(
            Problem(
                ("BypassPolicyLockoutSafetyCheck",),
                True,
                "BypassPolicyLockoutSafetyCheck true skips KMS's check that the key policy "
                "still lets someone manage the key: a mistaken policy then makes the key "
                "unmanageable. Leave it false.",
            )
        )
    document = _document(properties.get("KeyPolicy"))
    statements = policy_statements(document) if document is not None else None
    if not statements:
        return problems
    in_template = isinstance(properties.get("KeyPolicy"), Mapping)
    for where, statement in statements:
        if _open_to_anyone(statement):
            path = ("KeyPolicy", *where) if in_template else ("KeyPolicy",)
            problems.append(
                Problem(
                    path,
                    None,
                    f'KeyPolicy {statement_name(where, statement)} allows Principal "*" without '
                    "a Condition: any principal of any AWS account may use the key for its "
                    "actions. Name the principals, or add a Condition such as "
                    "kms:CallerAccount or aws:PrincipalOrgID.",
                )
            )
    return problems


def _document(policy: Any) -> Mapping[str, Any] | None:
    if isinstance(policy, str):
        try:
            parsed = json.loads(policy)
        except json.JSONDecodeError:
            return None
        return parsed if isinstance(parsed, dict) else None
    if isinstance(policy, Mapping) and is_literal(policy):
        plain: Mapping[str, Any] = json_value(policy)
        return plain
    return None


def _open_to_anyone(statement: Any) -> bool:
    if not (isinstance(statement, Mapping) and statement.get("Effect") == "Allow"):
        return False
    return "Condition" not in statement and is_everyone(statement.get("Principal"))
