"""Reading a key policy's statements: where they are, the actions they name, their principals."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..policy_grammar import is_literal
from .problems import PropertyPath


def policy_statements(document: Mapping[str, Any]) -> list[tuple[PropertyPath, Any]] | None:
    """The statements with their paths; None when they cannot be read (an intrinsic function)."""
    statements = document.get("Statement")
    if statements is None:
        return []
    if isinstance(statements, list):
        return [(("Statement", index), item) for index, item in enumerate(statements)]
    if isinstance(statements, Mapping) and is_literal(statements):
        return [(("Statement",), statements)]
    return None


def action_patterns(statement: Mapping[str, Any], name: str) -> list[str] | None:
    """Action or NotAction as a list of patterns; None when not written out as text."""
    value = statement.get(name)
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, str) for item in items):
        return None
    return list(items)


def action_matches(pattern: str, action: str) -> bool:
    """IAM action matching: case-insensitive, * for any characters, ? for one."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, action, re.IGNORECASE) is not None


def covers_action(statement: Mapping[str, Any], action: str) -> bool:
    """Whether the statement's Action (or NotAction) takes in the action."""
    if "NotAction" in statement:
        excluded = action_patterns(statement, "NotAction") or []
        return not any(action_matches(pattern, action) for pattern in excluded)
    patterns = action_patterns(statement, "Action") if "Action" in statement else None
    return any(action_matches(pattern, action) for pattern in patterns or [])


def readable(statement: Any) -> bool:
    """Whether what a statement grants is written out: its Effect and actions are plain text."""
    if not (isinstance(statement, Mapping) and is_literal(statement)):
        return False
    if statement.get("Effect") not in ("Allow", "Deny"):
        return False
    return all(
        name not in statement or action_patterns(statement, name) is not None
        for name in ("Action", "NotAction")
    )


def allows(statement: Any, action: str) -> bool:
    """Whether an Allow statement can grant the action to some principal (Conditions aside)."""
    return (
        readable(statement) and statement["Effect"] == "Allow" and covers_action(statement, action)
    )


def is_everyone(principal: Any) -> bool:
    """Principal "*", {"AWS": "*"}, or an AWS list with "*" in it."""
    return everyone_at(principal) is not None


def everyone_at(principal: Any) -> PropertyPath | None:
    """Where in a Principal the "*" that stands for everyone is; None when there is none."""
    if principal == "*":
        return ()
    if isinstance(principal, Mapping) and is_literal(principal):
        aws = principal.get("AWS")
        if aws == "*":
            return ("AWS",)
        if isinstance(aws, list) and "*" in aws:
            return ("AWS", aws.index("*"))
    return None
