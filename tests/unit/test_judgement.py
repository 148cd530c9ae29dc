"""The hooks' judgement: which rules a target breaks, whether that fails the deploy, and what it
could not judge. Bad input is judged or skipped with a sentence, never a crash."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keyforge_kms_key.judgement import (
    FailOn,
    Settings,
    Status,
    hook_rules,
    judge,
    region_from_stack_id,
)
from keyforge_kms_key.rules import RULES, Enforcer

AWS = "AWS::KMS::Key"
KEYFORGE = "Keyforge::KMS::Key"
BAD_PAIR = {"KeySpec": "ECC_NIST_P256", "KeyUsage": "ENCRYPT_DECRYPT"}
PAIR_SENTENCE = (
    "KeyUsage ENCRYPT_DECRYPT is not valid for KeySpec ECC_NIST_P256: ECC_NIST_P256 keys allow "
    "SIGN_VERIFY or KEY_AGREEMENT."
)
NO_ROTATION = {"KeySpec": "SYMMETRIC_DEFAULT", "EnableKeyRotation": "false"}


@pytest.mark.parametrize("kind", [AWS, KEYFORGE])
def test_a_broken_rule_fails_with_lints_sentence(kind: str) -> None:
    verdict = judge(kind, BAD_PAIR, logical_id="Key", region="us-east-1")

    assert not verdict.compliant
    assert [(o.rule.id, o.sentences) for o in verdict.failing] == [("E9101", (PAIR_SENTENCE,))]
    assert verdict.message().startswith(f"{kind} Key breaks 1 Keyforge rule: E9101 {PAIR_SENTENCE}")


@pytest.mark.parametrize("kind", [AWS, KEYFORGE])
def test_a_valid_key_passes_every_rule(kind: str) -> None:
    verdict = judge(
        kind,
        {"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"},
        logical_id="Key",
        region="us-east-1",
    )

    assert verdict.compliant
    assert {o.status for o in verdict.outcomes} == {Status.PASSED}
    assert verdict.message() == f"{kind} Key keeps the Keyforge rules."


def test_cloudformations_text_is_read_as_the_booleans_and_numbers_it_stands_for() -> None:
    rotating = {"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY", "EnableKeyRotation": "true"}
    period = {"RotationPeriodInDays": "90", "EnableKeyRotation": "true"}

    assert [o.rule.id for o in judge(AWS, rotating).failing] == ["E9102"]
    assert judge(AWS, period).compliant
    assert judge(KEYFORGE, period).compliant


def test_a_warning_passes_unless_the_configuration_fails_on_warnings() -> None:
    warned = judge(AWS, NO_ROTATION, logical_id="Key")
    strict = judge(AWS, NO_ROTATION, settings=Settings(FailOn.WARNING))

    assert warned.compliant
    assert [o.rule.id for o in warned.broken] == ["W9111"]
    assert "Warnings: W9111 EnableKeyRotation is false on a key KMS can rotate" in (
        warned.message()
    )
    assert not strict.compliant
    assert [o.rule.id for o in strict.failing] == ["W9111"]


def test_a_rule_switched_off_is_skipped_and_said() -> None:
    verdict = judge(AWS, BAD_PAIR, settings=Settings(disabled=frozenset({"E9101"})))

    assert verdict.compliant
    (off,) = [o for o in verdict.outcomes if o.rule.id == "E9101"]
    assert off.status is Status.SKIPPED
    assert "E9101 not judged: switched off by the type configuration" in verdict.message()


def test_the_settings_say_what_they_do_not_understand() -> None:
    settings, notes = Settings.read("warning", "E9101, W9111 E9999")
    assert settings == Settings(FailOn.WARNING, frozenset({"E9101", "W9111"}))
    assert notes == [
        "DisabledRules names E9999, which the hook does not carry: its rules are E9101, E9102, "
        "E9103, E9104, E9108, E9109, W9111, update-immutable."
    ]
    settings, notes = Settings.read("LOUD", 7)
    assert settings == Settings()
    assert len(notes) == 2
    assert Settings.read(None, ["E9102"])[0].disabled == {"E9102"}


def test_a_target_type_the_hook_does_not_handle_is_not_judged() -> None:
    verdict = judge("AWS::S3::Bucket", {"BucketName": "b"})

    assert verdict.compliant
    assert verdict.outcomes == ()
    assert "AWS::S3::Bucket is not judged" in verdict.message()


@pytest.mark.parametrize("properties", ["text", ["KeySpec"], 5, True])
@pytest.mark.parametrize("kind", [AWS, KEYFORGE])
def test_properties_that_are_not_an_object_are_skipped_with_a_sentence(
    kind: str, properties: Any
) -> None:
    verdict = judge(kind, properties)

    assert verdict.compliant
    assert {o.status for o in verdict.outcomes} == {Status.SKIPPED}
    assert "not an object" in verdict.message()


def test_no_properties_are_a_default_key() -> None:
    verdict = judge(AWS, None)
    assert verdict.compliant
    assert [o.rule.id for o in verdict.broken] == ["W9111"]


def test_intrinsic_functions_left_unresolved_are_skipped_and_said() -> None:
    verdict = judge(
        AWS, {"KeySpec": {"Ref": "Spec"}, "KeyUsage": "ENCRYPT_DECRYPT", "Tags": [{"Ref": "T"}]}
    )

    assert verdict.compliant
    assert "KeySpec, Tags hold an intrinsic function CloudFormation did not resolve" in (
        verdict.message()
    )


def test_unknown_properties_are_named_for_aws_and_refused_by_the_keyforge_schema() -> None:
    aws = judge(AWS, {"Colour": "blue"})
    keyforge = judge(KEYFORGE, {"Colour": "blue"})

    assert aws.compliant
    assert "Colour is not a property of AWS::KMS::Key: not judged." in aws.message()
    assert [o.rule.id for o in keyforge.failing] == ["E9108"]
    assert "Colour is not a property of Keyforge::KMS::Key" in keyforge.message()


def test_the_region_is_the_stacks_and_its_rules_wait_for_it() -> None:
    arn = "arn:aws-cn:cloudformation:cn-north-1:123456789012:stack/keys/0a1b"
    assert region_from_stack_id(arn) == "cn-north-1"
    assert region_from_stack_id("7d0e9a3c-token") is None
    assert region_from_stack_id(None) is None

    sm2 = {"KeySpec": "SM2", "KeyUsage": "SIGN_VERIFY"}
    assert judge(KEYFORGE, sm2, region="cn-north-1").compliant
    assert [o.rule.id for o in judge(KEYFORGE, sm2, region="us-east-1").failing] == ["E9103"]
    unknown = judge(KEYFORGE, sm2)
    assert unknown.compliant
    assert "the stack's Region is unknown, so E9103 did not check" in unknown.message()


def test_an_update_may_not_change_what_kms_fixes_at_creation() -> None:
    before = {"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"}
    after = {"KeySpec": "RSA_3072", "KeyUsage": "SIGN_VERIFY"}

    verdict = judge(AWS, after, previous=before, update=True)
    assert [o.rule.id for o in verdict.failing] == ["update-immutable"]
    assert "KeySpec cannot change from RSA_2048 to RSA_3072" in verdict.message()
    assert judge(AWS, after, previous=after, update=True).compliant
    assert "update-immutable" not in {o.rule.id for o in judge(AWS, after).outcomes}


def test_previous_properties_that_are_not_an_object_are_said_and_the_rest_judged() -> None:
    verdict = judge(AWS, BAD_PAIR, previous="old", update=True)

    assert [o.rule.id for o in verdict.failing] == ["E9101"]
    assert "the previous properties are old (str), not an object." in verdict.message()


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=8)
    | st.sampled_from(["true", "90"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["Ref", "Fn::If", "Statement", "Resource", "Key"]), inner)
    ),
    max_leaves=12,
)
NAMES = st.sampled_from(
    [
        "KeySpec",
        "KeyUsage",
        "Origin",
        "EnableKeyRotation",
        "RotationPeriodInDays",
        "KeyPolicy",
        "Tags",
        "MultiRegion",
        "AliasName",
        "KeyAdministrators",
        "ReplicaRegions",
        "Other",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    kind=st.sampled_from([AWS, KEYFORGE, "AWS::S3::Bucket"]),
    properties=st.dictionaries(NAMES, JSON, max_size=6) | JSON,
    previous=st.dictionaries(NAMES, JSON, max_size=4) | JSON,
)
def test_any_properties_are_judged_or_skipped_never_raised(
    kind: str, properties: Any, previous: Any
) -> None:
    verdict = judge(kind, properties, previous=previous, update=True, region="us-east-1")
    assert verdict.message()
    for outcome in verdict.outcomes:
        assert outcome.status is not Status.SKIPPED or outcome.note


def test_annotations_state_each_rule() -> None:
    verdict = judge(AWS, BAD_PAIR, logical_id="Key", region="us-east-1")
    annotations = {a["annotationName"]: a for a in verdict.annotations()}

    assert set(annotations) == {rule.id for rule in hook_rules(AWS)} - {"update-immutable"}
    assert annotations["E9101"]["status"] == "FAILED"
    assert annotations["E9101"]["statusMessage"] == PAIR_SENTENCE
    assert annotations["E9101"]["severityLevel"] == "HIGH"
    assert annotations["E9102"]["status"] == "PASSED"
    updated = judge(AWS, BAD_PAIR, previous=BAD_PAIR, update=True).annotations()
    assert {a["annotationName"]: a["status"] for a in updated}["update-immutable"] == "PASSED"


def test_a_long_message_is_cut_to_what_cloudformation_shows() -> None:
    tags = [{"Key": f"k{index}", "Value": "v"} for index in range(60)]
    policy = {"Statement": [{"Effect": "Allow", "Resource": f"arn:{i}"} for i in range(40)]}
    verdict = judge(AWS, {**BAD_PAIR, "Tags": tags, "KeyPolicy": policy})
    assert len(verdict.message()) <= 4000
    assert verdict.message().endswith("...")


def test_the_hooks_judge_every_rule_the_registry_gives_them() -> None:
    carried = {rule.id for rule in RULES if Enforcer.HOOK in rule.enforcers}
    assert {rule.id for rule in hook_rules()} == carried
    assert {rule.id for rule in hook_rules(AWS)} | {rule.id for rule in hook_rules(KEYFORGE)} == (
        carried
    )
