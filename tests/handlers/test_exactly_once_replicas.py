"""Exactly one key per Region for a multi-Region key: a fault at every KMS call position of
CREATE and DELETE, replica Regions included, and of UPDATE with every fault kind of the
single-Region matrix (see test_exactly_once for the harness)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.embedded import REGION, kms_client

from .test_exactly_once import (
    CASES as EVERY_KIND,
)
from .test_exactly_once import (
    RETRIABLE,
    Case,
    Fault,
    Lab,
    _plan,
    fresh_runs,
    lab,
    requests_of,
    runs_on_a_key,
)

__all__ = ["lab"]  # the fault-injecting fixture

FIRST, SECOND = "eu-west-1", "ap-southeast-2"
REGIONS = (REGION, FIRST, SECOND)
MRK: dict[str, Any] = {
    "MultiRegion": True,
    "Description": "everywhere",
    "AliasName": "alias/everywhere",
    "Tags": [{"Key": "team", "Value": "platform"}],
    "ReplicaRegions": [FIRST, SECOND],
}
CASES = [
    Case(Fault.THROTTLE, 3),
    Case(Fault.TIMEOUT_AFTER, 1),
    Case(Fault.CRASH, 1),
    Case(Fault.ACCESS_DENIED, 1),
]


def keys_in(region: str) -> dict[str, str]:
    kms = kms_client(region)
    return {
        k["KeyId"]: kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyState"]
        for k in kms.list_keys()["Keys"]
    }


def aliases_in(region: str) -> dict[str, str]:
    return {
        a["AliasName"]: a.get("TargetKeyId", "")
        for a in kms_client(region).list_aliases()["Aliases"]
        if not a["AliasName"].startswith("alias/aws/")
    }


@pytest.mark.parametrize("case", CASES, ids=str)
def test_create(lab: Lab, case: Case) -> None:
    def measure() -> int:
        lab.plan.sent = 0
        assert lab.drive("CREATE", MRK)["status"] == "SUCCESS"
        return lab.plan.sent

    for position in fresh_runs(lab, case, requests_of(lab, measure)):
        lab.plan = _plan(lab, case, position)
        answer = lab.drive("CREATE", MRK)
        where = f"{case} at request {position} ({lab.plan.faulted}): {answer}"
        if case.kind in RETRIABLE:
            assert answer["status"] == "SUCCESS", where
            key_id = answer["resourceModel"]["KeyId"]
            assert answer["resourceModel"]["ReplicaRegions"] == [FIRST, SECOND], where
            for region in (FIRST, SECOND):
                assert keys_in(region) == {key_id: "Enabled"}, where
                assert aliases_in(region) == {"alias/everywhere": key_id}, where
            if not (case.kind is Fault.CRASH and lab.plan.faulted == "CreateKey"):
                assert keys_in(REGION) == {key_id: "Enabled"}, where
        else:
            assert answer["status"] == "FAILED", where
            for region in REGIONS:
                live = [k for k, s in keys_in(region).items() if not s.startswith("Pending")]
                assert live == [], (region, where)
                assert aliases_in(region) == {}, (region, where)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_delete(lab: Lab, case: Case) -> None:
    def delete(model: dict[str, Any]) -> dict[str, Any]:
        return lab.drive("DELETE", model)

    for model, answer, where in runs_on_a_key(lab, case, delete, MRK):
        key_id = model["KeyId"]
        if case.kind in RETRIABLE:
            gone = answer["status"] == "SUCCESS" or (
                case.kind is Fault.CRASH and answer.get("errorCode") == "NotFound"
            )
            assert gone, where
            assert keys_in(REGION) == {key_id: "PendingReplicaDeletion"}, where
            for region in (FIRST, SECOND):
                assert keys_in(region) == {key_id: "PendingDeletion"}, where
            for region in REGIONS:
                assert aliases_in(region) == {}, (region, where)
        else:
            assert answer["status"] == "FAILED", where


THIRD = "ca-central-1"
# Description, tags and alias changed on every key; SECOND's replica retired, THIRD's made.
UPDATED_MRK: dict[str, Any] = {
    **MRK,
    "Description": "changed everywhere",
    "AliasName": "alias/renamed",
    "Tags": [{"Key": "team", "Value": "data"}],
    "ReplicaRegions": [FIRST, THIRD],
}


@pytest.mark.parametrize("case", EVERY_KIND, ids=str)
def test_update(lab: Lab, case: Case) -> None:
    def update(model: dict[str, Any]) -> dict[str, Any]:
        return lab.drive("UPDATE", {**UPDATED_MRK, "KeyId": model["KeyId"]}, model)

    for model, answer, where in runs_on_a_key(lab, case, update, MRK):
        key_id = model["KeyId"]
        for region in (*REGIONS, THIRD):  # never a second key in any Region
            assert set(keys_in(region)) <= {key_id}, (region, where)
        if case.kind in RETRIABLE:
            assert answer["status"] == "SUCCESS", where
            assert keys_in(REGION) == {key_id: "Enabled"}, where
            assert keys_in(SECOND) == {key_id: "PendingDeletion"}, where
            for region in (REGION, FIRST, THIRD):
                if region != REGION:
                    assert keys_in(region) == {key_id: "Enabled"}, (region, where)
                assert aliases_in(region) == {"alias/renamed": key_id}, (region, where)
                metadata = kms_client(region).describe_key(KeyId=key_id)["KeyMetadata"]
                assert metadata["Description"] == "changed everywhere", (region, where)
            assert aliases_in(SECOND) == {}, where
        else:
            assert answer["status"] == "FAILED", where
            assert keys_in(REGION) == {key_id: "Enabled"}, where
