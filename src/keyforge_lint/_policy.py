"""Key policy risks KMS accepts: a key open to anyone, the lock-out safety check bypassed.

What KMS refuses in a key policy (a statement without actions, a Resource other
than "*", a policy nobody can change) is the shared validation's
``key_policy_problems``, reported by E9108 and E9109 as the handler refuses it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from keyforge_kms_key.policy_grammar import is_literal, statement_name
from keyforge_kms_key.validation import (
    Problem,
    action_matches,
    action_patterns,
    everyone_at,
    json_value,
    policy_statements,
)

# What the KMS actions on a key do, to say what a statement grants. An action
# not listed here is named as it is written.
_USE = (
    "Encrypt",
    "Decrypt",
    "ReEncryptFrom",
    "ReEncryptTo",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "GenerateMac",
    "VerifyMac",
    "Sign",
    "Verify",
    "DeriveSharedSecret",
    "Encapsulate",
    "Decapsulate",
)
_READ = (
    "DescribeKey",
    "GetPublicKey",
    "GetKeyPolicy",
    "GetKeyRotationStatus",
    "GetParametersForImport",
    "ListAliases",
    "ListGrants",
    "ListKeyPolicies",
    "ListKeyRotations",
    "ListResourceTags",
    "ListRetirableGrants",
)
_ADMINISTER = (
    "PutKeyPolicy",
    "CreateAlias",
    "UpdateAlias",
    "DeleteAlias",
    "CreateGrant",
    "RetireGrant",
    "RevokeGrant",
    "EnableKey",
    "DisableKey",
    "EnableKeyRotation",
    "DisableKeyRotation",
    "RotateKeyOnDemand",
    "ScheduleKeyDeletion",
    "CancelKeyDeletion",
    "TagResource",
    "UntagResource",
    "UpdateKeyDescription",
    "ImportKeyMaterial",
    "DeleteImportedKeyMaterial",
    "ReplicateKey",
    "UpdatePrimaryRegion",
)
_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("administer the key", _ADMINISTER),
    ("use the key", _USE),
    ("read the key's metadata", _READ),
)
_ALL_ACTIONS = tuple(f"kms:{a}" for _, actions in _KINDS for a in actions)
# The actions that use the key, and those that administer it, with their service prefix.
USE_ACTIONS: tuple[str, ...] = tuple(f"kms:{a}" for a in _USE)
ADMINISTER_ACTIONS: tuple[str, ...] = tuple(f"kms:{a}" for a in _ADMINISTER)


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
        star = _open_to_anyone(statement)
        if star is None:
            continue
        problems.append(
            Problem(
                ("KeyPolicy", *where, "Principal", *star) if in_template else ("KeyPolicy",),
                "*",
                f'KeyPolicy {statement_name(where, statement)} allows Principal "*" without a '
                f"Condition: any principal of any AWS account may {_grants(statement)}. Name "
                "the principals, or add a Condition such as kms:CallerAccount or "
                "aws:PrincipalOrgID.",
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


def _open_to_anyone(statement: Any) -> tuple[str | int, ...] | None:
    """Where the "*" is in the Principal of an Allow statement without Condition."""
    if not (isinstance(statement, Mapping) and statement.get("Effect") == "Allow"):
        return None
    if "Condition" in statement:
        return None
    return everyone_at(statement.get("Principal"))


def _grants(statement: Mapping[str, Any]) -> str:
    """What an Allow statement lets its principals do, in words, with the actions written."""
    if "NotAction" in statement:
        excluded = action_patterns(statement, "NotAction")
        if excluded is None:
            return "call every action on the key but the ones its NotAction names"
        return f"call every action on the key but {_and(excluded)}"
    patterns = action_patterns(statement, "Action")
    if patterns is None:
        return "call the actions the statement allows"
    everything = [p for p in patterns if all(action_matches(p, a) for a in _ALL_ACTIONS)]
    if everything:
        return f"do anything with the key ({_and(everything)}), change its policy and delete it"
    parts = []
    for words, actions in _KINDS:
        hits = [p for p in patterns if any(action_matches(p, f"kms:{a}") for a in actions)]
        if hits:
            parts.append(f"{words} ({', '.join(hits)})")
    unknown = [p for p in patterns if not any(action_matches(p, a) for a in _ALL_ACTIONS)]
    if unknown:
        parts.append(f"call {_and(unknown)}")
    return _and(parts) if parts else "call nothing"


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
