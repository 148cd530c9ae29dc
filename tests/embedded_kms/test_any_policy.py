"""Whatever policy a user writes, the embedded KMS answers as KMS does, never with a Python error.

A key policy KMS would refuse is MalformedPolicyDocumentException at CreateKey and PutKeyPolicy
(and the key, if any, keeps its policy); one it accepts leaves a key every later call can use.
In-process a Python error would raise out of the client; in server mode it would be HTTP 500.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keyforge_kms_key.keyspecs import PENDING_DELETION_STATES

ROOT = {
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
    "Action": "kms:*",
    "Resource": "*",
}
KMS_REFUSALS = {"MalformedPolicyDocumentException", "LimitExceededException"}

scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=6)
texts = st.sampled_from(["*", "kms:*", "kms:Decrypt", "Allow", "Deny", "arn:aws:iam::1:root"])
values = st.recursive(
    scalars | texts,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["AWS", "Service", "StringEquals", "k"]), inner, max_size=2
        )
    ),
    max_leaves=6,
)
statements = st.fixed_dictionaries(
    {},
    optional={
        name: values
        for name in ("Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction")
    }
    | {"Resource": values, "Condition": values, "NotResource": values},
)
policies = st.one_of(
    st.builds(lambda s: {"Version": "2012-10-17", "Statement": [ROOT, s]}, statements),
    st.builds(lambda s: {"Statement": s}, statements | values),
    values,
)
UNHEALTHY = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


def answer(call: Any, **params: Any) -> str | None:
    """None when KMS accepted the call, else its error code; any other error fails the test."""
    return outcome(call, **params)[0]


def outcome(call: Any, **params: Any) -> tuple[str | None, Any]:
    """(None, the answer) when KMS accepted the call, else (its error code, None)."""
    try:
        return None, call(**params)
    except ClientError as error:
        status = error.response["ResponseMetadata"]["HTTPStatusCode"]
        assert status == 400, error
        return str(error.response["Error"]["Code"]), None


def still_usable(kms: Any, key_id: str) -> None:
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"
    assert kms.encrypt(KeyId=key_id, Plaintext=b"x")["CiphertextBlob"]
    json.loads(kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"])


def check(kms: Any, document: Any) -> None:
    text = json.dumps(document)
    code, created = outcome(kms.create_key, Policy=text, BypassPolicyLockoutSafetyCheck=True)
    assert code in KMS_REFUSALS | {None}
    if created is not None:
        key_id = created["KeyMetadata"]["KeyId"]
        if answer(kms.describe_key, KeyId=key_id) in (None, "AccessDeniedException"):
            kms.encrypt(KeyId=key_id, Plaintext=b"x")
    existing = kms.create_key()["KeyMetadata"]["KeyId"]
    code = answer(
        kms.put_key_policy,
        KeyId=existing,
        PolicyName="default",
        Policy=text,
        BypassPolicyLockoutSafetyCheck=True,
    )
    assert code in KMS_REFUSALS | {None}
    if code is not None:
        still_usable(kms, existing)


@settings(max_examples=250, deadline=None, suppress_health_check=UNHEALTHY)
@given(document=policies)
def test_any_policy_in_process(kms: Any, document: Any) -> None:
    check(kms, document)


@settings(max_examples=60, deadline=None, suppress_health_check=UNHEALTHY)
@given(document=policies)
def test_any_policy_in_server_mode(served_kms: Any, document: Any) -> None:
    check(served_kms, document)


def test_a_single_statement_object_is_a_policy_like_any_other(kms: Any) -> None:
    text = json.dumps({"Version": "2012-10-17", "Statement": ROOT})
    key_id = kms.create_key(Policy=text)["KeyMetadata"]["KeyId"]
    still_usable(kms, key_id)


def test_a_deny_of_describe_key_to_everyone_refuses_it(kms: Any) -> None:
    deny = {"Effect": "Deny", "Principal": "*", "Action": "kms:Describe*", "Resource": "*"}
    text = json.dumps({"Statement": [ROOT, deny]})
    key_id = kms.create_key(Policy=text)["KeyMetadata"]["KeyId"]
    assert answer(kms.describe_key, KeyId=key_id) == "AccessDeniedException"
    assert kms.encrypt(KeyId=key_id, Plaintext=b"x")["CiphertextBlob"]
    assert (
        kms.describe_key(KeyId=kms.create_key()["KeyMetadata"]["KeyId"])["KeyMetadata"]["KeyState"]
        not in PENDING_DELETION_STATES
    )
