"""The KMS console's default key policy, built from administrators, users and accounts.

Pure: builds the policy document from the builder properties, and recognises a
document it built so that a read gives the same builder properties back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from .keyspecs import KEY_SPECS, KeyKind, KeyUsage, Origin
from .validation import BUILDER_PROPERTIES, policy_text

POLICY_ID = "keyforge-console-default-policy"
ROOT_SID = "Enable IAM User Permissions"
ADMIN_SID = "Allow access for Key Administrators"
USER_SID = "Allow use of the key"
GRANT_SID = "Allow attachment of persistent resources"

ADMIN_ACTIONS: tuple[str, ...] = (
    "kms:Create*",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
)
DELETION_ACTIONS: tuple[str, ...] = ("kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion")
IMPORT_ACTIONS: tuple[str, ...] = ("kms:ImportKeyMaterial",)
MULTI_REGION_ACTIONS: tuple[str, ...] = ("kms:ReplicateKey", "kms:UpdatePrimaryRegion")
GRANT_ACTIONS: tuple[str, ...] = ("kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant")

_SYMMETRIC_USER_ACTIONS = (
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:DescribeKey",
)
_ASYMMETRIC_USER_ACTIONS: Mapping[KeyUsage, tuple[str, ...]] = {
    KeyUsage.ENCRYPT_DECRYPT: (
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncrypt*",
        "kms:DescribeKey",
        "kms:GetPublicKey",
    ),
    KeyUsage.SIGN_VERIFY: ("kms:DescribeKey", "kms:GetPublicKey", "kms:Sign", "kms:Verify"),
    KeyUsage.KEY_AGREEMENT: ("kms:DescribeKey", "kms:GetPublicKey", "kms:DeriveSharedSecret"),
    KeyUsage.ENCAPSULATE_DECAPSULATE: (
        "kms:DescribeKey",
        "kms:GetPublicKey",
        "kms:Encapsulate",
        "kms:Decapsulate",
    ),
}
_HMAC_USER_ACTIONS = ("kms:DescribeKey", "kms:GenerateMac", "kms:VerifyMac")


class KeyFacts(NamedTuple):
    """What the policy depends on besides the principals: the key's kind and its account."""

    key_spec: str
    key_usage: str
    origin: str
    multi_region: bool
    partition: str
    account: str

    @property
    def account_root(self) -> str:
        return root_arn(self.partition, self.account)


class PolicyBuilder(NamedTuple):
    """The console wizard's choices: who administers the key, who uses it."""

    administrators: tuple[str, ...] = ()
    users: tuple[str, ...] = ()
    external_accounts: tuple[str, ...] = ()
    allow_administrators_to_delete: bool = True

    @classmethod
    def from_properties(cls, properties: Mapping[str, Any]) -> PolicyBuilder | None:
        """The builder the properties ask for, or None when they set no builder property."""
        if all(properties.get(name) is None for name in BUILDER_PROPERTIES):
            return None
        allow_delete = properties.get("AllowKeyAdministratorsToDelete")
        return cls(
            administrators=_sorted_unique(properties.get("KeyAdministrators")),
            users=_sorted_unique(properties.get("KeyUsers")),
            external_accounts=_sorted_unique(properties.get("ExternalAccounts")),
            allow_administrators_to_delete=allow_delete is not False,
        )

    def to_properties(self) -> dict[str, Any]:
        return {
            "KeyAdministrators": list(self.administrators),
            "KeyUsers": list(self.users),
            "ExternalAccounts": list(self.external_accounts),
            "AllowKeyAdministratorsToDelete": self.allow_administrators_to_delete,
        }

    def build(self, facts: KeyFacts) -> dict[str, Any]:
        statements: list[dict[str, Any]] = [
            _root_statement(facts),
        ]
        if self.administrators:
            statements.append(
                _statement(ADMIN_SID, list(self.administrators), administrator_actions(self, facts))
            )
        key_users = list(self.users) + [
            root_arn(facts.partition, account) for account in self.external_accounts
        ]
        if key_users:
            statements.append(_statement(USER_SID, key_users, list(user_actions(facts))))
            if _kind(facts) is KeyKind.SYMMETRIC:
                grant = _statement(GRANT_SID, key_users, list(GRANT_ACTIONS))
                grant["Condition"] = {"Bool": {"kms:GrantIsForAWSResource": True}}
                statements.append(grant)
        return {"Version": "2012-10-17", "Id": POLICY_ID, "Statement": statements}


def administrator_actions(builder: PolicyBuilder, facts: KeyFacts) -> list[str]:
    actions = list(ADMIN_ACTIONS)
    if builder.allow_administrators_to_delete:
        actions += DELETION_ACTIONS
    if facts.origin == Origin.EXTERNAL:
        actions += IMPORT_ACTIONS
    if facts.multi_region:
        actions += MULTI_REGION_ACTIONS
    return actions


def user_actions(facts: KeyFacts) -> tuple[str, ...]:
    """The cryptographic operations the console grants key users, by key type and usage."""
    kind = _kind(facts)
    if kind is KeyKind.SYMMETRIC:
        return _SYMMETRIC_USER_ACTIONS
    if kind is KeyKind.HMAC:
        return _HMAC_USER_ACTIONS
    return _ASYMMETRIC_USER_ACTIONS[KeyUsage(facts.key_usage)]


def root_arn(partition: str, account: str) -> str:
    return f"arn:{partition}:iam::{account}:root"


def policy_document(properties: Mapping[str, Any], facts: KeyFacts) -> str | None:
    """The policy text to send to KMS: KeyPolicy, the built policy, or None for KMS's default."""
    policy = properties.get("KeyPolicy")
    if policy is not None:
        return policy_text(policy)
    builder = PolicyBuilder.from_properties(properties)
    return None if builder is None else serialize(builder.build(facts))


def default_policy(facts: KeyFacts) -> str:
    """The policy KMS gives a key created without one: the account root may do everything."""
    return serialize(
        {
            "Version": "2012-10-17",
            "Id": "key-default-1",
            "Statement": [_root_statement(facts)],
        }
    )


def serialize(document: Mapping[str, Any]) -> str:
    """Deterministic text: the same document always gives the same bytes."""
    return json.dumps(document, indent=2)


def same_policy(current_text: str, desired_text: str) -> bool:
    """Whether two policy texts hold the same JSON document."""
    try:
        return bool(json.loads(current_text) == json.loads(desired_text))
    except ValueError:
        return current_text == desired_text


def policy_properties(current_text: str, facts: KeyFacts) -> dict[str, Any]:
    """The properties that describe a key's current policy: the builder's, or KeyPolicy."""
    try:
        document = json.loads(current_text)
    except ValueError:
        return {"KeyPolicy": current_text}
    builder = recognise(document, facts)
    if builder is None:
        return {"KeyPolicy": document}
    return builder.to_properties()


def recognise(document: object, facts: KeyFacts) -> PolicyBuilder | None:
    """The builder that made this document, if one did and nobody changed it since."""
    if not isinstance(document, dict) or document.get("Id") != POLICY_ID:
        return None
    principals: dict[str, list[str]] = {}
    for statement in document.get("Statement", []):
        if not isinstance(statement, dict):
            return None
        principal = statement.get("Principal")
        aws = principal.get("AWS") if isinstance(principal, dict) else None
        principals[str(statement.get("Sid"))] = [aws] if isinstance(aws, str) else list(aws or [])
    admin_statement = next(
        (s for s in document["Statement"] if isinstance(s, dict) and s.get("Sid") == ADMIN_SID),
        None,
    )
    allow_delete = admin_statement is None or DELETION_ACTIONS[0] in admin_statement.get(
        "Action", []
    )
    users, accounts = _split_users(principals.get(USER_SID, []), facts.partition)
    candidate = PolicyBuilder(
        administrators=_sorted_unique(principals.get(ADMIN_SID)),
        users=users,
        external_accounts=accounts,
        allow_administrators_to_delete=allow_delete,
    )
    return candidate if candidate.build(facts) == document else None


def _split_users(
    principals: Sequence[str], partition: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Key users and external accounts share a statement; accounts appear as their root ARN."""
    prefix, suffix = f"arn:{partition}:iam::", ":root"
    roots = [p for p in principals if p.startswith(prefix) and p.endswith(suffix)]
    users = [p for p in principals if p not in roots]
    accounts = [p[len(prefix) : -len(suffix)] for p in roots]
    return _sorted_unique(users), _sorted_unique(accounts)


def _root_statement(facts: KeyFacts) -> dict[str, Any]:
    """The statement that keeps the account in control of the key, as KMS itself writes it."""
    return {
        "Sid": ROOT_SID,
        "Effect": "Allow",
        "Principal": {"AWS": facts.account_root},
        "Action": "kms:*",
        "Resource": "*",
    }


def _statement(sid: str, principals: list[str], actions: list[str]) -> dict[str, Any]:
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"AWS": principals},
        "Action": actions,
        "Resource": "*",
    }


def _kind(facts: KeyFacts) -> KeyKind:
    info = KEY_SPECS.get(facts.key_spec)
    return info.kind if info is not None else KeyKind.SYMMETRIC


def _sorted_unique(values: object) -> tuple[str, ...]:
    if not isinstance(values, list | tuple):
        return ()
    return tuple(sorted({str(value) for value in values}))
