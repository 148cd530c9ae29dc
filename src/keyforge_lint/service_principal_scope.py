"""W9113: a service principal allowed to use the key, with nothing scoping it (confused deputy)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import keyforge_lint._base as base
from keyforge_kms_key.validation import Problem
from keyforge_lint._policy import USE_ACTIONS
from keyforge_lint._resolve import Variant
from keyforge_lint._statements import (
    condition_keys,
    covers,
    principal_entries,
    statements,
    text_in,
)

# The condition keys that tie a service's use of the key to the caller's own resources: the
# global confused-deputy keys (IAM User Guide, "The confused deputy problem") and KMS's keys that
# say for whom, or through what, the service calls (KMS developer guide, condition keys).
SCOPING_KEYS = frozenset(
    {
        "aws:sourceaccount",
        "aws:sourcearn",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "kms:viaservice",
        "kms:calleraccount",
    }
)
SCOPING_PREFIXES = ("kms:encryptioncontext:",)
# CloudWatch Logs puts the log group's ARN in the encryption context, and documents that
# condition for a key policy (CloudWatch Logs User Guide, "Encrypt log data using AWS KMS").
_LOGS = re.compile(r"logs(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?")
_LOGS_CONDITION = (
    "kms:EncryptionContext:aws:logs:arn (ArnLike or ArnEquals the log group's ARN, "
    "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:NAME), the "
    "condition CloudWatch Logs documents"
)
_SOURCE_CONDITION = (
    "aws:SourceAccount (the account whose resources the service acts for) or aws:SourceArn "
    "(the resource's ARN), as the service documents"
)


class ServicePrincipalScope(base.VariantRule):
    id = "W9113"
    shortdesc = "Service principals use the key only for the account's resources"
    description = (
        "Warns on a key policy statement that allows a service principal to use the key "
        "without any condition that scopes it (aws:SourceAccount, aws:SourceArn, "
        "aws:SourceOrgID, aws:SourceOrgPaths, kms:EncryptionContext:*, kms:ViaService, "
        "kms:CallerAccount): the service could be made to use the key for another "
        "account's resources (the confused deputy). The message names the condition the "
        "service documents."
    )
    source_url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html"

    def problems(self, variant: Variant, resource_type: str) -> Iterator[Problem]:
        region = variant.regions[0] if variant.regions else "us-east-1"
        for statement in statements(variant.properties):
            if not statement.allows:
                continue
            services = list(principal_entries(statement, "Service"))
            if not services:
                continue
            uses = [action for action in USE_ACTIONS if covers(statement, action)]
            keys = condition_keys(statement)
            if not uses or keys is None or _scoped(keys):
                continue
            for entry in services:
                text = text_in(entry.value, region) or ""
                condition = _LOGS_CONDITION if _LOGS.fullmatch(text) else _SOURCE_CONDITION
                yield Problem(
                    entry.path,
                    entry.value,
                    f"{statement.name} allows the service principal {entry.written} to use "
                    "the key with no condition that scopes it to this account's resources: "
                    "a request the service makes for anyone's resources may use the key "
                    f"(the confused deputy). Add a Condition on {condition}.",
                )


def _scoped(keys: set[str]) -> bool:
    return bool(keys & SCOPING_KEYS) or any(
        key.startswith(prefix) for key in keys for prefix in SCOPING_PREFIXES
    )
