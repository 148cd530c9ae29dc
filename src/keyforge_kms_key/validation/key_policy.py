"""A key policy KMS accepts: a JSON object within its size, statements KMS does not refuse as
malformed, one that its lock-out safety check lets through, and not mixed with the builder."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from ..keyspecs import Limits
from ..policy_grammar import MALFORMED, grammar_problems, is_literal, statement_name
from .problems import Problem, PropertyPath
from .statements import allows, covers_action, is_everyone, policy_statements, readable
from .values import describe, is_set, json_value

BUILDER_PROPERTIES: tuple[str, ...] = (
    "KeyAdministrators",
    "KeyUsers",
    "ExternalAccounts",
    "AllowKeyAdministratorsToDelete",
)


def policy_problems(properties: Mapping[str, Any]) -> list[Problem]:
    """KeyPolicy must be a JSON object within KMS's size limit, and not mixed with the builder."""
    problems: list[Problem] = []
    policy = properties.get("KeyPolicy")
    builders = [name for name in BUILDER_PROPERTIES if is_set(properties, name)]
    if policy is not None and builders:
        problems.append(
            Problem(
                ("KeyPolicy",),
                None,
                f"KeyPolicy cannot be combined with {', '.join(builders)}: either write the "
                "whole key policy in KeyPolicy, or let KeyAdministrators, KeyUsers, "
                "ExternalAccounts and AllowKeyAdministratorsToDelete build it.",
            )
        )
    if properties.get("AllowKeyAdministratorsToDelete") is False and not properties.get(
        "KeyAdministrators"
    ):
        problems.append(
            Problem(
                ("AllowKeyAdministratorsToDelete",),
                False,
                "AllowKeyAdministratorsToDelete false has no effect without KeyAdministrators: "
                "name the administrators whose deletion rights it removes, or leave it out.",
            )
        )
    if policy is None or not is_literal(policy):
        return problems
    if isinstance(policy, str):
        try:
            document = json.loads(policy)
        except json.JSONDecodeError as error:
            problems.append(
                Problem(
                    ("KeyPolicy",),
                    None,
                    f"KeyPolicy is not valid JSON ({error.msg} at line {error.lineno}, "
                    f"column {error.colno}): it must be a JSON object.",
                )
            )
            return problems
        if not isinstance(document, dict):
            problems.append(
                Problem(
                    ("KeyPolicy",),
                    None,
                    f"KeyPolicy is a JSON {type(document).__name__}: it must be a JSON object.",
                )
            )
            return problems
    elif isinstance(policy, Mapping):
        document = policy
    else:
        return problems
    size = len(policy_text(policy).encode())
    if size > Limits.POLICY_MAX_BYTES:
        problems.append(
            Problem(
                ("KeyPolicy",),
                None,
                f"KeyPolicy is {size} bytes: KMS allows at most {Limits.POLICY_MAX_BYTES}.",
            )
        )
    bypass = properties.get("BypassPolicyLockoutSafetyCheck")
    problems += key_policy_problems(
        json_value(document),
        # A value not written out (an intrinsic function) may be true: no lock-out finding.
        bypass_lockout_check=not is_literal(bypass) or str(bypass).lower() == "true",
        in_template=isinstance(policy, Mapping),
    )
    return problems


def policy_text(policy: str | Mapping[str, Any]) -> str:
    """The policy document exactly as it is sent to KMS."""
    if isinstance(policy, str):
        return policy
    return json.dumps(json_value(policy), separators=(",", ":"))


_CHANGE_POLICY = "kms:PutKeyPolicy"
_MALFORMED = MALFORMED


def key_policy_problems(
    document: Mapping[str, Any], *, bypass_lockout_check: bool = False, in_template: bool = True
) -> list[Problem]:
    """What KMS refuses in a key policy document, with MalformedPolicyDocumentException.

    Since 18 August 2025 CreateKey, ReplicateKey and PutKeyPolicy refuse a
    statement without Action or NotAction, and a Resource other than "*". And
    unless BypassPolicyLockoutSafetyCheck is set, KMS's lock-out safety check
    refuses a policy that lets no principal change it. Only what is certain is
    reported: a statement, an effect or an action written with an intrinsic
    function, a Condition, a NotPrincipal make the policy's reach unknown, and
    the lock-out check then finds nothing. ``in_template`` says whether paths
    into the document exist in the template (not for a policy written as a
    JSON string, whose problems point at KeyPolicy).
    """

    def at(where: PropertyPath) -> PropertyPath:
        return ("KeyPolicy", *where) if in_template else ("KeyPolicy",)

    problems = [
        Problem(at(where), value, message) for where, value, message in grammar_problems(document)
    ]
    statements = policy_statements(document)
    if statements is None:
        return problems
    for where, statement in statements:
        if not (isinstance(statement, Mapping) and is_literal(statement)):
            continue
        name = statement_name(where, statement)
        if "Action" not in statement and "NotAction" not in statement:
            problems.append(
                Problem(
                    at(where),
                    None,
                    f"KeyPolicy {name} has neither Action nor NotAction: {_MALFORMED}. "
                    "Name the actions the statement allows or denies.",
                )
            )
        resource = statement.get("Resource")
        if "Resource" in statement and not _only_this_key(resource):
            problems.append(
                Problem(
                    at((*where, "Resource")),
                    resource,
                    f"KeyPolicy {name} has Resource {describe(_sub_text(resource) or resource)}: "
                    "in a key policy "
                    f'the only Resource KMS accepts is "*" (the key itself); {_MALFORMED}. '
                    'Write Resource: "*".',
                )
            )
        if not bypass_lockout_check and _denies_change_to_everyone(statement):
            problems.append(
                Problem(
                    at(where),
                    None,
                    f"KeyPolicy {name} denies {_CHANGE_POLICY} to every principal without a "
                    "Condition: nobody could change the policy afterwards, so KMS's lock-out "
                    f"safety check refuses it. Leave {_CHANGE_POLICY} out of what it denies, "
                    "or add a Condition.",
                )
            )
    if bypass_lockout_check or not all(readable(s) for _, s in statements):
        return problems
    if not any(allows(s, _CHANGE_POLICY) for _, s in statements):
        problems.append(
            Problem(
                at(("Statement",)) if "Statement" in document else at(()),
                None,
                f"KeyPolicy lets no principal change it: no Allow statement grants "
                f"{_CHANGE_POLICY} (by name, kms:Put*, kms:* or *), so KMS's lock-out safety "
                "check refuses it unless BypassPolicyLockoutSafetyCheck is true. Keep the "
                "statement that gives the account root kms:*, or allow key administrators "
                f"{_CHANGE_POLICY}.",
            )
        )
    return problems


def _only_this_key(resource: Any) -> bool:
    """False only for a Resource that is certainly not "*" (so unresolved values pass)."""
    if isinstance(resource, list):
        return all(_only_this_key(item) for item in resource)
    if isinstance(resource, str):
        return resource == "*"
    if isinstance(resource, Mapping) and len(resource) == 1 and "Fn::GetAtt" in resource:
        return False  # an ARN or an id, never "*"
    text = _sub_text(resource)
    # Text around the ${...} references of Fn::Sub makes the value an ARN, never "*".
    return text is None or re.sub(r"\$\{[^}]*\}", "", text) in ("", "*")


def _sub_text(value: Any) -> str | None:
    """The text of an Fn::Sub, None for any other value."""
    arguments = value.get("Fn::Sub") if isinstance(value, Mapping) and len(value) == 1 else None
    text = arguments[0] if isinstance(arguments, list) and arguments else arguments
    return text if isinstance(text, str) else None


def _denies_change_to_everyone(statement: Mapping[str, Any]) -> bool:
    if not readable(statement) or statement["Effect"] != "Deny":
        return False
    if "Condition" in statement or "NotPrincipal" in statement:
        return False
    return is_everyone(statement.get("Principal")) and covers_action(statement, _CHANGE_POLICY)
