"""The AWS principals a key policy names, and what to say when KMS cannot see them. Pure.

KMS checks at CreateKey, PutKeyPolicy and ReplicateKey that every principal of
a key policy exists and is visible to it, and refuses the policy with
MalformedPolicyDocumentException ("Policy contains a statement with one or more
invalid principals") otherwise. The KMS API reference says so for the Policy
parameter of all three: "The principals in the key policy must exist and be
visible to KMS. When you create a new AWS principal, you might need to enforce
a delay before including the new principal in a key policy because the new
principal might not be immediately visible to KMS." This module reads the
principals out of a policy and parses the IAM roles and users among them, so
that a handler can ask IAM about them and name them when it gives up.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from enum import Enum
from typing import Any, NamedTuple

# The pauses between attempts while KMS refuses principals that IAM says exist (or cannot tell
# about): IAM is eventually consistent and AWS documents no bound, only that a delay may be
# needed. 39 seconds in all: CREATE waits them inside one invocation (no key, no key id, so no
# callback is possible), well inside a handler's time; UPDATE calls back after each.
PROPAGATION_WAITS: tuple[int, ...] = (1, 2, 4, 8, 8, 8, 8)

_ARN = re.compile(
    r"arn:(?P<partition>aws[a-z-]*):(?P<service>iam|sts)::(?P<account>[0-9]{12}):(?P<resource>.+)"
)
_ACCOUNT_ID = re.compile(r"[0-9]{12}")
# Unique ids as IAM shows them for roles (AROA), users (AIDA) and others once a principal is gone.
_UNIQUE_ID = re.compile(r"A[A-Z]{3}[A-Z0-9]{12,124}")
_NAME = re.compile(r"[\w+=,.@-]+")


class PrincipalKind(Enum):
    ANYONE = "anyone"  # "*"
    ACCOUNT = "account"  # an account id or its root user's ARN
    ROLE = "role"
    USER = "user"
    ROLE_SESSION = "role session"  # arn:aws:sts::111122223333:assumed-role/Role/session
    FEDERATED_USER = "federated user"  # arn:aws:sts::111122223333:federated-user/name
    UNIQUE_ID = "unique id"  # what a key policy shows for a principal deleted since
    INVALID = "invalid"  # not a principal KMS accepts: a wildcard in an ARN, a group, a typo


class Principal(NamedTuple):
    """One entry of a statement's Principal "AWS" list, parsed."""

    text: str
    kind: PrincipalKind
    partition: str | None = None
    account: str | None = None
    path: str = "/"
    name: str | None = None

    @property
    def is_iam_entity(self) -> bool:
        """A role or a user: something IAM can be asked about by name."""
        return self.kind in (PrincipalKind.ROLE, PrincipalKind.USER)

    @property
    def described(self) -> str:
        return f"{self.kind.value} {self.text}" if self.is_iam_entity else self.text


def parse(text: str) -> Principal:
    """What kind of principal a Principal "AWS" entry names."""
    if text == "*":
        return Principal(text, PrincipalKind.ANYONE)
    if _ACCOUNT_ID.fullmatch(text):
        return Principal(text, PrincipalKind.ACCOUNT, account=text)
    if _UNIQUE_ID.fullmatch(text):
        return Principal(text, PrincipalKind.UNIQUE_ID)
    found = _ARN.fullmatch(text)
    if found is None or "*" in text or "?" in text:
        return Principal(text, PrincipalKind.INVALID)
    partition, service, account, resource = found.groups()
    kind, _, rest = resource.partition("/")
    if service == "iam" and resource == "root":
        return Principal(text, PrincipalKind.ACCOUNT, partition, account)
    known = {
        ("iam", "role"): PrincipalKind.ROLE,
        ("iam", "user"): PrincipalKind.USER,
        ("sts", "assumed-role"): PrincipalKind.ROLE_SESSION,
        ("sts", "federated-user"): PrincipalKind.FEDERATED_USER,
    }.get((service, kind))
    segments = rest.split("/")
    if known is None or not all(_NAME.fullmatch(segment) for segment in segments):
        return Principal(text, PrincipalKind.INVALID, partition, account)
    if known is PrincipalKind.ROLE_SESSION and len(segments) != 2:
        return Principal(text, PrincipalKind.INVALID, partition, account)
    path = "/" + "".join(f"{segment}/" for segment in segments[:-1])
    return Principal(text, known, partition, account, path, segments[-1])


def aws_principals(policy: str | Mapping[str, Any] | None) -> list[str]:
    """Every Principal / NotPrincipal "AWS" entry of a key policy, once each, in order."""
    document = policy_document(policy)
    if document is None:
        return []
    statements = document.get("Statement")
    if isinstance(statements, Mapping):
        statements = [statements]
    if not isinstance(statements, list):
        return []
    found: dict[str, None] = {}
    for statement in statements:
        if not isinstance(statement, Mapping):
            continue
        for element in ("Principal", "NotPrincipal"):
            found.update(dict.fromkeys(_aws_entries(statement.get(element))))
    return list(found)


def iam_entities_in(principals: Iterable[str], account: str) -> list[Principal]:
    """The roles and users of `account` among the principals: what IAM can be asked about."""
    parsed = (parse(text) for text in principals)
    return [p for p in parsed if p.is_iam_entity and p.account == account]


def principals_named_in(value: Any) -> list[str]:
    """Every string anywhere in `value` (nested lists and objects too) naming a role or user."""
    found: dict[str, None] = {}
    for text in _strings(value):
        if parse(text).is_iam_entity:
            found[text] = None
        elif text.lstrip().startswith("{"):  # a key policy given as a JSON string
            found.update(dict.fromkeys(principals_named_in(policy_document(text))))
    return list(found)


def missing_message(missing: Sequence[Principal], account: str) -> str:
    """Why the key policy is refused when IAM says its roles or users do not exist."""
    listed = ", ".join(principal.described for principal in missing)
    verb = "does" if len(missing) == 1 else "do"
    return (
        f"KMS refused the key policy: {listed} {verb} not exist in account {account}. "
        "The name may be misspelt (a role's ARN includes its path), or the role or user is "
        "not created yet; if this stack creates it, name it with !GetAtt LogicalId.Arn "
        "instead of a literal ARN, or add DependsOn, so that CloudFormation creates it "
        "before the key."
    )


def unseen_message(principals: Sequence[str], waited_seconds: int) -> str:
    """Why the key policy is refused when KMS still cannot see its principals after waiting."""
    listed = ", ".join(principals) if principals else "none of type AWS"
    return (
        "KMS refused the key policy: it contains one or more principals KMS cannot see "
        f"(MalformedPolicyDocumentException), still after {waited_seconds} seconds. The "
        f"policy's AWS principals: {listed}. Likely causes: a principal is misspelt; a role "
        "or user is not created yet; the same stack creates it but the key names it by a "
        "literal ARN, without a reference (!GetAtt Role.Arn) or DependsOn, so both are "
        "created at once; or IAM is still propagating a new role or user (try again in a "
        "few minutes)."
    )


def policy_document(policy: str | Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """A key policy as an object: given as one, or as JSON text; None for anything else."""
    if isinstance(policy, str):
        try:
            policy = json.loads(policy)
        except ValueError:
            return None
    return policy if isinstance(policy, Mapping) else None


def _aws_entries(element: Any) -> Iterator[str]:
    if element == "*":
        yield "*"
        return
    if not isinstance(element, Mapping):
        return
    entries = element.get("AWS")
    if isinstance(entries, str):
        yield entries
    elif isinstance(entries, list):
        yield from (entry for entry in entries if isinstance(entry, str))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
