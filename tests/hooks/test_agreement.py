"""The hooks answer FAILED exactly where lint reports an error, with lint's sentences.

For every key of the grids (every KeySpec with every KeyUsage, in a Region outside China and in
one inside; rotation and imported key material on every key spec; key policies with statements
of every shape), on both key types, at create and at update: the registry hook's entrypoint and
the Lambda hook's handler are invoked as CloudFormation invokes them, with the key's properties
as CloudFormation sends them (booleans and numbers as text), and each answers FAILED with
NonCompliant exactly for the keys lint reports an error for, its message holding every sentence
of those errors after the rule's id. The warnings the hooks carry (W9111) are lint's, key for key.
And the registry and the enforcers carry the same rules: every rule the registry gives lint is
one of cfn-lint's loaded Keyforge rules, with the same id, level and documentation; every rule
the hooks judge is in the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
from cfnlint.rules._rules import Rules

from keyforge_kms_key.judgement import hook_rules
from keyforge_kms_key.lambda_hook import handler as lambda_hook
from keyforge_kms_key.rules import RULES, Enforcer, Level
from keyforge_kms_keyrules.handlers import hook
from tests.enforcers import (
    Properties,
    as_cloudformation_sends,
    chunks,
    holds_intrinsic,
    keys_of,
    lint,
    pairs,
    policies,
    rotations,
    template_of,
)

GRIDS: dict[str, Callable[[], Iterator[Properties]]] = {
    "pairs": pairs,
    "rotation-and-origin": rotations,
    "key-policies": policies,
}
CASES = [
    ("pairs", "us-east-1"),
    ("pairs", "cn-north-1"),
    ("rotation-and-origin", "us-east-1"),
    ("rotation-and-origin", "cn-north-1"),
    ("key-policies", "us-east-1"),
]
HOOKED = {rule.id for rule in hook_rules()}

pytestmark = pytest.mark.xdist_group("hook-agreement")


def hook_request(
    kind: str, name: str, properties: Properties, point: str, region: str
) -> dict[str, Any]:
    model: dict[str, Any] = {"resourceProperties": as_cloudformation_sends(properties)}
    if point == "UPDATE_PRE_PROVISION":
        model["previousResourceProperties"] = as_cloudformation_sends(properties)
    partition = "aws-cn" if region.startswith("cn-") else "aws"
    return {
        "clientRequestToken": f"{name}-{point}",
        "awsAccountId": "123456789012",
        "stackId": f"arn:{partition}:cloudformation:{region}:123456789012:stack/keys/1",
        "hookTypeName": "Keyforge::KMS::KeyRules",
        "hookTypeVersion": "00000001",
        "actionInvocationPoint": point,
        "requestData": {
            "targetName": kind,
            "targetType": "RESOURCE",
            "targetLogicalId": name,
            "targetModel": model,
        },
        "requestContext": {"callbackContext": None},
    }


def lambda_request(
    kind: str, name: str, properties: Properties, point: str, region: str
) -> dict[str, Any]:
    request = hook_request(kind, name, properties, point, region)
    request["requestData"]["targetType"] = kind
    return request


ENFORCERS = {
    "registry hook": (hook, hook_request),
    "Lambda hook": (lambda_hook, lambda_request),
}


def lint_errors(
    keys: Mapping[str, tuple[str, Properties]], region: str
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Each key's lint errors and W9111 warnings, as `rule-id sentence`."""
    errors: dict[str, set[str]] = {name: set() for name in keys}
    warnings: dict[str, set[str]] = {name: set() for name in keys}
    for chunk in chunks(keys):
        for finding in lint(template_of(chunk), [region]):
            line = f"{finding.rule} {finding.message}"
            if finding.rule.startswith("E"):
                errors[finding.resource].add(line)
            elif finding.rule in HOOKED:
                warnings[finding.resource].add(line)
    return errors, warnings


@pytest.mark.parametrize("enforcer", sorted(ENFORCERS))
@pytest.mark.parametrize("point", ["CREATE_PRE_PROVISION", "UPDATE_PRE_PROVISION"])
@pytest.mark.parametrize(("grid", "region"), CASES)
def test_the_hook_fails_exactly_where_lint_reports_an_error(
    grid: str, region: str, point: str, enforcer: str
) -> None:
    entrypoint, request = ENFORCERS[enforcer]
    # CloudFormation resolves intrinsic functions before it calls a hook.
    keys = {n: k for n, k in keys_of(GRIDS[grid]()).items() if not holds_intrinsic(k[1])}
    errors, warnings = lint_errors(keys, region)
    assert not {line.split()[0] for lines in errors.values() for line in lines} - HOOKED
    mismatched = []
    failed = 0
    for name, (kind, properties) in keys.items():
        answer = entrypoint(request(kind, name, properties, point, region), None)
        message = answer["message"]
        expected = errors[name]
        if expected:
            failed += 1
            right = (answer["hookStatus"], answer.get("errorCode")) == ("FAILED", "NonCompliant")
            right = right and all(line in message for line in expected)
        else:
            right = answer["hookStatus"] == "SUCCESS" and "errorCode" not in answer
        warned = {
            f"{a['annotationName']} {a['statusMessage']}"
            for a in answer.get("annotations", [])
            if a["status"] == "FAILED" and a["annotationName"].startswith("W")
        }
        if not right or warned != warnings[name]:
            mismatched.append(f"{name} {kind} {properties}: lint {sorted(expected)}; {message}")
    assert mismatched == []
    assert 0 < failed < len(keys)


# --- The registry and the enforcers carry the same rules -----------------------------------------


@pytest.fixture(scope="module")
def loaded_lint_rules() -> dict[str, Any]:
    """cfn-lint's Keyforge rules, loaded as `cfn-lint -a keyforge_lint` loads them."""
    rules = Rules.create_from_module("keyforge_lint")
    return {rule.id: rule for rule in rules.data.values()}


def test_every_rule_the_registry_gives_lint_is_a_loaded_lint_rule_alike(
    loaded_lint_rules: dict[str, Any],
) -> None:
    for rule in RULES:
        if Enforcer.LINT not in rule.enforcers:
            continue
        assert rule.id in loaded_lint_rules, rule.id
        loaded = loaded_lint_rules[rule.id]
        assert loaded.source_url == rule.documentation, rule.id
        letter = {Level.ERROR: "E", Level.WARNING: "W", Level.INFORMATIONAL: "I"}[rule.level]
        assert loaded.id.startswith(letter)
        assert loaded.shortdesc == rule.title, rule.id


def test_every_rule_the_hooks_judge_is_in_the_registry_for_them() -> None:
    registry = {rule.id: rule for rule in RULES}
    for rule in hook_rules():
        assert registry[rule.id] is rule
        assert Enforcer.HOOK in rule.enforcers
    answer = hook(
        hook_request("AWS::KMS::Key", "Key", {}, "UPDATE_PRE_PROVISION", "eu-west-1"), None
    )
    judged = {annotation["annotationName"] for annotation in answer["annotations"]}
    assert judged == {rule.id for rule in hook_rules("AWS::KMS::Key")}
