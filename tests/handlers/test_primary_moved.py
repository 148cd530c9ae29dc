"""A multi-Region key is a set: it reads, updates and deletes as one, whichever Region holds the
primary (KMS lets key administrators move it: UpdatePrimaryRegion)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from keyforge.embedded_kms import clock
from keyforge_kms_key.keyspecs import PENDING_DELETION_STATES
from tests.embedded import REGION, Provider

FIRST, SECOND, THIRD = "eu-west-1", "ap-southeast-2", "ca-central-1"


def moved(provider: Provider, kms_in: Callable[[str], Any]) -> dict[str, Any]:
    """A key with replicas in FIRST and SECOND whose primary then moved to FIRST."""
    model = provider.create(
        {
            "MultiRegion": True,
            "ReplicaRegions": [FIRST, SECOND],
            "Description": "the set",
            "AliasName": "alias/the-set",
        }
    )
    kms_in(REGION).update_primary_region(KeyId=model["KeyId"], PrimaryRegion=FIRST)
    clock.advance(timedelta(seconds=5))  # both keys Updating for a few seconds, then Enabled
    return model


def key_type(kms: Any, key_id: str) -> str:
    return str(
        kms.describe_key(KeyId=key_id)["KeyMetadata"]["MultiRegionConfiguration"][
            "MultiRegionKeyType"
        ]
    )


def test_read_reports_every_other_region_of_the_set(
    provider: Provider, kms_in: Callable[[str], Any]
) -> None:
    model = moved(provider, kms_in)
    assert key_type(kms_in(REGION), model["KeyId"]) == "REPLICA"
    read = provider.read(model["KeyId"], ReplicaRegions=[FIRST, SECOND])["resourceModel"]
    assert read["ReplicaRegions"] == [FIRST, SECOND]
    assert len(read["ReplicaArns"]) == 2


def test_update_reaches_every_key_and_adds_regions_through_the_new_primary(
    provider: Provider, kms_in: Callable[[str], Any]
) -> None:
    model = moved(provider, kms_in)
    desired = {
        **model,
        "Description": "changed",
        "ReplicaRegions": [FIRST, SECOND, THIRD],
        "Tags": [{"Key": "team", "Value": "data"}],
    }
    answer = provider.run("UPDATE", desired, previous=model)
    assert answer["status"] == "SUCCESS", answer
    for region in (REGION, FIRST, SECOND, THIRD):
        metadata = kms_in(region).describe_key(KeyId=model["KeyId"])["KeyMetadata"]
        assert metadata["Description"] == "changed", region
        aliases = kms_in(region).list_aliases(KeyId=model["KeyId"])["Aliases"]
        assert [a["AliasName"] for a in aliases] == ["alias/the-set"], region
        tags = kms_in(region).list_resource_tags(KeyId=model["KeyId"])["Tags"]
        assert {"TagKey": "team", "TagValue": "data"} in tags, region
    assert key_type(kms_in(THIRD), model["KeyId"]) == "REPLICA"
    primary = kms_in(THIRD).describe_key(KeyId=model["KeyId"])["KeyMetadata"]
    assert primary["MultiRegionConfiguration"]["PrimaryKey"]["Region"] == FIRST


def test_delete_leaves_no_key_of_the_set_enabled(
    provider: Provider, kms_in: Callable[[str], Any]
) -> None:
    model = moved(provider, kms_in)
    assert provider.run("DELETE", model)["status"] == "SUCCESS"
    for region in (REGION, FIRST, SECOND):
        state = kms_in(region).describe_key(KeyId=model["KeyId"])["KeyMetadata"]["KeyState"]
        assert state in PENDING_DELETION_STATES, (region, state)
        assert kms_in(region).list_aliases(KeyId=model["KeyId"])["Aliases"] == [], region
    assert provider.read(model["KeyId"])["errorCode"] == "NotFound"


def test_an_update_while_the_primary_is_still_moving_waits_for_it(
    provider: Provider, kms_in: Callable[[str], Any]
) -> None:
    """Seconds after UpdatePrimaryRegion both keys are Updating and KMS refuses ReplicateKey
    (KMSInvalidStateException): the UPDATE calls back until the move is done."""
    model = provider.create({"MultiRegion": True, "ReplicaRegions": [FIRST]})
    kms_in(REGION).update_primary_region(KeyId=model["KeyId"], PrimaryRegion=FIRST)
    provider.sleep = lambda seconds: clock.advance(timedelta(seconds=seconds))
    desired = {**model, "ReplicaRegions": [FIRST, SECOND]}
    answer = provider.run("UPDATE", desired, previous=model)
    assert answer["status"] == "SUCCESS", answer
    assert key_type(kms_in(SECOND), model["KeyId"]) == "REPLICA"
