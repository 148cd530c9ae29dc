"""The rule registry says what each rule is, and its Guard data says what the rule's checks say.

Each Guard family's cases are conditions on a key's properties, generated from the key-spec
catalogue; here they are held to the validation functions they stand for: over every key spec
(and values KMS does not have), usage, origin and rotation setting, and over key policy
statements of every shape the family covers, a key meets some case of a family exactly when
the family's check reports a problem.
"""

from __future__ import annotations

import inspect
import itertools
import json
from collections.abc import Iterator
from typing import Any

import pytest

from keyforge_kms_key import rules
from keyforge_kms_key.keyspecs import KEY_RESOURCE_TYPES, KEY_SPECS, KEY_USAGES
from keyforge_kms_key.rules import (
    LINT_ID,
    RULES,
    Enforcer,
    GuardFamily,
    Inputs,
    Level,
    Rule,
    guard_families,
)

Properties = dict[str, Any]
SPECS: tuple[Any, ...] = (None, *KEY_SPECS, "NOT_A_SPEC", 5, {"Ref": "Spec"})
USAGES: tuple[Any, ...] = (None, *KEY_USAGES, "NOT_A_USAGE", {"Ref": "Usage"})


def family(name: str) -> GuardFamily:
    (found,) = {id(f): f for _, f in guard_families() if f.name == name}.values()
    return found


def _without_none(pairs: Any) -> Properties:
    return {name: value for name, value in pairs if value is not None}


def pairs() -> Iterator[Properties]:
    for spec, usage in itertools.product(SPECS, USAGES):
        yield _without_none((("KeySpec", spec), ("KeyUsage", usage)))


def rotations() -> Iterator[Properties]:
    settings = itertools.product(
        SPECS,
        (None, "AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", {"Ref": "Origin"}),
        (None, True, False, {"Ref": "Rotate"}),
        (None, 90, {"Ref": "Days"}),
    )
    for spec, origin, rotation, period in settings:
        yield _without_none(
            (
                ("KeySpec", spec),
                ("Origin", origin),
                ("EnableKeyRotation", rotation),
                ("RotationPeriodInDays", period),
            )
        )


STATEMENT_SHAPES: tuple[Any, ...] = (
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*"},
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Resource": "*"},
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "NotAction": "kms:Decrypt", "Resource": "*"},
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*"},
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "arn:key"},
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": ["*", "*"]},
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": ["*", "x"]},
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": []},
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": 5},
    {"Effect": "Deny", "Principal": "*", "NotAction": ["kms:Decrypt"], "Resource": "*"},
    {"Fn::If": ["Cond", {"Effect": "Allow"}, {"Ref": "AWS::NoValue"}]},
    "not a statement",
)


def policies() -> Iterator[Properties]:
    for count in (1, 2):
        for chosen in itertools.product(STATEMENT_SHAPES, repeat=count):
            statements: Any = chosen[0] if count == 1 else list(chosen)
            document = {"Version": "2012-10-17", "Statement": statements}
            yield {"KeyPolicy": document}
            yield {"KeyPolicy": json.dumps(document)}
    for odd in ("{'Statement': []}", "[1]", {"Statement": []}, {"Version": "2012-10-17"}, []):
        yield {"KeyPolicy": odd}


GRIDS = {
    "key-spec-usage": pairs,
    "rotation": rotations,
    "origin": rotations,
    "key-policy-statements": policies,
}


def test_rule_ids_are_unique_and_lint_shaped_exactly_when_lint_carries_them() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert bool(LINT_ID.fullmatch(rule.id)) == (Enforcer.LINT in rule.enforcers), rule.id


def test_the_level_is_the_ids_letter() -> None:
    levels = {rule.id: rule.level for rule in RULES}
    assert levels["E9101"] is Level.ERROR
    assert levels["W9111"] is Level.WARNING
    assert levels["update-immutable"] is Level.ERROR


def test_every_check_is_a_function_of_the_provider_with_the_inputs_it_says() -> None:
    for rule in RULES:
        assert rule.checks, rule.id
        for check in rule.checks:
            assert check.source.startswith("keyforge_kms_key."), check.source
            parameters = list(inspect.signature(check.function).parameters)
            wanted = 1 if check.inputs is Inputs.PROPERTIES else 2
            assert len(parameters) - len(check.options) >= wanted, check.source


def test_the_rules_of_the_hooks_look_at_key_types() -> None:
    for rule in RULES:
        if Enforcer.HOOK in rule.enforcers:
            assert set(rule.resource_types) & set(KEY_RESOURCE_TYPES), rule.id


def test_only_rules_the_guard_pack_carries_have_guard_families_and_they_do() -> None:
    for rule in RULES:
        assert bool(rule.guard) == (Enforcer.GUARD in rule.enforcers), rule.id


@pytest.mark.parametrize(("rule_id", "name"), [(rule.id, f.name) for rule, f in guard_families()])
def test_each_case_meets_its_own_example_and_says_the_checks_sentence(
    rule_id: str, name: str
) -> None:
    guard = family(name)
    cases = guard.cases()
    assert cases
    assert len({case.name for case in cases}) == len(cases)
    rule = rules.rule(rule_id)
    for case in cases:
        assert case.holds(case.example), case.name
        sentence = guard.sentence(case)
        assert guard.covers(sentence), sentence
        assert sentence in {p.message for p in rule.problems(case.example)}, case.name
        assert case.subject in {condition.property for condition in case.conditions}


@pytest.mark.parametrize("name", sorted(GRIDS))
def test_a_key_meets_a_case_exactly_when_the_familys_check_reports_it(name: str) -> None:
    guard = family(name)
    cases = guard.cases()
    met, reported = 0, 0
    for properties in GRIDS[name]():
        meets = any(case.holds(properties) for case in cases)
        problems = guard.check.problems(properties)
        assert meets == bool(problems), (properties, [p.message for p in problems])
        met += meets
        reported += bool(problems)
    assert met > 0


def test_every_invalid_pair_of_the_catalogue_is_a_case() -> None:
    cases = family("key-spec-usage").cases()
    pair_cases = {
        (case.example.get("KeySpec"), case.example.get("KeyUsage"))
        for case in cases
        if not case.name.startswith("unknown")
    }
    invalid = {
        (spec, usage)
        for spec, usage in itertools.product(KEY_SPECS, KEY_USAGES)
        if usage not in KEY_SPECS[spec].algorithms
    }
    assert invalid <= pair_cases
    assert len(invalid) == 100 - sum(len(info.usages) for info in KEY_SPECS.values())


def test_the_families_cover_only_their_rules_sentences() -> None:
    origin = family("origin")
    assert origin.covers(
        "Origin EXTERNAL is not allowed for KeySpec ML_DSA_65: KMS cannot import key material "
        "for ML_DSA_65 keys; use Origin AWS_KMS."
    )
    assert not origin.covers(
        "Origin EXTERNAL is not allowed for KeySpec RSA_2048: in cn-north-1 only symmetric "
        "(SYMMETRIC_DEFAULT) key material can be imported; use Origin AWS_KMS."
    )
    assert not origin.covers("KeySpec SM2 is not available in us-east-1: SM2 keys exist ...")
    statements = family("key-policy-statements")
    assert not statements.covers("KeyPolicy is not valid JSON (Expecting value at line 1).")


def test_the_registry_answers_by_enforcer_and_type() -> None:
    hook = rules.carried_by(Enforcer.HOOK, "AWS::KMS::Key")
    ids = ["E9101", "E9102", "E9103", "E9109", "W9111", "update-immutable"]
    assert [rule.id for rule in hook] == ids
    assert all(isinstance(rule, Rule) for rule in rules.carried_by(Enforcer.GUARD))
