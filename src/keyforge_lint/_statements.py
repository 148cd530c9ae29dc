"""A key policy's statements as a template writes them: principals, actions and conditions.

The rules on what a key policy grants (W9112, W9113, E9114, W9116) read a
statement the same way. A principal may be written with intrinsic functions
(``!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:root``, ``!GetAtt
Role.Arn``): its text is read for a Region, pseudo parameters replaced, and
whatever the template does not fix stays unknown, so that a rule says only
what holds for every value it could take.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from cfnlint.helpers import is_function

from keyforge_kms_key.keyspecs import partition_of
from keyforge_kms_key.policy_grammar import is_literal, statement_name
from keyforge_kms_key.principals import PrincipalKind, parse
from keyforge_kms_key.validation import (
    PropertyPath,
    action_matches,
    action_patterns,
    json_value,
    policy_statements,
)
from keyforge_lint._resolve import SUB_REFERENCE

# What an unknown part of a principal's text (a parameter, a resource's attribute) stands for
# while the text is read: digits, so that it is neither a wildcard, nor a partition, nor an
# account id that is not one; a principal whose kind depends on it stays unknown.
UNKNOWN = "000000000000"

# The kinds of principal that are certainly not an account (so not the account root).
_NAMED_PRINCIPALS = frozenset(
    {
        PrincipalKind.ROLE,
        PrincipalKind.USER,
        PrincipalKind.ROLE_SESSION,
        PrincipalKind.FEDERATED_USER,
    }
)


@dataclass(frozen=True)
class Statement:
    """One statement of a key policy, where it is, and what it is called in messages."""

    path: PropertyPath
    """Its path in the properties; ("KeyPolicy",) for a policy written as JSON text."""
    value: Mapping[str, Any]
    in_template: bool

    @property
    def name(self) -> str:
        return "KeyPolicy " + statement_name(self.path[1:], self.value)

    def at(self, *inner: str | int) -> PropertyPath:
        """A path inside the statement (the statement's own for a JSON-text policy)."""
        return (*self.path, *inner) if self.in_template else self.path

    @property
    def allows(self) -> bool:
        return self.value.get("Effect") == "Allow"


@dataclass(frozen=True)
class Entry:
    """One entry of a statement's Principal: its key (AWS, Service...), path and value."""

    key: str
    path: PropertyPath
    value: Any

    @property
    def written(self) -> str:
        """The entry as written, for a message."""
        if isinstance(self.value, str):
            return self.value
        key, args = is_function(self.value)
        if key == "Fn::Sub":
            text = args[0] if isinstance(args, list) and args else args
            if isinstance(text, str):
                return f"!Sub {text}"
        if key == "Fn::GetAtt" and isinstance(args, list):
            return "!GetAtt " + ".".join(map(str, args))
        if key == "Ref":
            return f"!Ref {args}"
        return json.dumps(json_value(self.value), sort_keys=True)


def statements(properties: Mapping[str, Any]) -> list[Statement]:
    """The statements of a key's KeyPolicy (an object or JSON text); none when unreadable."""
    policy = properties.get("KeyPolicy")
    in_template = isinstance(policy, Mapping)
    document: Any
    if isinstance(policy, str):
        try:
            document = json.loads(policy)
        except ValueError:
            return []
    elif in_template and is_literal(policy):
        document = policy
    else:
        return []
    if not isinstance(document, Mapping):
        return []
    found = policy_statements(document) or []
    return [
        Statement(("KeyPolicy", *where), value, in_template)
        for where, value in found
        if isinstance(value, Mapping) and is_literal(value)
    ]


def principal_entries(statement: Statement, key: str) -> Iterator[Entry]:
    """The entries of Principal[key] ("AWS", "Service"), one by one, with their paths."""
    principal = statement.value.get("Principal")
    if not (isinstance(principal, Mapping) and is_literal(principal)):
        return
    entries = principal.get(key)
    if isinstance(entries, list):
        for index, entry in enumerate(entries):
            yield Entry(key, statement.at("Principal", key, index), entry)
    elif entries is not None:
        yield Entry(key, statement.at("Principal", key), entries)


def is_everyone(statement: Statement) -> bool:
    """Principal "*", or "*" among its AWS entries."""
    principal = statement.value.get("Principal")
    if principal == "*":
        return True
    return any(entry.value == "*" for entry in principal_entries(statement, "AWS"))


def text_in(value: Any, region: str) -> str | None:
    """A principal's text in a Region: a literal, or Fn::Sub with the pseudo parameters and its
    variable map's literal values filled in, anything unknown as ``UNKNOWN``; None otherwise."""
    if isinstance(value, str):
        return value
    key, args = is_function(value)
    if key != "Fn::Sub":
        return None
    variables: Mapping[str, Any] = {}
    if isinstance(args, str):
        text = args
    elif isinstance(args, list) and len(args) == 2 and isinstance(args[0], str):
        text = args[0]
        if isinstance(args[1], Mapping):
            variables = args[1]
    else:
        return None
    pseudo = {
        "AWS::Partition": partition_of(region),
        "AWS::Region": region,
        "AWS::AccountId": UNKNOWN,
        "AWS::URLSuffix": "amazonaws.com",
    }

    def fill(found: re.Match[str]) -> str:
        name = found[1]
        given = variables.get(name)
        if isinstance(given, str):
            return given
        return pseudo.get(name, UNKNOWN)

    return SUB_REFERENCE.sub(fill, text).replace("${!", "${")


def certainly_not_account_root(value: Any, region: str) -> bool:
    """Whether an AWS principal entry names a role, user or session: never an account root.

    A resource's ARN (!GetAtt) is never an account; a parameter (!Ref) may be anything.
    """
    key, _ = is_function(value)
    if key == "Fn::GetAtt":
        return True
    text = text_in(value, region)
    if text is None or text == "*":
        return False
    return parse(text).kind in _NAMED_PRINCIPALS


def condition_keys(statement: Statement) -> set[str] | None:
    """The condition keys of a statement, in lower case; None when they cannot be read."""
    condition = statement.value.get("Condition")
    if condition is None:
        return set()
    if not (isinstance(condition, Mapping) and is_literal(condition)):
        return None
    keys: set[str] = set()
    for operator, tests in condition.items():
        if not (isinstance(tests, Mapping) and is_literal(tests)):
            return None
        if str(operator).lower() == "null":
            continue  # only whether a key is present: it scopes nothing
        keys.update(str(name).lower() for name in tests)
    return keys


def covers(statement: Statement, action: str) -> bool | None:
    """Whether the statement's Action (or every action but its NotAction) takes in `action`;
    None when the actions are not written out as text."""
    name = "NotAction" if "NotAction" in statement.value else "Action"
    patterns = action_patterns(statement.value, name)
    if patterns is None:
        return None
    hit = any(action_matches(pattern, action) for pattern in patterns)
    return not hit if name == "NotAction" else hit


def actions_written(statement: Statement) -> str:
    """The statement's Action or NotAction as written, for a message."""
    name = "NotAction" if "NotAction" in statement.value else "Action"
    patterns = action_patterns(statement.value, name) or []
    listed = ", ".join(patterns)
    return f"NotAction {listed}" if name == "NotAction" else listed
