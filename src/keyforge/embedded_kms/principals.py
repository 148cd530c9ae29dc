"""Key policy principals checked, as KMS checks them, against moto's IAM (reads its state); and
the roles and users policies name, created through an IAM client (I/O).

KMS refuses a key policy naming a principal that does not exist (CreateKey,
PutKeyPolicy, ReplicateKey). The embedded KMS asks moto's IAM, which lives in
the same process in both modes (``mock_aws`` and the moto server):

- "*", an account id and an account's root ARN are always accepted;
- a role or user of the key's own account must exist, under the exact ARN (a
  role's path is part of it); a unique id must be the id of one that exists;
- principals of other accounts are accepted: their IAM is not this account's to
  ask, and moto's IAM of another account holds nothing anyone created;
- role sessions (``sts::...:assumed-role/Role/session``) and federated users are
  accepted: they are not IAM entities, nothing can say whether a session exists;
- anything else (a wildcard inside an ARN, a group, a service or Region that is
  not IAM's, another partition, no ARN at all) is refused, as KMS refuses it.

``create_principals`` makes the roles and users that policies, inputs or
templates name, through any IAM client (in-process under ``mock_aws`` or at a
moto server's endpoint): a role trusting its account, a user with nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from botocore.exceptions import ClientError
from moto.iam.models import iam_backends
from moto.utilities.utils import get_partition

from keyforge_kms_key.principals import (
    Principal,
    PrincipalKind,
    aws_principals,
    parse,
    principals_named_in,
)

from .errors import MalformedPolicyDocumentException

INVALID_PRINCIPALS = "Policy contains a statement with one or more invalid principals."
_ALWAYS = frozenset(
    {
        PrincipalKind.ANYONE,
        PrincipalKind.ACCOUNT,
        PrincipalKind.ROLE_SESSION,
        PrincipalKind.FEDERATED_USER,
    }
)


def check_principals(policy: str | None, account: str, region: str) -> None:
    """Refuse, as KMS does, a key policy whose AWS principals are not all valid and visible."""
    if policy is None:
        return
    partition = get_partition(region)
    backend = iam_backends[account][partition]
    for text in aws_principals(policy):
        if not _visible(parse(text), account, partition, backend):
            raise MalformedPolicyDocumentException(INVALID_PRINCIPALS)


def _visible(principal: Principal, account: str, partition: str, backend: Any) -> bool:
    if principal.partition not in (None, partition):
        return False
    if principal.kind in _ALWAYS:
        return True
    if principal.kind is PrincipalKind.UNIQUE_ID:
        return principal.text in {entity.id for entity in _entities(backend)}
    if not principal.is_iam_entity:
        return False
    if principal.account != account:
        return True
    roles = principal.kind is PrincipalKind.ROLE
    entities = backend.roles.values() if roles else backend.users.values()
    return any(entity.arn == principal.text for entity in entities)


def _entities(backend: Any) -> Iterable[Any]:
    yield from backend.roles.values()
    yield from backend.users.values()


def create_principals(iam: Any, named_in: Any, account: str) -> list[str]:
    """Create every role and user of `account` that `named_in` names and that does not exist.

    `named_in` is anything JSON holds (a principal ARN, a model, a template, key policies as
    objects or JSON text); every role and user ARN in it counts. `iam` is a boto3 IAM client
    of that account. Roles trust the account; users get nothing. Answers the ARNs created.
    """
    created = []
    for principal in (parse(text) for text in principals_named_in(named_in)):
        if principal.account != account:
            continue
        if principal.kind is PrincipalKind.ROLE:
            made = _create(
                iam.create_role,
                RoleName=principal.name,
                Path=principal.path,
                AssumeRolePolicyDocument=_trusting(principal),
            )
        else:
            made = _create(iam.create_user, UserName=principal.name, Path=principal.path)
        if made:
            created.append(principal.text)
    return created


def _trusting(role: Principal) -> str:
    """A trust policy that lets the role's own account assume it."""
    root = f"arn:{role.partition}:iam::{role.account}:root"
    statement = {"Effect": "Allow", "Principal": {"AWS": root}, "Action": "sts:AssumeRole"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _create(call: Any, **params: Any) -> bool:
    try:
        call(**params)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "EntityAlreadyExists":
            return False
        raise
    return True
