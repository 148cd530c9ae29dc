"""Key policy risks KMS accepts but that open the key to anyone or lock everyone out."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from fnmatch import fnmatchcase
from typing import Any

from keyforge_kms_key.validation import Problem, is_literal

_MANAGE_ACTION = "kms:putkeypolicy"


def policy_risks(properties: Mapping[str, Any]) -> list[Problem]:
    """Wildcard principals without a Condition, the lock-out check bypassed, no administrator."""
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
    if document is None:
        return problems
    in_template = isinstance(properties.get("KeyPolicy"), Mapping)
    statements = document.get("Statement")
    if isinstance(statements, Mapping):
        indexed: list[tuple[tuple[str | int, ...], Any]] = [(("Statement",), statements)]
    elif isinstance(statements, list):
        indexed = [(("Statement", i), s) for i, s in enumerate(statements)]
    else:
        return problems
    for where, statement in indexed:
        if _open_to_anyone(statement):
            path = ("KeyPolicy", *where) if in_template else ("KeyPolicy",)
            problems.append(
                Problem(
                    path,
                    None,
                    f'KeyPolicy {_name(where, statement)} allows Principal "*" without a '
                    "Condition: any principal of any AWS account may use the key for its "
                    "actions. Name the principals, or add a Condition such as "
                    "kms:CallerAccount or aws:PrincipalOrgID.",
                )
            )
    readable = all(_fully_literal(s) for _, s in indexed)
    if readable and not any(_allows_management(s) for _, s in indexed):
        problems.append(
            Problem(
                ("KeyPolicy",),
                None,
                "KeyPolicy has no statement that allows kms:PutKeyPolicy, neither to the "
                "account root (kms:*) nor to a key administrator: nobody could change the "
                "policy or manage the key afterwards (lock-out). Keep the account root "
                "statement or name administrators.",
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
        return policy
    return None


def _name(where: tuple[str | int, ...], statement: Any) -> str:
    sid = statement.get("Sid") if isinstance(statement, Mapping) else None
    if isinstance(sid, str) and sid:
        return f"statement {sid!r}"
    return f"statement {where[1]}" if len(where) > 1 else "statement"


def _open_to_anyone(statement: Any) -> bool:
    if not (isinstance(statement, Mapping) and statement.get("Effect") == "Allow"):
        return False
    if "Condition" in statement:
        return False
    principal = statement.get("Principal")
    if principal == "*":
        return True
    if isinstance(principal, Mapping) and is_literal(principal):
        aws = principal.get("AWS")
        return aws == "*" or (isinstance(aws, list) and "*" in aws)
    return False


def _allows_management(statement: Mapping[str, Any]) -> bool:
    if statement.get("Effect") != "Allow":
        return False
    if "NotAction" in statement:
        excluded = _strings(statement["NotAction"])
        return not any(fnmatchcase(_MANAGE_ACTION, p.lower()) for p in excluded)
    return any(fnmatchcase(_MANAGE_ACTION, p.lower()) for p in _strings(statement.get("Action")))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def _fully_literal(value: Any) -> bool:
    """Whether a statement's Effect and actions are written out (no intrinsic function)."""
    if not (isinstance(value, Mapping) and is_literal(value)):
        return False
    return all(
        is_literal(value.get(name)) and all(is_literal(v) for v in _iter(value.get(name)))
        for name in ("Effect", "Action", "NotAction")
    )


def _iter(value: Any) -> Iterator[Any]:
    if isinstance(value, list):
        yield from value
