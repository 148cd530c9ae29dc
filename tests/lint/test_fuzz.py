"""No Keyforge rule raises, whatever a template decoder hands it.

Templates are generated as data, written as YAML and decoded by cfn-lint, so
the rules see exactly the values a decoder makes: dates (an unquoted
2012-10-17), numbers and booleans as keys, nulls, lists where maps belong,
intrinsic functions nested in each other, very large documents. A rule that
raises fails the test. Templates on which cfn-lint itself fails before the
rules run (its own transform or condition parsing raising) are set aside: that
is cfn-lint's business, not the rules'.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import yaml
from cfnlint.decode import decode_str
from cfnlint.template import Template
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from keyforge_kms_key.keyspecs import AWS_ALIAS_TYPE, KEY_RESOURCE_TYPES
from keyforge_kms_key.validation import json_value
from keyforge_lint._services import SERVICE_KEY_PROPERTIES
from tests.lint.conftest import KEYFORGE_RULES

NAMES = ("Key", "OtherKey", "Alias", "Param", "Cond", "Map", "AWS::Region", "AWS::NoValue")
WORDS = (
    "SYMMETRIC_DEFAULT",
    "RSA_2048",
    "HMAC_256",
    "ECC_NIST_P256",
    "ML_KEM_768",
    "SM2",
    "SIGN_VERIFY",
    "ENCRYPT_DECRYPT",
    "AWS_KMS",
    "EXTERNAL",
    "alias/aws/x",
    "alias/app",
    "*",
    "kms:*",
    "kms:Put*",
    "kms:PutKeyPolicy",
    "kms:Decrypt",
    "Allow",
    "Deny",
    "arn:aws:iam::111122223333:root",
    "password: hunter2",
    "true",
    "365",
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(WORDS + NAMES),
    st.dates(),
    st.datetimes(),
)
keys = st.one_of(
    st.sampled_from(("Version", "Statement", "Key", "Value", "Effect", "Action", "AWS")),
    st.text(max_size=8),
    st.integers(-5, 5),
    st.booleans(),
    st.dates(),
)


def _intrinsics(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    name = st.sampled_from(NAMES)
    return st.one_of(
        st.builds(lambda n: {"Ref": n}, st.one_of(name, inner)),
        st.builds(lambda c, a, b: {"Fn::If": [c, a, b]}, st.one_of(name, inner), inner, inner),
        st.builds(lambda n, a: {"Fn::GetAtt": [n, a]}, name, st.sampled_from(["Arn", "KeyId"])),
        st.builds(lambda t: {"Fn::GetAtt": t}, st.one_of(st.sampled_from(["Key.Arn"]), inner)),
        st.builds(lambda t: {"Fn::Sub": t}, st.one_of(st.just("${Key.Arn}"), inner)),
        st.builds(lambda a: {"Fn::FindInMap": a}, st.lists(st.one_of(name, inner), max_size=4)),
        st.builds(lambda a: {"Fn::Join": a}, inner),
        st.builds(lambda a: {"Condition": a}, st.one_of(name, inner)),
    )


values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(keys, inner, max_size=4),
        _intrinsics(inner),
    ),
    max_leaves=12,
)


def plausible(*choices: Any) -> st.SearchStrategy[Any]:
    """Mostly a value a template would hold there, sometimes anything at all."""
    return st.one_of(st.sampled_from(choices), st.sampled_from(choices), values)


statements = st.fixed_dictionaries(
    {},
    optional={
        "Sid": plausible("Root", ""),
        "Effect": plausible("Allow", "Deny"),
        "Principal": plausible(
            "*",
            {"AWS": "*"},
            {"AWS": ["*", "x"]},
            {"Service": "s3"},
            {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/A"}},
        ),
        "NotPrincipal": values,
        "Action": plausible("kms:*", "*", ["kms:Put*", "kms:Decrypt"], "kms:PutKeyPolicy"),
        "NotAction": plausible("kms:Decrypt", ["kms:Put*"]),
        "Resource": plausible("*", ["*"], "arn:aws:kms:us-east-1:111122223333:key/x"),
        "Condition": plausible({"Bool": {"aws:SecureTransport": True}}),
    },
)
policy_documents = st.fixed_dictionaries(
    {
        "Version": st.sampled_from([datetime.date(2012, 10, 17), "2012-10-17"]),
        "Statement": st.one_of(statements, st.lists(st.one_of(statements, values), max_size=4)),
    },
    optional={"Id": values},
)
tags = st.lists(st.fixed_dictionaries({}, optional={"Key": plausible("k"), "Value": values}))
# Now and then a document far over KMS's limits: a big policy, many tags.
large_policies = st.just({"Statement": [{"Sid": "x" * 17_000, "Action": "kms:*"}] * 2})
many_tags = st.just([{"Key": f"k{i}", "Value": i} for i in range(300)])
other_key_properties = st.fixed_dictionaries(
    {},
    optional={
        "KeySpec": plausible("SYMMETRIC_DEFAULT", "RSA_2048", "HMAC_256", "SM2", "ML_KEM_768"),
        "KeyUsage": plausible("ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC"),
        "BypassPolicyLockoutSafetyCheck": plausible(True, False, "true"),
        "Tags": st.one_of(tags, many_tags, values),
        "Description": plausible("AKIAQX7ZP2LM4RT8VN3K", "ops@example.com"),
        "AliasName": plausible("alias/aws/x", "alias/app"),
        "EnableKeyRotation": plausible(True, False),
        "RotationPeriodInDays": plausible(90, "365", 3000),
        "Origin": plausible("AWS_KMS", "EXTERNAL"),
        "MultiRegion": plausible(True, False),
        "KeyAdministrators": plausible(["arn:aws:iam::111122223333:role/A"] * 2),
        "KeyUsers": values,
        "ExternalAccounts": values,
        "PendingWindowInDays": values,
    },
)
key_policies = st.sampled_from(["document", "json", "large", "anything", "none"]).flatmap(
    lambda kind: {
        "document": policy_documents,
        "json": policy_documents.map(lambda d: json.dumps(json_value(d))),
        "large": large_policies,
        "anything": values,
        "none": st.none(),
    }[kind]
)


@st.composite
def key_properties(draw: st.DrawFn) -> dict[str, Any]:
    properties: dict[str, Any] = draw(other_key_properties)
    policy = draw(key_policies)
    if policy is not None:
        properties["KeyPolicy"] = policy
    return properties


key_resources = st.fixed_dictionaries(
    {"Type": st.sampled_from(KEY_RESOURCE_TYPES), "Properties": key_properties()},
    optional={"Condition": plausible("Cond")},
)
key_references = plausible(
    {"Ref": "Key"},
    {"Fn::GetAtt": ["Key", "Arn"]},
    {"Fn::GetAtt": "Key.Arn"},
    {"Ref": "Alias"},
    {"Fn::Sub": "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/app"},
    {"Fn::If": ["Cond", {"Ref": "Key"}, {"Ref": "AWS::NoValue"}]},
    "alias/app",
)


def _at(pattern: tuple[str, ...], leaf: Any) -> Any:
    """A property value with ``leaf`` where ``pattern`` points ("*": in a list, "{}": a map)."""
    for part in reversed(pattern[1:]):
        leaf = [leaf] if part == "*" else {"Name" if part == "{}" else part: leaf}
    return {pattern[0]: leaf}


def _services() -> st.SearchStrategy[Any]:
    choices = [(kind, path) for kind, paths in SERVICE_KEY_PROPERTIES.items() for path in paths]
    return st.builds(
        lambda choice, leaf: {"Type": choice[0], "Properties": _at(choice[1], leaf)},
        st.sampled_from(choices),
        key_references,
    )


resources = st.fixed_dictionaries(
    {"Key": key_resources},
    optional={
        "OtherKey": st.one_of(key_resources, values),
        "Alias": st.fixed_dictionaries(
            {"Type": st.just(AWS_ALIAS_TYPE)},
            optional={
                "Properties": st.fixed_dictionaries(
                    {},
                    optional={
                        "AliasName": plausible("alias/app", "alias/aws/x"),
                        "TargetKeyId": key_references,
                    },
                )
            },
        ),
        "Service": _services(),
        "Role": st.fixed_dictionaries(
            {"Type": st.sampled_from(["AWS::IAM::Role", "AWS::IAM::User"])},
            optional={
                "Properties": st.one_of(
                    st.fixed_dictionaries(
                        {},
                        optional={
                            "RoleName": plausible("A", {"Ref": "Param"}, {"Fn::Sub": "${Param}"}),
                            "UserName": plausible("A", ["A"]),
                        },
                    ),
                    values,
                ),
                "DependsOn": plausible("Key", ["Key", "Other"], "Role"),
            },
        ),
        "Other": values,
    },
)
templates = st.fixed_dictionaries(
    {"Resources": resources},
    optional={
        "Transform": plausible("AWS::Serverless-2016-10-31"),
        "Globals": st.one_of(st.builds(lambda p: {"Function": p}, key_references), values),
        "Parameters": st.dictionaries(
            st.sampled_from(NAMES[:4]),
            st.fixed_dictionaries(
                {"Type": st.sampled_from(["String", "Number", "CommaDelimitedList"])},
                optional={"Default": values, "AllowedValues": values},
            ),
            max_size=2,
        ),
        "Conditions": st.dictionaries(st.sampled_from(NAMES[:5]), values, max_size=2),
        "Mappings": st.dictionaries(st.sampled_from(NAMES[:6]), values, max_size=2),
    },
)


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(templates)
def test_no_rule_raises_on_a_decodable_template(template: dict[str, Any]) -> None:
    decoded, errors = decode_str(yaml.safe_dump(template, sort_keys=False))
    assume(not errors and isinstance(decoded, dict))
    cfn = _prepared(decoded)
    assume(cfn is not None)
    for rule in KEYFORGE_RULES.data.values():
        rule.initialize(cfn)
        for match in rule.matchall("template.yaml", cfn):  # an exception fails the test
            assert match.message


def _prepared(decoded: dict[str, Any]) -> Template | None:
    """The template as cfn-lint hands it to the rules; None when cfn-lint itself fails."""
    try:
        cfn = Template("template.yaml", decoded, ["us-east-1", "cn-north-1"])
        if cfn.transform():
            return None
    except Exception:
        return None
    return cfn
