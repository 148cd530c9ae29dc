"""What the enforcer agreement tests share: lint run in this process, the keys they judge, and
which rule (and Guard family) each finding belongs to.

Keys are grids over the key-spec catalogue: every KeySpec (and values KMS does not have, and
intrinsic functions) with every KeyUsage; rotation and origin settings on every key spec; key
policies with statements of every shape the Guard family covers. Each key is given a logical id
and the properties it has as a template writes them; `as_cloudformation_sends` turns them into
what CloudFormation hands a hook (booleans and numbers as text). `judging_always` puts in the
registry, for one test, a rule whose checks always find "<id> judged": whichever enforcer carries
the rule says so.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cfnlint.config import ConfigMixIn
from cfnlint.decode import decode, decode_str
from cfnlint.helpers import create_rules
from cfnlint.rules._rules import Rules
from cfnlint.rules.errors.rule import RuleError
from cfnlint.runner.template.runner import run_template_by_data

import keyforge_lint
from keyforge_kms_key import rules
from keyforge_kms_key.keyspecs import AWS_KEY_TYPE, KEY_SPECS, KEY_USAGES, RESOURCE_TYPE
from keyforge_kms_key.rules import RULES, Check, GuardFamily, Rule, guard_families
from keyforge_kms_key.validation import Problem

ROOT = Path(__file__).resolve().parents[1]
Properties = dict[str, Any]
# cfn-lint turns an exception in a rule into E0002: run it too, so that a crash fails the test.
_RULES = Rules._from_list([*create_rules(keyforge_lint), RuleError()])
PARAMETERS = ("Spec", "Usage", "Origin", "Rotate", "Days")


@dataclass(frozen=True)
class LintFinding:
    rule: str
    resource: str
    message: str


def lint(
    template: Mapping[str, Any] | Path, regions: Sequence[str] | None = None
) -> list[LintFinding]:
    """The Keyforge rules' findings on a template (a file, or a template as data)."""
    if isinstance(template, Path):
        data, errors = decode(str(template))
    else:
        data, errors = decode_str(json.dumps(template))
    assert not errors, errors
    settings: dict[str, Any] = {"regions": list(regions)} if regions else {}
    matches = list(run_template_by_data(data, ConfigMixIn(**settings), _RULES))
    crashes = [m.message for m in matches if m.rule.id == RuleError.id]
    assert not crashes, crashes
    found = []
    for match in matches:
        path = tuple(getattr(match, "path", ()))
        resource = str(path[1]) if len(path) > 1 and path[0] == "Resources" else ""
        found.append(LintFinding(match.rule.id, resource, match.message))
    return found


def families_of(rule_id: str, sentence: str) -> set[tuple[str, str]]:
    """The (rule id, Guard family) pairs a lint finding is one of."""
    return {
        (rule.id, family.name)
        for rule, family in guard_families()
        if rule.id == rule_id and family.covers(sentence)
    }


def template_of(keys: Mapping[str, tuple[str, Properties]]) -> dict[str, Any]:
    """A template of the keys (logical id -> type and properties), with the parameters their
    intrinsic functions name (no default: lint leaves them unresolved)."""
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {name: {"Type": "String"} for name in PARAMETERS},
        "Resources": {
            name: {"Type": kind, "Properties": properties}
            for name, (kind, properties) in keys.items()
        },
    }


def hook_input_of(keys: Mapping[str, tuple[str, Properties]]) -> dict[str, Any]:
    """A Guard hook's input for the keys: CloudFormation's shape, and its text for values."""
    return {
        "HookContext": {"InvocationPoint": "CREATE_PRE_PROVISION", "TargetType": "RESOURCE"},
        "Resources": {
            name: {"ResourceType": kind, "ResourceProperties": as_cloudformation_sends(properties)}
            for name, (kind, properties) in keys.items()
        },
    }


def as_cloudformation_sends(value: Any) -> Any:
    """Booleans and numbers as the text CloudFormation gives hooks."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, Mapping):
        return {key: as_cloudformation_sends(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_cloudformation_sends(item) for item in value]
    return value


def holds_intrinsic(value: Any) -> bool:
    if isinstance(value, Mapping):
        if len(value) == 1 and next(iter(value)) in ("Ref", "Fn::If", "Fn::GetAtt", "Fn::Sub"):
            return True
        return any(holds_intrinsic(item) for item in value.values())
    if isinstance(value, list):
        return any(holds_intrinsic(item) for item in value)
    return False


# --- The grids -----------------------------------------------------------------------------------

SPECS: tuple[Any, ...] = (None, *KEY_SPECS, "NOT_A_SPEC", {"Ref": "Spec"})
USAGES: tuple[Any, ...] = (None, *KEY_USAGES, "NOT_A_USAGE", {"Ref": "Usage"})
KEY_TYPES = (AWS_KEY_TYPE, RESOURCE_TYPE)


def _with(pairs: Sequence[tuple[str, Any]]) -> Properties:
    return {name: value for name, value in pairs if value is not None}


def pairs() -> Iterator[Properties]:
    """Every KeySpec with every KeyUsage, either left out."""
    for spec, usage in itertools.product(SPECS, USAGES):
        yield _with((("KeySpec", spec), ("KeyUsage", usage)))


def rotations() -> Iterator[Properties]:
    """Rotation and origin on every key spec, with its first usage."""
    settings = itertools.product(
        SPECS,
        (None, "AWS_KMS", "EXTERNAL"),
        (None, True, False),
        (None, 90),
    )
    for spec, origin, rotation, period in settings:
        usage = (
            str(KEY_SPECS[spec].usages[0]) if isinstance(spec, str) and spec in KEY_SPECS else None
        )
        yield _with(
            (
                ("KeySpec", spec),
                ("KeyUsage", usage),
                ("Origin", origin),
                ("EnableKeyRotation", rotation),
                ("RotationPeriodInDays", period),
            )
        )


_ROOT = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}}
STATEMENTS: tuple[Any, ...] = (
    {**_ROOT, "Action": "kms:*", "Resource": "*"},
    {**_ROOT, "Resource": "*"},
    {**_ROOT, "NotAction": "kms:Decrypt", "Resource": "*"},
    {**_ROOT, "Action": "kms:*"},
    {**_ROOT, "Action": "kms:*", "Resource": "arn:aws:kms:us-east-1:123456789012:key/1"},
    {**_ROOT, "Action": "kms:*", "Resource": ["*", "*"]},
    {**_ROOT, "Action": "kms:*", "Resource": ["*", "arn:aws:kms:us-east-1:123456789012:key/1"]},
    {"Effect": "Deny", "Principal": "*", "NotAction": ["kms:Decrypt"], "Resource": "*"},
)


def policies() -> Iterator[Properties]:
    """Key policies of one or two statements of every shape, as an object and as JSON text."""
    for count in (1, 2):
        for chosen in itertools.product(STATEMENTS, repeat=count):
            statements: Any = chosen[0] if count == 1 else list(chosen)
            document = {"Version": "2012-10-17", "Statement": statements}
            yield {"KeyPolicy": document}
            yield {"KeyPolicy": json.dumps(document)}
    yield {"KeyPolicy": "{'Statement': []}"}
    yield {"KeyPolicy": {"Version": "2012-10-17", "Statement": []}}


def keys_of(
    grid: Iterator[Properties], kinds: Sequence[str] = KEY_TYPES
) -> dict[str, tuple[str, Properties]]:
    """Each key of the grid, once per resource type, by logical id."""
    keys = {}
    for index, properties in enumerate(grid):
        for kind in kinds:
            prefix = "Aws" if kind == AWS_KEY_TYPE else "Keyforge"
            keys[f"{prefix}{index}"] = (kind, properties)
    return keys


def chunks(keys: Mapping[str, Any], size: int = 250) -> Iterator[dict[str, Any]]:
    """The keys in templates of at most `size` resources."""
    names = list(keys)
    for start in range(0, len(names), size):
        yield {name: keys[name] for name in names[start : start + size]}


def rule_of(rule_id: str) -> Rule:
    return next(rule for rule in RULES if rule.id == rule_id)


def family_names(kind: str) -> set[tuple[str, str]]:
    """The (rule id, family) pairs the Guard pack carries for a resource type."""
    return {
        (rule.id, family.name) for rule, family in guard_families() if kind in rule.resource_types
    }


def guard_family(name: str) -> GuardFamily:
    return next(family for _, family in guard_families() if family.name == name)


def judging_always(monkeypatch: pytest.MonkeyPatch, rule_id: str) -> Rule:
    """Replaces the registry's rule `rule_id`, for this test, by one whose checks (of the same
    inputs) always find one problem: "<id> judged"."""

    def finds(*_: Any) -> list[Problem]:
        return [Problem((), None, f"{rule_id} judged")]

    original = rules.rule(rule_id)
    marked = original._replace(checks=tuple(Check(finds, c.inputs) for c in original.checks))
    monkeypatch.setattr(
        rules, "RULES", tuple(marked if rule.id == rule_id else rule for rule in rules.RULES)
    )
    monkeypatch.setattr(rules, "RULES_BY_ID", {**rules.RULES_BY_ID, rule_id: marked})
    return marked
