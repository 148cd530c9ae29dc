"""The shared validation: every rule with its exact message, defaults applied,
intrinsic functions skipped, and every valid key validating clean."""

from __future__ import annotations

import datetime
import json
import string
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keyforge_kms_key import validation
from keyforge_kms_key.policy_grammar import is_literal
from keyforge_kms_key.validation import Problem, immutable_changes, tag_problems, validate
from tests.messages import LOCK_OUT
from tests.reference import AGREE, ALL_USAGES, ENC, KEM, MAC, SIGN, allowed_usages
from tests.reference import CHINA_REGIONS as CHINA
from tests.reference import KEY_SPECS as REFERENCE_SPECS

# The usages the reference allows per key spec, in the order the messages list them.
ALLOWED = {spec: allowed_usages(spec) for spec in REFERENCE_SPECS}
ALLOWED_TEXT = {
    (ENC,): "only ENCRYPT_DECRYPT",
    (SIGN,): "only SIGN_VERIFY",
    (MAC,): "only GENERATE_VERIFY_MAC",
    (KEM,): "only ENCAPSULATE_DECAPSULATE",
    (ENC, SIGN): "ENCRYPT_DECRYPT or SIGN_VERIFY",
    (SIGN, AGREE): "SIGN_VERIFY or KEY_AGREEMENT",
    (ENC, SIGN, AGREE): "ENCRYPT_DECRYPT, SIGN_VERIFY or KEY_AGREEMENT",
}
SPECS = tuple(ALLOWED)
VALID_PAIRS = [(spec, usage) for spec in SPECS for usage in ALLOWED[spec]]
INVALID_PAIRS = [(s, u) for s in SPECS for u in ALL_USAGES if u not in ALLOWED[s]]
NOT_CHINA = ("us-east-1", "eu-west-2", "ap-northeast-1", "us-gov-west-1")
ML_DSA = ("ML_DSA_44", "ML_DSA_65", "ML_DSA_87")
ML_KEM = ("ML_KEM_512", "ML_KEM_768", "ML_KEM_1024")
ROTATION_RULE = "automatic rotation exists only for SYMMETRIC_DEFAULT keys with Origin AWS_KMS"
ADMIN = "arn:aws:iam::111122223333:role/KeyAdmin"
USER = "arn:aws:iam::111122223333:role/App"
POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Action": "kms:*",
            "Resource": "*",
        }
    ],
}


def region_for(spec: str) -> str:
    return "cn-north-1" if spec == "SM2" else "us-east-1"


def messages(problems: list[Problem]) -> list[str]:
    return [problem.message for problem in problems]


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, messages(problems)
    return problems[0]


# ---------------------------------------------------------------------------
# KeySpec and KeyUsage


def test_pair_families_cover_the_100_pairs() -> None:
    assert len(VALID_PAIRS) == 28
    assert len(INVALID_PAIRS) == 72


@pytest.mark.parametrize(("spec", "usage"), INVALID_PAIRS)
def test_invalid_pair(spec: str, usage: str) -> None:
    problem = only(validate({"KeySpec": spec, "KeyUsage": usage}, region_for(spec)))
    assert problem.path == ("KeyUsage",)
    assert problem.value == usage
    assert problem.message == (
        f"KeyUsage {usage} is not valid for KeySpec {spec}: "
        f"{spec} keys allow {ALLOWED_TEXT[ALLOWED[spec]]}."
    )


@pytest.mark.parametrize("spec", [s for s in SPECS if ENC not in ALLOWED[s]])
def test_spec_without_usage_gets_encrypt_decrypt(spec: str) -> None:
    problem = only(validate({"KeySpec": spec}, region_for(spec)))
    assert problem.path == ("KeySpec",)
    assert problem.value == spec
    assert problem.message == (
        f"KeyUsage (not set, so ENCRYPT_DECRYPT) is not valid for KeySpec {spec}: "
        f"{spec} keys allow {ALLOWED_TEXT[ALLOWED[spec]]}."
    )


@pytest.mark.parametrize("spec", [s for s in SPECS if ENC in ALLOWED[s]])
def test_spec_without_usage_that_encrypts_is_valid(spec: str) -> None:
    assert validate({"KeySpec": spec}, region_for(spec)) == []


@pytest.mark.parametrize("usage", [SIGN, MAC, AGREE, KEM])
def test_usage_without_spec_gets_symmetric_default(usage: str) -> None:
    problem = only(validate({"KeyUsage": usage}))
    assert problem.path == ("KeyUsage",)
    assert problem.message == (
        f"KeyUsage {usage} is not valid for KeySpec (not set, so SYMMETRIC_DEFAULT): "
        "SYMMETRIC_DEFAULT keys allow only ENCRYPT_DECRYPT."
    )


def test_nothing_set_is_a_symmetric_encryption_key() -> None:
    assert validate({}) == []
    assert validate({}, "us-east-1") == []
    assert validate({"KeyUsage": ENC}) == []
    assert validate({"KeySpec": "SYMMETRIC_DEFAULT"}) == []


@pytest.mark.parametrize(("spec", "usage"), VALID_PAIRS)
def test_valid_pair(spec: str, usage: str) -> None:
    assert validate({"KeySpec": spec, "KeyUsage": usage}, region_for(spec)) == []
    assert validate({"KeySpec": spec, "KeyUsage": usage}) == []


def test_unknown_key_spec_is_reported_once() -> None:
    problem = only(validate({"KeySpec": "RSA_1024", "KeyUsage": SIGN}))
    assert problem.path == ("KeySpec",)
    assert problem.message == (
        "KeySpec RSA_1024 is not a KMS key spec: allowed are " + ", ".join(SPECS) + "."
    )


def test_unknown_key_usage_is_reported_once() -> None:
    problem = only(validate({"KeyUsage": "ENCRYPT"}))
    assert problem.path == ("KeyUsage",)
    assert problem.message == (
        "KeyUsage ENCRYPT is not a KMS key usage: allowed are "
        "ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC, KEY_AGREEMENT, "
        "ENCAPSULATE_DECAPSULATE."
    )


# ---------------------------------------------------------------------------
# Rotation


NOT_ROTATABLE = [(spec, ALLOWED[spec][0]) for spec in SPECS if spec != "SYMMETRIC_DEFAULT"]


@pytest.mark.parametrize(("spec", "usage"), NOT_ROTATABLE)
def test_rotation_on_a_key_that_cannot_rotate(spec: str, usage: str) -> None:
    props = {"KeySpec": spec, "KeyUsage": usage, "EnableKeyRotation": True}
    problem = only(validate(props, region_for(spec)))
    assert problem.path == ("EnableKeyRotation",)
    assert problem.message == (
        f"EnableKeyRotation true is not allowed for KeySpec {spec}: {ROTATION_RULE}."
    )


@pytest.mark.parametrize(("spec", "usage"), NOT_ROTATABLE)
def test_rotation_false_is_fine_on_any_key(spec: str, usage: str) -> None:
    props = {"KeySpec": spec, "KeyUsage": usage, "EnableKeyRotation": False}
    assert validate(props, region_for(spec)) == []


@pytest.mark.parametrize(("spec", "usage"), NOT_ROTATABLE)
def test_rotation_period_on_a_key_that_cannot_rotate(spec: str, usage: str) -> None:
    props = {"KeySpec": spec, "KeyUsage": usage, "RotationPeriodInDays": 180}
    problem = only(validate(props, region_for(spec)))
    assert problem.path == ("RotationPeriodInDays",)
    assert problem.message == (
        f"RotationPeriodInDays 180 is not allowed for KeySpec {spec}: {ROTATION_RULE}."
    )


def test_rotation_and_period_on_an_rsa_key() -> None:
    props = {
        "KeySpec": "RSA_4096",
        "KeyUsage": SIGN,
        "EnableKeyRotation": True,
        "RotationPeriodInDays": 365,
    }
    assert messages(validate(props)) == [
        f"EnableKeyRotation true is not allowed for KeySpec RSA_4096: {ROTATION_RULE}.",
        f"RotationPeriodInDays 365 is not allowed for KeySpec RSA_4096: {ROTATION_RULE}.",
    ]


def test_rotation_with_imported_key_material() -> None:
    props = {"Origin": "EXTERNAL", "EnableKeyRotation": True, "RotationPeriodInDays": 90}
    assert messages(validate(props)) == [
        "EnableKeyRotation true is not allowed for Origin EXTERNAL (imported key material): "
        f"{ROTATION_RULE}.",
        "RotationPeriodInDays 90 is not allowed for Origin EXTERNAL (imported key material): "
        f"{ROTATION_RULE}.",
    ]


@pytest.mark.parametrize("rotation", [None, False])
def test_rotation_period_without_rotation(rotation: bool | None) -> None:
    props: dict[str, Any] = {"RotationPeriodInDays": 400}
    if rotation is not None:
        props["EnableKeyRotation"] = rotation
    problem = only(validate(props))
    assert problem.path == ("RotationPeriodInDays",)
    assert problem.value == 400
    assert problem.message == (
        "RotationPeriodInDays 400 needs EnableKeyRotation true: "
        "set EnableKeyRotation to true, or remove RotationPeriodInDays."
    )


@pytest.mark.parametrize("period", [None, 90, 365, 2560])
def test_rotation_of_a_symmetric_key(period: int | None) -> None:
    props: dict[str, Any] = {"EnableKeyRotation": True, "Origin": "AWS_KMS"}
    if period is not None:
        props["RotationPeriodInDays"] = period
    assert validate(props) == []
    assert validate({**props, "KeySpec": "SYMMETRIC_DEFAULT"}, "cn-north-1") == []


@pytest.mark.parametrize("period", [89, 2561, 0, -1])
def test_rotation_period_out_of_range(period: int) -> None:
    problem = only(validate({"EnableKeyRotation": True, "RotationPeriodInDays": period}))
    assert problem.path == ("RotationPeriodInDays",)
    assert problem.message == (
        f"RotationPeriodInDays {period} is out of range: allowed 90 to 2560."
    )


# ---------------------------------------------------------------------------
# Regions and origin


@pytest.mark.parametrize("region", NOT_CHINA)
@pytest.mark.parametrize("usage", ALLOWED["SM2"])
def test_sm2_outside_china(region: str, usage: str) -> None:
    problem = only(validate({"KeySpec": "SM2", "KeyUsage": usage}, region))
    assert problem.path == ("KeySpec",)
    assert problem.message == (
        f"KeySpec SM2 is not available in {region}: "
        "SM2 keys exist only in the China Regions (cn-north-1, cn-northwest-1)."
    )


@pytest.mark.parametrize("region", CHINA)
@pytest.mark.parametrize("usage", ALLOWED["SM2"])
def test_sm2_inside_china_is_fine(region: str, usage: str) -> None:
    assert validate({"KeySpec": "SM2", "KeyUsage": usage}, region) == []


@pytest.mark.parametrize("region", CHINA)
@pytest.mark.parametrize("spec", ML_KEM)
def test_ml_kem_inside_china(region: str, spec: str) -> None:
    problem = only(validate({"KeySpec": spec, "KeyUsage": KEM}, region))
    assert problem.path == ("KeySpec",)
    assert problem.message == (
        f"KeySpec {spec} is not available in {region}: "
        f"{spec} keys exist in every Region but the China Regions."
    )


@pytest.mark.parametrize("spec", ML_KEM)
def test_ml_kem_outside_china_is_fine(spec: str) -> None:
    for region in NOT_CHINA:
        assert validate({"KeySpec": spec, "KeyUsage": KEM}, region) == []


def test_without_a_region_no_region_rule_applies() -> None:
    assert validate({"KeySpec": "SM2", "KeyUsage": SIGN}) == []
    assert validate({"KeySpec": "ML_KEM_768", "KeyUsage": KEM}) == []


@pytest.mark.parametrize("region", [None, "us-east-1", "cn-north-1"])
@pytest.mark.parametrize("spec", ML_DSA)
def test_imported_ml_dsa_key(spec: str, region: str | None) -> None:
    problem = only(validate({"KeySpec": spec, "KeyUsage": SIGN, "Origin": "EXTERNAL"}, region))
    assert problem.path == ("Origin",)
    assert problem.value == "EXTERNAL"
    assert problem.message == (
        f"Origin EXTERNAL is not allowed for KeySpec {spec}: "
        f"KMS cannot import key material for {spec} keys; use Origin AWS_KMS."
    )


@pytest.mark.parametrize("region", CHINA)
@pytest.mark.parametrize(
    ("spec", "usage"),
    [(s, ALLOWED[s][0]) for s in SPECS if s not in ("SYMMETRIC_DEFAULT", *ML_DSA, *ML_KEM)],
)
def test_imported_non_symmetric_key_in_china(region: str, spec: str, usage: str) -> None:
    props = {"KeySpec": spec, "KeyUsage": usage, "Origin": "EXTERNAL"}
    problem = only(validate(props, region))
    assert problem.path == ("Origin",)
    assert problem.message == (
        f"Origin EXTERNAL is not allowed for KeySpec {spec}: in {region} only symmetric "
        "(SYMMETRIC_DEFAULT) key material can be imported; use Origin AWS_KMS."
    )


@pytest.mark.parametrize(
    ("spec", "usage"), [pair for pair in VALID_PAIRS if pair[0] not in (*ML_DSA, "SM2")]
)
def test_imported_key_outside_china_is_fine(spec: str, usage: str) -> None:
    props = {"KeySpec": spec, "KeyUsage": usage, "Origin": "EXTERNAL", "MultiRegion": True}
    assert validate(props, "us-east-1") == []
    assert validate(props) == []


@pytest.mark.parametrize("region", CHINA)
def test_imported_symmetric_key_in_china_is_fine(region: str) -> None:
    assert validate({"Origin": "EXTERNAL"}, region) == []


# ---------------------------------------------------------------------------
# Key policy


def test_key_policy_that_is_not_json() -> None:
    problem = only(validate({"KeyPolicy": '{"Version": "2012-10-17",}'}))
    assert problem.path == ("KeyPolicy",)
    assert problem.message == (
        "KeyPolicy is not valid JSON (Expecting property name enclosed in double quotes "
        "at line 1, column 26): it must be a JSON object."
    )


@pytest.mark.parametrize(
    ("text", "kind"), [("[1, 2]", "list"), ('"policy"', "str"), ("42", "int"), ("null", "NoneType")]
)
def test_key_policy_that_is_not_an_object(text: str, kind: str) -> None:
    problem = only(validate({"KeyPolicy": text}))
    assert problem.path == ("KeyPolicy",)
    assert problem.message == f"KeyPolicy is a JSON {kind}: it must be a JSON object."


def test_key_policy_of_the_wrong_type() -> None:
    problem = only(validate({"KeyPolicy": ["not", "a", "policy"]}))
    assert problem.message == "KeyPolicy must be of type object or string, not array."


def _policy_of_size(size: int) -> str:
    text = json.dumps({**POLICY, "Id": ""}, separators=(",", ":"))
    padded = text.replace('"Id":""', '"Id":"' + "x" * (size - len(text)) + '"')
    assert len(padded.encode()) == size
    return padded


def test_key_policy_at_the_size_limit() -> None:
    assert validate({"KeyPolicy": _policy_of_size(32768)}) == []
    assert validate({"KeyPolicy": json.loads(_policy_of_size(32768))}) == []


@pytest.mark.parametrize("as_object", [False, True])
def test_key_policy_over_the_size_limit(as_object: bool) -> None:
    text = _policy_of_size(32769)
    problem = only(validate({"KeyPolicy": json.loads(text) if as_object else text}))
    assert problem.path == ("KeyPolicy",)
    assert problem.message == "KeyPolicy is 32769 bytes: KMS allows at most 32768."


def test_key_policy_size_counts_bytes_not_characters() -> None:
    text = _policy_of_size(32766).replace("xx", "é", 1)  # 2 bytes, 1 character
    assert len(text.encode()) == 32766
    long_text = text.replace("xxx", "ééé", 1)  # 3 more bytes, same characters
    assert len(long_text) == len(text)
    assert validate({"KeyPolicy": text}) == []
    assert messages(validate({"KeyPolicy": long_text})) == [
        "KeyPolicy is 32769 bytes: KMS allows at most 32768."
    ]


def test_values_only_yaml_has_are_read_as_cloudformation_reads_them() -> None:
    # An unquoted 2012-10-17 in YAML is a date to the decoder; keys can be numbers.
    policy = {**POLICY, "Version": datetime.date(2012, 10, 17)}
    assert validate({"KeyPolicy": policy}) == []
    odd_keys = {**policy, 7: None, True: [1.5]}
    assert json.loads(validation.policy_text(odd_keys)) == {
        **POLICY,
        "Version": "2012-10-17",
        "7": None,
        "true": [1.5],
    }
    assert validation.json_value(POLICY) is POLICY  # plain JSON is not copied
    assert validation.describe({1: datetime.datetime(2025, 8, 18, 12, 0), "a": b"x"}) == (
        '{"1": "2025-08-18T12:00:00", "a": "x"}'
    )


@pytest.mark.parametrize(
    ("builders", "names"),
    [
        ({"KeyAdministrators": [ADMIN]}, "KeyAdministrators"),
        ({"KeyUsers": [USER]}, "KeyUsers"),
        ({"ExternalAccounts": ["444455556666"]}, "ExternalAccounts"),
        ({"AllowKeyAdministratorsToDelete": True}, "AllowKeyAdministratorsToDelete"),
        (
            {
                "KeyAdministrators": [ADMIN],
                "KeyUsers": [USER],
                "ExternalAccounts": ["444455556666"],
            },
            "KeyAdministrators, KeyUsers, ExternalAccounts",
        ),
    ],
)
def test_key_policy_with_builder_properties(builders: dict[str, Any], names: str) -> None:
    problem = only(validate({"KeyPolicy": POLICY, **builders}))
    assert problem.path == ("KeyPolicy",)
    assert problem.message == (
        f"KeyPolicy cannot be combined with {names}: either write the whole key policy in "
        "KeyPolicy, or let KeyAdministrators, KeyUsers, ExternalAccounts and "
        "AllowKeyAdministratorsToDelete build it."
    )


def test_key_policy_alone_and_builders_alone_are_fine() -> None:
    assert validate({"KeyPolicy": POLICY}) == []
    assert validate({"KeyPolicy": json.dumps(POLICY)}) == []
    builders = {
        "KeyAdministrators": [ADMIN],
        "KeyUsers": [USER],
        "ExternalAccounts": ["444455556666"],
        "AllowKeyAdministratorsToDelete": False,
    }
    assert validate(builders) == []


ROOT = POLICY["Statement"][0]


def _statement(**fields: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Principal": {"AWS": ADMIN}, "Resource": "*", **fields}


# Policies KMS accepts, however they let someone change the policy.
@pytest.mark.parametrize(
    "statements",
    [
        pytest.param([ROOT], id="account-root-kms-star"),
        pytest.param(ROOT, id="one-statement-not-in-a-list"),
        pytest.param([_statement(Action="*")], id="star"),
        pytest.param([_statement(Action=["kms:Create*", "kms:Put*"])], id="console-admins"),
        pytest.param([_statement(Action="kms:putkeypolicy")], id="any-case"),
        pytest.param([_statement(Action="kms:*Policy")], id="wildcard-inside"),
        pytest.param([_statement(Action="kms:Put?eyPolicy")], id="question-mark"),
        pytest.param([_statement(NotAction="kms:Decrypt")], id="not-action-without-it"),
        pytest.param(
            [_statement(Action="kms:*", Condition={"Bool": {"aws:MultiFactorAuthPresent": True}})],
            id="condition-on-the-grant",
        ),
        pytest.param(
            [ROOT, _statement(Effect="Deny", Principal="*", Action="kms:Put*", Condition={})],
            id="deny-with-condition",
        ),
        pytest.param(
            [
                ROOT,
                {"Effect": "Deny", "NotPrincipal": {"AWS": ADMIN}, "Action": "kms:*"},
            ],
            id="deny-with-not-principal",
        ),
        pytest.param(
            [ROOT, _statement(Effect="Deny", Principal="*", Action="kms:Decrypt")],
            id="deny-of-other-actions",
        ),
        pytest.param([{**ROOT, "Resource": ["*"]}], id="resource-star-in-a-list"),
        pytest.param([{**ROOT, "Resource": {"Ref": "Anything"}}], id="resource-unresolved"),
        pytest.param([{**ROOT, "Action": {"Ref": "Actions"}}], id="actions-unresolved"),
        pytest.param([{"Fn::If": ["Shared", ROOT, {"Ref": "AWS::NoValue"}]}], id="statement-if"),
        pytest.param({"Fn::If": ["Shared", [ROOT], []]}, id="statements-if"),
    ],
)
def test_key_policy_that_kms_accepts(statements: Any) -> None:
    assert validate({"KeyPolicy": {"Version": "2012-10-17", "Statement": statements}}) == []


def test_key_policy_lock_out() -> None:
    use_only = [_statement(Action=["kms:Encrypt", "kms:Decrypt"])]
    for policy in (
        {"Statement": []},
        {"Statement": use_only},
        {"Statement": [_statement(NotAction=["kms:Put*", "kms:Decrypt"])]},
        {"Statement": [_statement(Effect="Deny", Action="kms:*"), *use_only]},
    ):
        problem = only(validate({"KeyPolicy": policy}))
        assert problem.message == LOCK_OUT
        assert problem.path == (
            ("KeyPolicy", "Statement") if "Statement" in policy else ("KeyPolicy",)
        )
        assert only(validate({"KeyPolicy": json.dumps(policy)})).path == ("KeyPolicy",)
        assert validate({"KeyPolicy": policy, "BypassPolicyLockoutSafetyCheck": True}) == []
        # A bypass written with an intrinsic function may be true: nothing certain to report.
        assert validate({"KeyPolicy": policy, "BypassPolicyLockoutSafetyCheck": {"Ref": "B"}}) == []


@pytest.mark.parametrize("principal", ["*", {"AWS": "*"}, {"AWS": [ADMIN, "*"]}])
def test_key_policy_denying_everyone_the_change(principal: Any) -> None:
    deny = _statement(Sid="Frozen", Effect="Deny", Principal=principal, Action="kms:Put*")
    problem = only(validate({"KeyPolicy": {"Statement": [ROOT, deny]}}))
    assert problem.path == ("KeyPolicy", "Statement", 1)
    assert problem.message == (
        "KeyPolicy statement 'Frozen' denies kms:PutKeyPolicy to every principal without a "
        "Condition: nobody could change the policy afterwards, so KMS's lock-out safety check "
        "refuses it. Leave kms:PutKeyPolicy out of what it denies, or add a Condition."
    )


def test_key_policy_statement_without_action() -> None:
    audit = {"Sid": "Audit", "Effect": "Allow", "Principal": {"AWS": ADMIN}, "Resource": "*"}
    problem = only(validate({"KeyPolicy": {"Statement": [ROOT, audit]}}))
    assert problem.path == ("KeyPolicy", "Statement", 1)
    assert problem.message == (
        "KeyPolicy statement 'Audit' has neither Action nor NotAction: KMS refuses such a key "
        "policy (MalformedPolicyDocumentException). Name the actions the statement allows "
        "or denies."
    )


@pytest.mark.parametrize(
    ("resource", "shown"),
    [
        ("arn:aws:kms:us-east-1:111122223333:key/1", "arn:aws:kms:us-east-1:111122223333:key/1"),
        (["*", "arn:aws:kms:*:111122223333:key/*"], '["*", "arn:aws:kms:*:111122223333:key/*"]'),
        ({"Fn::GetAtt": ["Key", "Arn"]}, '{"Fn::GetAtt": ["Key", "Arn"]}'),
        ({"Fn::Sub": "arn:${AWS::Partition}:kms:*:${AWS::AccountId}:key/*"}, None),
    ],
)
def test_key_policy_resource_other_than_star(resource: Any, shown: str | None) -> None:
    problem = only(validate({"KeyPolicy": {"Statement": [{**ROOT, "Resource": resource}]}}))
    assert problem.path == ("KeyPolicy", "Statement", 0, "Resource")
    shown = shown or resource["Fn::Sub"]
    assert problem.message == (
        f"KeyPolicy statement 0 has Resource {shown}: in a key policy the only Resource KMS "
        'accepts is "*" (the key itself); KMS refuses such a key policy '
        '(MalformedPolicyDocumentException). Write Resource: "*".'
    )


def test_a_sub_of_star_or_of_a_reference_alone_may_be_star() -> None:
    for resource in ({"Fn::Sub": "*"}, {"Fn::Sub": "${Resource}"}, {"Fn::Sub": ["${R}", {}]}):
        assert validate({"KeyPolicy": {"Statement": [{**ROOT, "Resource": resource}]}}) == []


def test_allow_administrators_to_delete_false_without_administrators() -> None:
    problem = only(validate({"AllowKeyAdministratorsToDelete": False, "KeyUsers": [USER]}))
    assert problem.path == ("AllowKeyAdministratorsToDelete",)
    assert problem.message == (
        "AllowKeyAdministratorsToDelete false has no effect without KeyAdministrators: "
        "name the administrators whose deletion rights it removes, or leave it out."
    )


# ---------------------------------------------------------------------------
# Principals


@pytest.mark.parametrize(
    ("name", "entry"),
    [("KeyAdministrators", ADMIN), ("KeyUsers", USER), ("ExternalAccounts", "444455556666")],
)
def test_duplicate_principals(name: str, entry: str) -> None:
    other = "arn:aws:iam::111122223333:user/other" if name != "ExternalAccounts" else "777788889999"
    problem = only(validate({name: [entry, other, entry]}))
    assert problem.path == (name, 2)
    assert problem.value == entry
    assert problem.message == (
        f"{name}[2] {entry} is already listed as {name}[0]: list each entry once."
    )


def test_account_root_as_key_user() -> None:
    root = "arn:aws:iam::444455556666:root"
    problem = only(validate({"KeyUsers": [USER, root]}))
    assert problem.path == ("KeyUsers", 1)
    assert problem.message == (
        f"KeyUsers[1] {root} is an account root: list the account id in ExternalAccounts "
        "instead (the account itself already has full access through the key policy's "
        "first statement)."
    )


def test_same_principal_as_administrator_and_user_is_fine() -> None:
    assert validate({"KeyAdministrators": [ADMIN], "KeyUsers": [ADMIN]}) == []


# ---------------------------------------------------------------------------
# Tags


def _tags(count: int) -> list[dict[str, str]]:
    return [{"Key": f"key-{index}", "Value": f"value-{index}"} for index in range(count)]


def test_forty_nine_tags_are_fine() -> None:
    assert validate({"Tags": _tags(49)}) == []


def test_fifty_tags_leave_no_room_for_the_creation_token() -> None:
    problem = only(validate({"Tags": _tags(50)}))
    assert problem.path == ("Tags",)
    assert problem.value == 50
    assert problem.message == (
        "Tags has 50 tags: KMS allows at most 50 per key, and Keyforge keeps one of them for "
        "the tag keyforge:creation-token."
    )


def test_fifty_one_tags_on_an_aws_kms_key() -> None:
    problem = only(tag_problems({"Tags": _tags(51)}, limit=50))
    assert problem.message == "Tags has 51 tags: KMS allows at most 50 per key."
    assert tag_problems({"Tags": _tags(50)}, limit=50) == []


def test_the_creation_token_tag_is_keyforges() -> None:
    problem = only(validate({"Tags": [{"Key": "keyforge:creation-token", "Value": "x"}]}))
    assert problem.path == ("Tags", 0, "Key")
    assert "the tag Keyforge puts on every key it makes" in problem.message


def test_duplicate_tag_keys() -> None:
    tags = [
        {"Key": "team", "Value": "a"},
        {"Key": "env", "Value": ""},
        {"Key": "team", "Value": "b"},
    ]
    problem = only(validate({"Tags": tags}))
    assert problem.path == ("Tags", 2, "Key")
    assert problem.message == (
        "Tags[2].Key team is also the key of Tags[0]: each tag key may appear once."
    )


def test_tag_keys_differing_in_case_are_different_keys() -> None:
    assert validate({"Tags": [{"Key": "Team", "Value": ""}, {"Key": "team", "Value": ""}]}) == []


def test_reserved_tag_key() -> None:
    problem = only(
        validate({"Tags": [{"Key": "ok", "Value": ""}, {"Key": "aws:team", "Value": ""}]})
    )
    assert problem.path == ("Tags", 1, "Key")
    assert problem.message == (
        "Tags[1].Key aws:team begins with aws:, which is reserved for AWS: "
        "choose a key without that prefix."
    )


def test_tag_key_and_value_lengths() -> None:
    assert validate({"Tags": [{"Key": "k" * 128, "Value": "v" * 256}]}) == []
    assert validate({"Tags": [{"Key": "k", "Value": ""}]}) == []
    assert messages(validate({"Tags": [{"Key": "k" * 129, "Value": "v" * 257}]})) == [
        "Tags[0].Key is 129 characters long: allowed 1 to 128.",
        "Tags[0].Value is 257 characters long: allowed 0 to 256.",
    ]
    assert messages(validate({"Tags": [{"Key": "", "Value": "v"}]})) == [
        "Tags[0].Key is 0 characters long: allowed 1 to 128."
    ]


# ---------------------------------------------------------------------------
# Alias


@pytest.mark.parametrize("alias", ["my-key", "alias/", "alias/my key", "alias/my.key", "ALIAS/x"])
def test_alias_that_does_not_match_the_pattern(alias: str) -> None:
    problem = only(validate({"AliasName": alias}))
    assert problem.path == ("AliasName",)
    assert problem.message == (
        f"AliasName {alias} is not a valid alias name: it must be alias/ followed by "
        "letters, digits, /, _ and - (for example alias/my-app/signing)."
    )


def test_reserved_alias_prefix() -> None:
    problem = only(validate({"AliasName": "alias/aws/s3"}))
    assert problem.message == (
        "AliasName alias/aws/s3 begins with alias/aws/, which is reserved for AWS managed "
        "keys: choose a name outside alias/aws/."
    )


def test_alias_of_257_characters() -> None:
    alias = "alias/" + "a" * 251
    assert len(alias) == 257
    problem = only(validate({"AliasName": alias}))
    assert problem.path == ("AliasName",)
    assert problem.message == (
        f"AliasName {alias[:57]}... is 257 characters long: at most 256 allowed."
    )


def test_alias_of_256_characters_is_fine() -> None:
    assert validate({"AliasName": "alias/" + "a" * 250}) == []
    assert validate({"AliasName": "alias/awsome/key"}) == []


# ---------------------------------------------------------------------------
# The schema


WRITABLE = (
    "Description, Enabled, EnableKeyRotation, RotationPeriodInDays, KeyPolicy, KeyUsage, "
    "KeySpec, Origin, MultiRegion, ReplicaRegions, PendingWindowInDays, Tags, "
    "BypassPolicyLockoutSafetyCheck, "
    "AliasName, KeyAdministrators, KeyUsers, ExternalAccounts, AllowKeyAdministratorsToDelete"
)


def test_unknown_property() -> None:
    problem = only(validate({"KeyRotation": True}))
    assert problem.path == ("KeyRotation",)
    assert problem.message == (
        f"KeyRotation is not a property of Keyforge::KMS::Key: allowed are {WRITABLE}."
    )


def test_unknown_properties() -> None:
    problem = only(validate({"Zeta": 1, "Alpha": 2}))
    assert problem.path == ("Zeta",)  # the first one written
    assert problem.message == (
        f"Alpha, Zeta are not properties of Keyforge::KMS::Key: allowed are {WRITABLE}."
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("Enabled", "true", "Enabled must be of type boolean, not string."),
        ("MultiRegion", 1, "MultiRegion must be of type boolean, not number."),
        ("PendingWindowInDays", "7", "PendingWindowInDays must be of type integer, not string."),
        ("Description", 5, "Description must be of type string, not number."),
        ("Tags", {"Key": "a"}, "Tags must be of type array, not object."),
        ("KeyAdministrators", ADMIN, "KeyAdministrators must be of type array, not string."),
    ],
)
def test_wrong_type(name: str, value: object, message: str) -> None:
    problem = only(validate({name: value}))
    assert problem.path == (name,)
    assert problem.message == message


def test_origin_outside_the_enum() -> None:
    problem = only(validate({"Origin": "AWS_CLOUDHSM"}))
    assert problem.message == "Origin AWS_CLOUDHSM is not allowed: allowed are AWS_KMS, EXTERNAL."


@pytest.mark.parametrize("days", [6, 31, 0])
def test_pending_window_out_of_range(days: int) -> None:
    problem = only(validate({"PendingWindowInDays": days}))
    assert problem.path == ("PendingWindowInDays",)
    assert problem.message == f"PendingWindowInDays {days} is out of range: allowed 7 to 30."


@pytest.mark.parametrize("days", [7, 30])
def test_pending_window_in_range(days: int) -> None:
    assert validate({"PendingWindowInDays": days}) == []


def test_description_over_8192_characters_is_not_echoed() -> None:
    secret = "TOP-SECRET-DETAIL "
    description = (secret * 500)[:8193]
    problem = only(validate({"Description": description}))
    assert problem.path == ("Description",)
    assert problem.message == "Description is 8193 characters long: allowed 0 to 8192."
    assert "TOP-SECRET" not in problem.message


def test_description_of_8192_characters_is_fine() -> None:
    assert validate({"Description": "d" * 8192}) == []
    assert validate({"Description": ""}) == []


def test_principal_and_account_patterns() -> None:
    assert messages(validate({"ExternalAccounts": ["12345"]})) == [
        "ExternalAccounts[0] 12345 does not match the pattern ^[0-9]{12}$."
    ]
    [message] = messages(validate({"KeyUsers": ["app-role"]}))
    assert message.startswith("KeyUsers[0] app-role does not match the pattern ^arn:aws")


def test_every_problem_is_reported_at_once() -> None:
    props = {
        "KeySpec": "ECC_NIST_P256",
        "EnableKeyRotation": True,
        "PendingWindowInDays": 3,
        "Tags": [{"Key": "aws:x", "Value": ""}],
        "AliasName": "alias/aws/x",
    }
    assert [problem.path for problem in validate(props)] == [
        ("PendingWindowInDays",),
        ("KeySpec",),
        ("EnableKeyRotation",),
        ("Tags", 0, "Key"),
        ("AliasName",),
    ]


# ---------------------------------------------------------------------------
# Intrinsic functions


REF = {"Ref": "Parameter"}
WRITABLE_NAMES = WRITABLE.split(", ")


@pytest.mark.parametrize("name", WRITABLE_NAMES)
def test_a_reference_is_never_a_finding(name: str) -> None:
    assert validate({name: REF}, "us-east-1") == []
    assert validate({name: {"Fn::If": ["Cond", "a", "b"]}}) == []


@pytest.mark.parametrize(
    "props",
    [
        {"KeySpec": REF, "KeyUsage": SIGN},
        {"KeySpec": "ECC_NIST_P256", "KeyUsage": REF},
        {"KeySpec": "ECC_NIST_P256"} | {"KeyUsage": {"Fn::FindInMap": ["M", "K", "U"]}},
        {"KeySpec": REF, "EnableKeyRotation": True, "RotationPeriodInDays": 180},
        {"KeySpec": "RSA_2048", "EnableKeyRotation": REF},
        {"Origin": REF, "EnableKeyRotation": True},
        {"EnableKeyRotation": True, "RotationPeriodInDays": REF},
        {"KeySpec": "ML_DSA_44", "KeyUsage": SIGN, "Origin": REF},
        {"KeySpec": REF, "Origin": "EXTERNAL"},
        {"KeyPolicy": {"Fn::Sub": "{not json ${AWS::AccountId}"}},
        {"AliasName": {"Fn::Sub": "alias/${AWS::StackName}"}},
        {"Tags": [{"Key": "team", "Value": REF}, REF]},
        {"Tags": [{"Key": REF, "Value": "x"}, {"Key": REF, "Value": "y"}]},
        {"KeyUsers": [{"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:role/App"}]},
        {"PendingWindowInDays": {"Fn::If": ["Prod", 30, 7]}},
        {"Description": {"Fn::Join": ["", ["a", "b"]]}},
    ],
)
def test_intrinsic_functions_are_skipped(props: dict[str, Any]) -> None:
    assert validate(props, "us-east-1") == []


def test_region_check_skips_an_intrinsic_key_spec() -> None:
    assert validate({"KeySpec": REF, "KeyUsage": KEM}, "cn-north-1") == []


def test_a_single_key_object_that_is_no_intrinsic_is_checked() -> None:
    assert is_literal({"Version": "2012-10-17"})
    assert not is_literal({"Ref": "X"})
    assert not is_literal({"Fn::GetAtt": ["A", "B"]})
    assert messages(validate({"KeySpec": {"Version": "x"}})) == [
        "KeySpec must be of type string, not object.",
        'KeySpec {"Version": "x"} is not a KMS key spec: allowed are ' + ", ".join(SPECS) + ".",
    ]


@pytest.mark.parametrize("spec", [["RSA_2048"], {"Spec": "RSA_2048"}, {"A": 1, "B": 2}, 2048])
@pytest.mark.parametrize("other", [{"EnableKeyRotation": True}, {"Origin": "EXTERNAL"}])
def test_a_key_spec_that_is_no_string_is_a_finding_not_a_crash(
    spec: object, other: dict[str, Any]
) -> None:
    found = validate({"KeySpec": spec, **other}, "cn-north-1")
    assert [problem.path for problem in found] == [("KeySpec",), ("KeySpec",)]
    assert found[0].message.startswith("KeySpec must be of type string, not ")
    assert found[1].message.endswith(
        " is not a KMS key spec: allowed are " + ", ".join(SPECS) + "."
    )


# ---------------------------------------------------------------------------
# Updates


IMMUTABLE_CASES = [
    ("KeySpec", {"KeySpec": "RSA_2048"}, {"KeySpec": "RSA_4096"}, "RSA_2048", "RSA_4096"),
    ("KeySpec", {}, {"KeySpec": "HMAC_256"}, "SYMMETRIC_DEFAULT", "HMAC_256"),
    ("KeyUsage", {"KeySpec": "RSA_2048", "KeyUsage": SIGN}, {"KeySpec": "RSA_2048"}, SIGN, ENC),
    ("KeyUsage", {"KeyUsage": ENC}, {"KeyUsage": SIGN}, ENC, SIGN),
    ("Origin", {"Origin": "EXTERNAL"}, {}, "EXTERNAL", "AWS_KMS"),
    ("Origin", {}, {"Origin": "EXTERNAL"}, "AWS_KMS", "EXTERNAL"),
    ("MultiRegion", {"MultiRegion": True}, {}, "true", "false"),
    ("MultiRegion", {"MultiRegion": False}, {"MultiRegion": True}, "false", "true"),
]


@pytest.mark.parametrize(("name", "previous", "desired", "before", "after"), IMMUTABLE_CASES)
def test_immutable_change(
    name: str, previous: dict[str, Any], desired: dict[str, Any], before: str, after: str
) -> None:
    problem = only(immutable_changes(previous, desired))
    assert problem.path == (name,)
    assert problem.message == (
        f"{name} cannot change from {before} to {after}: KMS cannot change the {name} of a "
        "key, and replacing the key would delete its key material. Keep this key as it is "
        "and add a new key under a new logical id."
    )


@pytest.mark.parametrize(
    ("name", "default"),
    [
        ("KeySpec", "SYMMETRIC_DEFAULT"),
        ("KeyUsage", "ENCRYPT_DECRYPT"),
        ("Origin", "AWS_KMS"),
        ("MultiRegion", False),
    ],
)
def test_omitted_and_explicit_default_are_no_change(name: str, default: object) -> None:
    assert immutable_changes({}, {name: default}) == []
    assert immutable_changes({name: default}, {}) == []
    assert immutable_changes({name: None}, {name: default}) == []


def test_every_immutable_property_changed_at_once() -> None:
    previous = {"KeySpec": "ECC_NIST_P256", "KeyUsage": SIGN, "MultiRegion": True}
    desired = {"KeySpec": "RSA_2048", "KeyUsage": ENC, "Origin": "EXTERNAL"}
    problems = immutable_changes(previous, desired)
    assert [problem.path for problem in problems] == [
        ("KeySpec",),
        ("KeyUsage",),
        ("Origin",),
        ("MultiRegion",),
    ]


def test_mutable_changes_are_no_immutable_change() -> None:
    previous = {"KeySpec": "RSA_2048", "KeyUsage": SIGN, "Description": "a", "Enabled": True}
    desired = {"KeySpec": "RSA_2048", "KeyUsage": SIGN, "Description": "b", "Enabled": False}
    assert immutable_changes(previous, desired) == []


def test_immutable_change_to_or_from_an_intrinsic_is_skipped() -> None:
    assert immutable_changes({"KeySpec": "RSA_2048"}, {"KeySpec": REF}) == []
    assert immutable_changes({"MultiRegion": REF}, {"MultiRegion": True}) == []


# ---------------------------------------------------------------------------
# Any valid key validates clean

PRINCIPAL_CHARS = string.ascii_letters + string.digits + "+=,.@_-"
ALIAS_CHARS = string.ascii_letters + string.digits + "/_-"
TAG_CHARS = string.ascii_letters + string.digits + " +-=._:/@"


def _principal(kind: str, name: str) -> str:
    return f"arn:aws:iam::111122223333:{kind}/{name}"


principals = st.builds(
    _principal,
    st.sampled_from(["role", "user"]),
    st.text(alphabet=PRINCIPAL_CHARS, min_size=1, max_size=30),
)
accounts = st.text(alphabet=string.digits, min_size=12, max_size=12)
tag_keys = st.text(alphabet=TAG_CHARS, min_size=1, max_size=128).filter(
    lambda key: not key.lower().startswith("aws:")
)
tag_values = st.text(max_size=256)
alias_names = st.text(alphabet=ALIAS_CHARS, min_size=1, max_size=250).filter(
    lambda name: not name.lower().startswith("aws/")
)
descriptions = st.one_of(st.text(max_size=60), st.integers(0, 8192).map(lambda n: "d" * n))


@st.composite
def valid_keys(draw: st.DrawFn) -> tuple[dict[str, Any], str | None]:
    spec, usage = draw(st.sampled_from(VALID_PAIRS))
    if spec == "SM2":
        region: str | None = draw(st.sampled_from(CHINA))
    elif spec in ML_KEM:
        region = draw(st.sampled_from((*NOT_CHINA, None)))
    else:
        region = draw(st.sampled_from((*NOT_CHINA, *CHINA, None)))
    china = region in CHINA
    props: dict[str, Any] = {}
    if spec != "SYMMETRIC_DEFAULT" or draw(st.booleans()):
        props["KeySpec"] = spec
    if usage != ENC or draw(st.booleans()):
        props["KeyUsage"] = usage
    origins: list[str | None] = [None, "AWS_KMS"]
    if spec not in ML_DSA and (not china or spec == "SYMMETRIC_DEFAULT"):
        origins.append("EXTERNAL")
    origin = draw(st.sampled_from(origins))
    if origin is not None:
        props["Origin"] = origin
    if spec == "SYMMETRIC_DEFAULT" and origin != "EXTERNAL" and draw(st.booleans()):
        props["EnableKeyRotation"] = True
        if draw(st.booleans()):
            props["RotationPeriodInDays"] = draw(st.integers(90, 2560))
    elif draw(st.booleans()):
        props["EnableKeyRotation"] = False
    for name in ("Enabled", "MultiRegion", "BypassPolicyLockoutSafetyCheck"):
        if draw(st.booleans()):
            props[name] = draw(st.booleans())
    if draw(st.booleans()):
        props["Description"] = draw(descriptions)
    if draw(st.booleans()):
        props["PendingWindowInDays"] = draw(st.integers(7, 30))
    if draw(st.booleans()):
        keys = draw(st.lists(tag_keys, unique=True, max_size=49))
        props["Tags"] = [{"Key": key, "Value": draw(tag_values)} for key in keys]
    if draw(st.booleans()):
        props["AliasName"] = "alias/" + draw(alias_names)
    policy_style = draw(st.sampled_from(["none", "object", "string", "builders"]))
    if policy_style == "object":
        props["KeyPolicy"] = POLICY
    elif policy_style == "string":
        props["KeyPolicy"] = json.dumps(POLICY, indent=draw(st.sampled_from([None, 2])))
    elif policy_style == "builders":
        admins = draw(st.lists(principals, unique=True, max_size=3))
        if admins:
            props["KeyAdministrators"] = admins
            if draw(st.booleans()):
                props["AllowKeyAdministratorsToDelete"] = draw(st.booleans())
        users = draw(st.lists(principals, unique=True, max_size=3))
        if users:
            props["KeyUsers"] = users
        external = draw(st.lists(accounts, unique=True, max_size=3))
        if external:
            props["ExternalAccounts"] = external
    return props, region


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_keys())
def test_any_valid_key_validates_clean(key: tuple[dict[str, Any], str | None]) -> None:
    props, region = key
    assert validate(props, region) == []
    assert immutable_changes(props, dict(props)) == []


@settings(max_examples=100, deadline=None)
@given(valid_keys(), st.sampled_from(INVALID_PAIRS))
def test_an_invalid_pair_is_found_whatever_else_is_set(
    key: tuple[dict[str, Any], str | None], pair: tuple[str, str]
) -> None:
    props, _ = key
    spec, usage = pair
    props = {name: value for name, value in props.items() if "Rotation" not in name}
    props.update(KeySpec=spec, KeyUsage=usage)
    props.pop("Origin", None)
    found = messages(validate(props))
    assert found == [
        f"KeyUsage {usage} is not valid for KeySpec {spec}: "
        f"{spec} keys allow {ALLOWED_TEXT[ALLOWED[spec]]}."
    ]


def test_a_key_spec_written_as_a_list_or_an_object_does_not_break_the_replica_check() -> None:
    for spec in (["SYMMETRIC_DEFAULT"], {"Fn::If": ["C", "RSA_2048", "HMAC_256"]}, 7):
        validation.replica_problems(
            {"KeySpec": spec, "MultiRegion": True, "ReplicaRegions": ["eu-west-1"]}, "us-east-1"
        )


def test_rotation_written_as_the_text_true_is_rotation() -> None:
    problems = validate(
        {"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY", "EnableKeyRotation": "true"}
    )
    assert any(p.message.startswith("EnableKeyRotation true is not allowed") for p in problems)
