"""Generated CREATE and UPDATE requests through the entrypoint: whatever a user writes, no
InternalFailure, no key left live by a refused CREATE, no key changed by a refused UPDATE."""

from __future__ import annotations

import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keyforge_kms_key.keyspecs import PENDING_DELETION_STATES
from tests.embedded import ACCOUNT, Provider, make_principals
from tests.embedded_kms.test_any_policy import policies

from .test_refused_updates import state

APP = f"arn:aws:iam::{ACCOUNT}:role/App"
MISSING = f"arn:aws:iam::{ACCOUNT}:role/not-made"
UNHEALTHY = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]

changes = st.fixed_dictionaries(
    {},
    optional={
        "Description": st.sampled_from(["", "changed", "x" * 9000]),
        "AliasName": st.sampled_from(["alias/renamed-{}", "alias/aws/no", "alias/made-{}"]),
        "EnableKeyRotation": st.booleans(),
        "Enabled": st.booleans(),
        "Tags": st.lists(
            st.fixed_dictionaries(
                {"Key": st.sampled_from(["team", "aws:reserved", "cost"]), "Value": st.just("v")}
            ),
            max_size=3,
        ),
        "KeyUsers": st.lists(st.sampled_from([APP, MISSING, "arn:aws:iam::1:group/g"]), max_size=2),
        "KeyPolicy": policies,
    },
)


def live_keys(kms: Any) -> set[str]:
    keys = [key["KeyId"] for key in kms.list_keys(Limit=1000)["Keys"]]
    return {
        key_id
        for key_id in keys
        if kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] not in PENDING_DELETION_STATES
    }


@settings(max_examples=120, deadline=None, suppress_health_check=UNHEALTHY)
@given(document=policies)
def test_a_refused_create_leaves_no_live_key(provider: Provider, document: Any) -> None:
    before = live_keys(provider.kms)
    answer = provider.run("CREATE", {"KeyPolicy": document, "BypassPolicyLockoutSafetyCheck": True})
    assert answer.get("errorCode") != "InternalFailure", answer
    if answer["status"] == "FAILED":
        assert live_keys(provider.kms) == before
    else:
        assert live_keys(provider.kms) == before | {answer["resourceModel"]["KeyId"]}


@settings(max_examples=120, deadline=None, suppress_health_check=UNHEALTHY)
@given(wanted=changes)
def test_a_refused_update_changes_nothing(provider: Provider, wanted: dict[str, Any]) -> None:
    make_principals(APP)
    own = uuid.uuid4().hex[:8]  # the examples share one embedded KMS: aliases of their own
    made = {"Description": "made", "AliasName": f"alias/made-{own}", "KeyUsers": [APP]}
    model = provider.create(made)
    if "AliasName" in wanted:
        wanted = {**wanted, "AliasName": wanted["AliasName"].format(own)}
    desired = {**model, **wanted}
    if "KeyPolicy" in wanted:
        desired = {k: v for k, v in desired.items() if k != "KeyUsers"}
    if not desired.get("EnableKeyRotation"):
        desired.pop("RotationPeriodInDays", None)
    before = state(provider.kms, model["KeyId"])
    answer = provider.run("UPDATE", desired, previous=model)
    assert answer.get("errorCode") != "InternalFailure", answer
    if answer["status"] == "FAILED":
        assert state(provider.kms, model["KeyId"]) == before, answer
