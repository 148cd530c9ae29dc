"""ReplicateKey as KMS does it: a replica of its own in the target Region, interchangeable
with its primary, listed in the primary's multi-Region configuration, and the deletion states."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from keyforge.embedded_kms import clock
from tests.embedded import REGION

from .conftest import error_of, new_key

OTHER = "eu-west-1"
THIRD = "ap-southeast-2"


def primary_with_replica(kms_in: Callable[[str], Any], spec: str, usage: str | None) -> str:
    key_id = new_key(kms_in(REGION), spec, usage, MultiRegion=True)
    kms_in(REGION).replicate_key(KeyId=key_id, ReplicaRegion=OTHER, Description="replica")
    return key_id


def test_replica_is_a_key_of_its_own(kms_in: Callable[[str], Any]) -> None:
    primary, replica = kms_in(REGION), kms_in(OTHER)
    key_id = new_key(primary, MultiRegion=True, Description="primary")
    answer = primary.replicate_key(
        KeyId=key_id,
        ReplicaRegion=OTHER,
        Description="replica",
        Tags=[{"TagKey": "team", "TagValue": "data"}],
    )
    metadata = answer["ReplicaKeyMetadata"]
    assert metadata["KeyId"] == key_id
    assert metadata["Arn"] == f"arn:aws:kms:{OTHER}:123456789012:key/{key_id}"
    assert metadata["MultiRegionConfiguration"]["MultiRegionKeyType"] == "REPLICA"
    assert replica.describe_key(KeyId=key_id)["KeyMetadata"]["Description"] == "replica"
    assert primary.describe_key(KeyId=key_id)["KeyMetadata"]["Description"] == "primary"
    assert replica.list_resource_tags(KeyId=key_id)["Tags"] == [
        {"TagKey": "team", "TagValue": "data"}
    ]
    assert primary.list_resource_tags(KeyId=key_id)["Tags"] == []


def test_primary_lists_every_replica(kms_in: Callable[[str], Any]) -> None:
    primary = kms_in(REGION)
    key_id = new_key(primary, MultiRegion=True)
    for region in (OTHER, THIRD):
        primary.replicate_key(KeyId=key_id, ReplicaRegion=region)
    config = primary.describe_key(KeyId=key_id)["KeyMetadata"]["MultiRegionConfiguration"]
    assert config["MultiRegionKeyType"] == "PRIMARY"
    assert config["PrimaryKey"]["Region"] == REGION
    assert sorted(r["Region"] for r in config["ReplicaKeys"]) == sorted([OTHER, THIRD])
    replica_config = kms_in(THIRD).describe_key(KeyId=key_id)["KeyMetadata"][
        "MultiRegionConfiguration"
    ]
    assert replica_config["MultiRegionKeyType"] == "REPLICA"
    assert replica_config["PrimaryKey"] == config["PrimaryKey"]


def test_refusals(kms_in: Callable[[str], Any]) -> None:
    primary = kms_in(REGION)
    single = new_key(primary)
    assert error_of(primary.replicate_key, KeyId=single, ReplicaRegion=OTHER)[0] == (
        "UnsupportedOperationException"
    )
    key_id = new_key(primary, MultiRegion=True)
    assert error_of(primary.replicate_key, KeyId=key_id, ReplicaRegion=REGION)[0] == (
        "ValidationException"
    )
    assert error_of(primary.replicate_key, KeyId=key_id, ReplicaRegion="cn-north-1")[0] == (
        "ValidationException"
    )
    primary.replicate_key(KeyId=key_id, ReplicaRegion=OTHER)
    assert error_of(primary.replicate_key, KeyId=key_id, ReplicaRegion=OTHER)[0] == (
        "AlreadyExistsException"
    )
    assert error_of(kms_in(OTHER).replicate_key, KeyId=key_id, ReplicaRegion=THIRD)[0] == (
        "UnsupportedOperationException"
    )
    # ML-KEM exists in every Region of the aws partition, SM2 in every Region of aws-cn.
    kem = new_key(primary, "ML_KEM_768", "ENCAPSULATE_DECAPSULATE", MultiRegion=True)
    primary.replicate_key(KeyId=kem, ReplicaRegion=THIRD)
    china = kms_in("cn-north-1")
    sm2 = new_key(china, "SM2", "SIGN_VERIFY", MultiRegion=True)
    china.replicate_key(KeyId=sm2, ReplicaRegion="cn-northwest-1")


def test_symmetric_ciphertext_decrypts_in_either_region(kms_in: Callable[[str], Any]) -> None:
    key_id = primary_with_replica(kms_in, "SYMMETRIC_DEFAULT", None)
    blob = kms_in(REGION).encrypt(KeyId=key_id, Plaintext=b"secret")["CiphertextBlob"]
    assert kms_in(OTHER).decrypt(CiphertextBlob=blob)["Plaintext"] == b"secret"
    back = kms_in(OTHER).encrypt(KeyId=key_id, Plaintext=b"back")["CiphertextBlob"]
    assert kms_in(REGION).decrypt(CiphertextBlob=back, KeyId=key_id)["Plaintext"] == b"back"


def test_signature_from_the_replica_verifies_with_the_primary(
    kms_in: Callable[[str], Any],
) -> None:
    key_id = primary_with_replica(kms_in, "ECC_NIST_P256", "SIGN_VERIFY")
    primary, replica = kms_in(REGION), kms_in(OTHER)
    assert (
        replica.get_public_key(KeyId=key_id)["PublicKey"]
        == primary.get_public_key(KeyId=key_id)["PublicKey"]
    )
    signature = replica.sign(
        KeyId=key_id, Message=b"m", MessageType="RAW", SigningAlgorithm="ECDSA_SHA_256"
    )["Signature"]
    assert primary.verify(
        KeyId=key_id,
        Message=b"m",
        MessageType="RAW",
        Signature=signature,
        SigningAlgorithm="ECDSA_SHA_256",
    )["SignatureValid"]
    public = serialization.load_der_public_key(primary.get_public_key(KeyId=key_id)["PublicKey"])
    assert isinstance(public, ec.EllipticCurvePublicKey)
    public.verify(signature, b"m", ec.ECDSA(hashes.SHA256()))


def test_mac_is_the_same_in_both_regions(kms_in: Callable[[str], Any]) -> None:
    key_id = primary_with_replica(kms_in, "HMAC_256", "GENERATE_VERIFY_MAC")
    mac = kms_in(REGION).generate_mac(KeyId=key_id, Message=b"m", MacAlgorithm="HMAC_SHA_256")
    assert kms_in(OTHER).verify_mac(
        KeyId=key_id, Message=b"m", MacAlgorithm="HMAC_SHA_256", Mac=mac["Mac"]
    )["MacValid"]


@pytest.mark.parametrize("replicas_first", [True, False])
def test_deletion_states(kms_in: Callable[[str], Any], replicas_first: bool) -> None:
    key_id = primary_with_replica(kms_in, "SYMMETRIC_DEFAULT", None)
    primary, replica = kms_in(REGION), kms_in(OTHER)
    if replicas_first:
        replica.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    primary.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    state = primary.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"]
    assert state == "PendingReplicaDeletion"
    if not replicas_first:
        replica.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    assert replica.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingDeletion"
    assert error_of(primary.replicate_key, KeyId=key_id, ReplicaRegion=THIRD)[0] == (
        "KMSInvalidStateException"
    )


def test_primary_without_replicas_is_pending_deletion(kms_in: Callable[[str], Any]) -> None:
    primary = kms_in(REGION)
    key_id = new_key(primary, MultiRegion=True)
    primary.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    assert primary.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingDeletion"


def test_replica_of_imported_key_waits_for_its_material(kms_in: Callable[[str], Any]) -> None:
    key_id = new_key(kms_in(REGION), Origin="EXTERNAL", MultiRegion=True)
    metadata = kms_in(REGION).replicate_key(KeyId=key_id, ReplicaRegion=OTHER)
    assert metadata["ReplicaKeyMetadata"]["KeyState"] == "PendingImport"


def test_update_primary_region_swaps_the_primary_and_both_keys_update_for_a_moment(
    kms_in: Callable[[str], Any],
) -> None:
    """KMS API reference, UpdatePrimaryRegion; developer guide, "Change the primary key in a set
    of multi-Region keys": Updating for a few seconds, usable but not replicated meanwhile."""
    key_id = primary_with_replica(kms_in, "SYMMETRIC_DEFAULT", None)
    kms_in(REGION).update_primary_region(KeyId=key_id, PrimaryRegion=OTHER)
    for region in (REGION, OTHER):
        assert kms_in(region).describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Updating"
    ciphertext = kms_in(REGION).encrypt(KeyId=key_id, Plaintext=b"x")["CiphertextBlob"]
    assert error_of(kms_in(OTHER).replicate_key, KeyId=key_id, ReplicaRegion=THIRD)[0] == (
        "KMSInvalidStateException"
    )
    clock.advance(timedelta(seconds=5))
    new_primary = kms_in(OTHER).describe_key(KeyId=key_id)["KeyMetadata"]
    assert new_primary["KeyState"] == "Enabled"
    assert new_primary["MultiRegionConfiguration"]["MultiRegionKeyType"] == "PRIMARY"
    old = kms_in(REGION).describe_key(KeyId=key_id)["KeyMetadata"]["MultiRegionConfiguration"]
    assert (old["MultiRegionKeyType"], old["PrimaryKey"]["Region"]) == ("REPLICA", OTHER)
    assert kms_in(OTHER).decrypt(CiphertextBlob=ciphertext)["Plaintext"] == b"x"
    kms_in(OTHER).replicate_key(KeyId=key_id, ReplicaRegion=THIRD)
    assert error_of(kms_in(REGION).replicate_key, KeyId=key_id, ReplicaRegion="us-west-2")[0] == (
        "UnsupportedOperationException"
    )


def test_update_primary_region_refuses_what_kms_refuses(kms_in: Callable[[str], Any]) -> None:
    key_id = primary_with_replica(kms_in, "SYMMETRIC_DEFAULT", None)
    primary, replica = kms_in(REGION), kms_in(OTHER)
    assert error_of(replica.update_primary_region, KeyId=key_id, PrimaryRegion=REGION)[0] == (
        "UnsupportedOperationException"  # KeyId must be the primary key
    )
    assert error_of(primary.update_primary_region, KeyId=key_id, PrimaryRegion=THIRD)[0] == (
        "NotFoundException"  # no replica there
    )
    assert error_of(primary.update_primary_region, KeyId=key_id, PrimaryRegion=REGION)[0] == (
        "ValidationException"  # already the primary
    )
    replica.disable_key(KeyId=key_id)
    assert error_of(primary.update_primary_region, KeyId=key_id, PrimaryRegion=OTHER)[0] == (
        "KMSInvalidStateException"  # both keys must be Enabled
    )
    single = new_key(primary)
    assert error_of(primary.update_primary_region, KeyId=single, PrimaryRegion=OTHER)[0] == (
        "UnsupportedOperationException"
    )
