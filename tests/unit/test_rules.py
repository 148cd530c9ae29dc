"""The rule registry says what each rule is, and its Guard data says what the rule's checks say.

Each Guard family's cases are conditions on a key's properties, generated from the key-spec
catalogue; here they are held to the validation functions they stand for: over every key spec
(and values KMS does not have), usage, origin and rotation setting, and over key policy
statements of every shape the family covers, a key meets some case of a family exactly when
the family's check reports a problem.

And each enforcer carries the rules the registry gives it, by asking the registry: a rule whose
checks are replaced by ones that always find "<id> judged" is reported by lint under its id
(each LINT rule is a loaded cfn-lint rule of the registry), refuses a CREATE through the
handlers' entrypoint (each HANDLER rule; those judged on updates only, an update's changes),
and fails the hooks' judgement (each HOOK rule). A bad model for each HANDLER rule is refused
by the CREATE handler through the entrypoint with the rule's sentences.
"""

from __future__ import annotations

import inspect
import itertools
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from cfnlint.rules._rules import Rules

from keyforge.local.invoker import handler_request
from keyforge_kms_key import refusal, rules
from keyforge_kms_key.handler_checks import Stack
from keyforge_kms_key.handlers import resource
from keyforge_kms_key.judgement import TARGET_TYPES, Status, judge
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
from keyforge_lint._base import RegistryRule
from tests.enforcers import judging_always, lint

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


# --- Each enforcer carries the rules the registry gives it ---------------------------------------

REGION, ACCOUNT = "us-east-1", "123456789012"
LOADED_LINT_RULES = {
    rule.id: rule for rule in Rules.create_from_module("keyforge_lint").data.values()
}
LINT_RULES = [rule.id for rule in rules.carried_by(Enforcer.LINT)]
HANDLER_RULES = [rule.id for rule in refusal.handler_rules() if not rule.update_only]
UPDATE_RULES = [rule.id for rule in refusal.handler_rules() if rule.update_only]
HOOK_RULES = [rule.id for rule in rules.carried_by(Enforcer.HOOK)]


@pytest.fixture
def registry_judging(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Rule]:
    """Replaces a rule of the registry, for this test, by one that always finds "<id> judged"."""

    def replace(rule_id: str) -> Rule:
        return judging_always(monkeypatch, rule_id)

    return replace


def test_every_lint_rule_of_the_registry_is_a_loaded_cfn_lint_rule_that_asks_the_registry() -> None:
    for rule in rules.carried_by(Enforcer.LINT):
        loaded = LOADED_LINT_RULES[rule.id]
        assert isinstance(loaded, RegistryRule), rule.id
        assert loaded.registry_rule is rule
        assert (loaded.shortdesc, loaded.source_url) == (rule.title, rule.documentation)
        assert tuple(loaded.resource_types) == rule.resource_types
    adapters = {i for i, loaded in LOADED_LINT_RULES.items() if isinstance(loaded, RegistryRule)}
    assert adapters == set(LINT_RULES)
    # A lint rule of a registry rule's id is that rule's adapter, not a copy of its checks.
    assert set(LOADED_LINT_RULES) & {rule.id for rule in RULES} == set(LINT_RULES)


@pytest.mark.parametrize("rule_id", LINT_RULES)
def test_lint_reports_what_the_registry_rule_finds(
    registry_judging: Callable[[str], Rule], rule_id: str
) -> None:
    rule = registry_judging(rule_id)
    resources = {f"Resource{i}": kind for i, kind in enumerate(rule.resource_types)}
    template = {
        "Resources": {name: {"Type": kind, "Properties": {}} for name, kind in resources.items()}
    }
    found = {(f.resource, f.message) for f in lint(template, [REGION]) if f.rule == rule_id}
    assert found == {(name, f"{rule_id} judged") for name in resources}


@pytest.mark.parametrize("rule_id", HANDLER_RULES)
def test_the_create_handler_refuses_what_the_registry_rule_finds(
    registry_judging: Callable[[str], Rule], rule_id: str
) -> None:
    registry_judging(rule_id)
    answer = resource(handler_request("CREATE", {}, stack_tags={"team": "keys"}), None)
    assert (answer["status"], answer["errorCode"]) == ("FAILED", "InvalidRequest")
    assert answer["message"] == f"{rule_id} judged"


@pytest.mark.parametrize("rule_id", UPDATE_RULES)
def test_an_update_is_refused_what_the_registry_rule_judged_on_updates_finds(
    registry_judging: Callable[[str], Rule], rule_id: str
) -> None:
    # The UPDATE handler asks KMS for the key first: tests/handlers/test_refusals.py has it refuse.
    registry_judging(rule_id)
    assert [p.message for p in refusal.changes_refused({}, {})] == [f"{rule_id} judged"]
    assert refusal.refused({}, region=REGION) == []


@pytest.mark.parametrize("rule_id", HOOK_RULES)
def test_the_hooks_fail_what_the_registry_rule_finds(
    registry_judging: Callable[[str], Rule], rule_id: str
) -> None:
    rule = registry_judging(rule_id)
    for kind in set(rule.resource_types) & set(TARGET_TYPES):
        verdict = judge(kind, {}, previous={}, update=True, region=REGION)
        (outcome,) = [o for o in verdict.outcomes if o.rule.id == rule_id]
        assert (outcome.status, outcome.sentences) == (Status.FAILED, (f"{rule_id} judged",))


# A bad model for each rule the handlers judge before any KMS call: its properties, and the
# stack-level tags CloudFormation asks to put on the key.
BAD_MODELS: dict[str, tuple[dict[str, Any], dict[str, str]]] = {
    "E9101": ({"KeySpec": "HMAC_256", "KeyUsage": "SIGN_VERIFY"}, {}),
    "E9102": ({"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY", "EnableKeyRotation": True}, {}),
    "E9103": ({"KeySpec": "SM2", "KeyUsage": "SIGN_VERIFY"}, {}),
    "E9104": ({"AliasName": "alias/aws/mine"}, {}),
    "E9108": ({"KeyPolicy": "{not json"}, {}),
    "refused-principal-lists": ({"KeyAdministrators": [f"arn:aws:iam::{ACCOUNT}:group/ops"]}, {}),
    "stack-tags": (
        {"Tags": [{"Key": "owner", "Value": "keys"}]},
        {f"stack-tag-{i}": "x" for i in range(49)},
    ),
    "refused-policy-principals": ({"KeyUsers": [f"arn:aws-cn:iam::{ACCOUNT}:role/app"]}, {}),
}


def test_every_rule_the_handlers_judge_before_kms_has_a_bad_model() -> None:
    assert set(BAD_MODELS) == set(HANDLER_RULES)


@pytest.mark.parametrize("rule_id", HANDLER_RULES)
def test_the_create_handler_refuses_a_bad_model_with_the_rules_sentences(rule_id: str) -> None:
    properties, stack_tags = BAD_MODELS[rule_id]
    stack = Stack("aws", ACCOUNT, stack_tags)
    sentences = [
        p.message for p in rules.rule(rule_id).problems(properties, region=REGION, stack=stack)
    ]
    assert sentences
    request = handler_request("CREATE", properties, region=REGION, stack_tags=stack_tags)
    answer = resource(request, None)
    assert (answer["status"], answer["errorCode"]) == ("FAILED", "InvalidRequest")
    assert all(sentence in answer["message"] for sentence in sentences), answer["message"]
