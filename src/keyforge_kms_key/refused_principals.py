"""The principals a key policy may not name, and why KMS refuses them. Pure.

KMS refuses a key policy with a principal it does not accept
(MalformedPolicyDocumentException, "Policy contains a statement with one or more
invalid principals"). Some principals are refused whatever exists in the
account, and can be told from their text alone:

- an IAM group: the IAM User Guide (Policy elements: Principal) says a user
  group cannot be a principal in a resource-based policy, and a key policy is
  one;
- a wildcard inside an ARN (``arn:aws:iam::111122223333:role/*``): the same
  page says a wildcard cannot match part of a principal's name or ARN. ``"*"``
  alone, everyone, is accepted (and worth a Condition);
- a principal of another partition than the key's: an ARN names its partition
  (``aws``, ``aws-cn``, ``aws-us-gov``...), and a key, like every resource, can
  be shared only within its partition.

The lint rule E9114 reports these on templates; the handlers can refuse them
before any KMS call with the same messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from enum import StrEnum
from typing import Any, NamedTuple

from keyforge_kms_key.principals import PrincipalKind, parse, policy_document

PolicyPath = tuple[str | int, ...]

# An ARN's fields; the partition is checked apart, so that an ARN whose partition is not one
# (a typo, or a reference left unresolved) is never said to be in another partition.
_ARN = re.compile(
    r"arn:(?P<partition>[^:]*):(?P<service>[^:]*):(?P<region>[^:]*):"
    r"(?P<account>[^:]*):(?P<resource>.*)"
)
_PARTITION = re.compile(r"aws(-[a-z]+)*")
_WILDCARDS = ("*", "?")
_REFUSES = "refuses the key policy (MalformedPolicyDocumentException, invalid principals)"


class Refusal(StrEnum):
    """Why KMS refuses a principal, whatever the account holds."""

    GROUP = "IAM group"
    WILDCARD = "wildcard inside an ARN"
    PARTITION = "another partition"


class RefusedPrincipal(NamedTuple):
    """A principal KMS refuses: its text, the kind of refusal, and why in words."""

    text: str
    refusal: Refusal
    reason: str

    @property
    def message(self) -> str:
        return f"{self.text}: {self.reason}"


def refusal(text: str, partition: str | None = None) -> RefusedPrincipal | None:
    """Why KMS refuses the principal `text` in a key policy of `partition`; None if it may not.

    `partition` is the key's (the stack's) partition; None leaves the partition unchecked.
    Only what the text shows for certain is refused: a principal that might exist is not.
    """
    if text == "*":
        return None
    if any(wildcard in text for wildcard in _WILDCARDS):
        return RefusedPrincipal(
            text,
            Refusal.WILDCARD,
            f"KMS does not accept a wildcard inside a principal's ARN and {_REFUSES}. "
            '"*" alone (everyone) is the only wildcard a Principal takes: name each '
            'principal, or allow Principal "*" with a Condition such as ArnLike '
            "aws:PrincipalArn or kms:CallerAccount.",
        )
    found = _ARN.fullmatch(text)
    if found is None:
        return None
    if found["service"] == "iam" and found["resource"].startswith("group/"):
        return RefusedPrincipal(
            text,
            Refusal.GROUP,
            f"KMS does not accept IAM groups as principals and {_REFUSES}. Name the group's "
            "roles or users instead, or grant the group access in an IAM policy attached to "
            "it (the account root's statement lets IAM policies do so).",
        )
    named = found["partition"]
    if partition is not None and _PARTITION.fullmatch(named) and named != partition:
        return RefusedPrincipal(
            text,
            Refusal.PARTITION,
            f"it is a principal of partition {named} and the stack's partition is "
            f"{partition}: a key accepts principals of its own partition only, so KMS {_REFUSES}. "
            f"Write the ARN with ${{AWS::Partition}}, or name a principal of {partition}.",
        )
    return None


def is_account_root(text: str) -> bool:
    """An account id or an account's root user ARN: the principal that delegates to IAM."""
    return parse(text).kind is PrincipalKind.ACCOUNT


def policy_refusals(
    policy: str | Mapping[str, Any] | None, partition: str | None = None
) -> list[tuple[PolicyPath, RefusedPrincipal]]:
    """Each refused Principal "AWS" entry of a key policy, with its path in the document.

    The policy may be a JSON string or an object; entries that are not text (intrinsic
    functions in a template) are skipped.
    """
    return [
        (path, refused)
        for path, text in aws_principal_entries(policy)
        if (refused := refusal(text, partition)) is not None
    ]


def aws_principal_entries(
    policy: str | Mapping[str, Any] | None,
) -> Iterator[tuple[PolicyPath, str]]:
    """Every text entry of every statement's Principal "AWS", with its path in the document."""
    document = policy_document(policy)
    if document is None:
        return
    statements = document.get("Statement")
    indexed: list[tuple[PolicyPath, Any]] = (
        [(("Statement", index), item) for index, item in enumerate(statements)]
        if isinstance(statements, list)
        else [(("Statement",), statements)]
        if isinstance(statements, Mapping)
        else []
    )
    for where, statement in indexed:
        principal = statement.get("Principal") if isinstance(statement, Mapping) else None
        if not isinstance(principal, Mapping):
            continue
        entries = principal.get("AWS")
        at: PolicyPath = (*where, "Principal", "AWS")
        if isinstance(entries, str):
            yield at, entries
        elif isinstance(entries, list):
            for index, entry in enumerate(entries):
                if isinstance(entry, str):
                    yield (*at, index), entry
