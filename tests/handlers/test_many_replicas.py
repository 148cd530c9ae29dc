"""Bounded work per invocation: at most 25 KMS calls in any invocation, whatever the number of
replicas (the schema allows 30); the rest goes on in the next invocation, and it converges."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from keyforge_kms_key.kms import MAX_CALLS_PER_INVOCATION
from keyforge_kms_key.validation import kms_regions
from tests.embedded import REGION, Provider

OTHERS = sorted(
    r
    for r in kms_regions()
    if r.count("-") == 2
    and r != REGION
    and not r.startswith(("cn-", "us-gov", "us-iso", "eu-iso", "eusc"))
)


def calls_per_invocation(
    provider: Provider,
    operations: Callable[[], list[str]],
    action: str,
    properties: dict[str, Any],
    previous: dict[str, Any] | None = None,
) -> tuple[list[int], dict[str, Any]]:
    operations()
    counts = []
    answers = []
    for answer in provider.progress(action, properties, previous):
        counts.append(len(operations()))
        answers.append(answer)
    return counts, answers[-1]


@pytest.mark.parametrize("replicas", [1, 5, 30])
def test_create_update_delete_of_many_replicas_stay_within_the_calls_of_an_invocation(
    provider: Provider,
    operations: Callable[[], list[str]],
    kms_in: Callable[[str], Any],
    replicas: int,
) -> None:
    provider.max_invocations = 60
    regions = OTHERS[:replicas]
    assert len(regions) == replicas
    wanted = {
        "MultiRegion": True,
        "ReplicaRegions": regions,
        "AliasName": "alias/many",
        "Tags": [{"Key": "team", "Value": "a"}],
    }
    counts, answer = calls_per_invocation(provider, operations, "CREATE", wanted)
    assert answer["status"] == "SUCCESS", answer
    assert max(counts) <= MAX_CALLS_PER_INVOCATION, counts
    model = answer["resourceModel"]
    assert sorted(model["ReplicaRegions"]) == sorted(regions)

    changed = {**model, "Description": "changed", "Tags": [{"Key": "team", "Value": "b"}]}
    counts, answer = calls_per_invocation(provider, operations, "UPDATE", changed, model)
    assert answer["status"] == "SUCCESS", answer
    assert max(counts) <= MAX_CALLS_PER_INVOCATION, counts
    for region in regions:
        metadata = kms_in(region).describe_key(KeyId=model["KeyId"])["KeyMetadata"]
        assert metadata["Description"] == "changed", region

    operations()
    read = provider.read(model["KeyId"], ReplicaRegions=regions)
    assert len(operations()) <= MAX_CALLS_PER_INVOCATION
    assert sorted(read["resourceModel"]["ReplicaRegions"]) == sorted(regions)

    counts, answer = calls_per_invocation(provider, operations, "DELETE", changed)
    assert answer["status"] == "SUCCESS", answer
    assert max(counts) <= MAX_CALLS_PER_INVOCATION, counts
    for region in [REGION, *regions]:
        state = kms_in(region).describe_key(KeyId=model["KeyId"])["KeyMetadata"]["KeyState"]
        assert state.startswith("Pending"), (region, state)
