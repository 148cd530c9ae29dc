"""Imported key material in multi-Region keys, as the KMS API reference describes it.

What each test holds the embedded KMS to:

- ImportKeyMaterial: new key material goes into the primary Region key (ImportType
  NEW_KEY_MATERIAL), then the same key material into every replica Region key (ImportType
  EXISTING_KEY_MATERIAL), before RotateKeyOnDemand on the primary Region key; "You cannot
  directly import new key material into the replica Region keys."
- IncorrectKeyMaterialException: the key material "is not the same key material that was
  previously imported".
- RotationsListEntry, KeyMaterialState: PENDING_MULTI_REGION_IMPORT_AND_ROTATION is key material
  imported into the primary Region key but not all of the replica Region keys; imported into all
  of them, it becomes PENDING_ROTATION.
- RotateKeyOnDemand: a set of related multi-Region keys rotates on its primary Region key;
  EnableKeyRotation: automatic rotation is set on the primary key.
- DeleteImportedKeyMaterial: deleting pending key material of the primary Region key deletes it
  from the replica Region keys; deleting key material of a replica Region key leaves the primary
  and the other replicas unchanged.
- Developer guide, "Importing key material into multi-Region keys": KMS does not copy imported
  key material to replicas, and the key states of related keys are independent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from keyforge.embedded_kms import clock
from keyforge.keys.material import default_wrapping, generate_material, wrap
from tests.embedded import REGION, key_state

from .conftest import error_of, new_key

OTHER = "eu-west-1"
THIRD = "ap-southeast-2"
NEVER = {"ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"}
MESSAGE = b"one key in three Regions"
PENDING_MULTI = "PENDING_MULTI_REGION_IMPORT_AND_ROTATION"

Clients = Callable[[str], Any]


def symmetric() -> bytes:
    return generate_material("SYMMETRIC_DEFAULT")


def wrapped(kms: Any, key_id: str, material: bytes) -> dict[str, Any]:
    """ImportToken and EncryptedKeyMaterial for one import into the key in kms's Region."""
    spec = kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeySpec"]
    algorithm = default_wrapping(spec, kms.meta.region_name)[0]
    answer = kms.get_parameters_for_import(
        KeyId=key_id, WrappingAlgorithm=algorithm, WrappingKeySpec="RSA_2048"
    )
    public_key = serialization.load_der_public_key(answer["PublicKey"])
    assert isinstance(public_key, rsa.RSAPublicKey)
    return {
        "KeyId": key_id,
        "ImportToken": answer["ImportToken"],
        "EncryptedKeyMaterial": wrap(material, public_key, algorithm),
    }


def import_into(kms: Any, key_id: str, material: bytes, **extra: Any) -> dict[str, Any]:
    answer: dict[str, Any] = kms.import_key_material(
        **wrapped(kms, key_id, material), **{**NEVER, **extra}
    )
    return answer


def refused_import(kms: Any, key_id: str, material: bytes, **extra: Any) -> tuple[str, str]:
    return error_of(kms.import_key_material, **wrapped(kms, key_id, material), **NEVER, **extra)


def states(kms: Any, key_id: str) -> list[tuple[str, str, str | None]]:
    """(KeyMaterialId, KeyMaterialState, ImportState) of every key material, oldest first."""
    listed = kms.list_key_rotations(KeyId=key_id, IncludeKeyMaterial="ALL_KEY_MATERIAL")
    return [
        (r["KeyMaterialId"], r["KeyMaterialState"], r.get("ImportState"))
        for r in listed["Rotations"]
    ]


def current(kms: Any, key_id: str) -> str:
    return str(kms.describe_key(KeyId=key_id)["KeyMetadata"]["CurrentKeyMaterialId"])


def external_set(
    kms_in: Clients, *regions: str, spec: str = "SYMMETRIC_DEFAULT", usage: str | None = None
) -> str:
    """A multi-Region EXTERNAL primary key in REGION with a replica in each of ``regions``."""
    key_id = new_key(kms_in(REGION), spec, usage, Origin="EXTERNAL", MultiRegion=True)
    for region in regions:
        kms_in(REGION).replicate_key(KeyId=key_id, ReplicaRegion=region)
    return key_id


def imported_set(kms_in: Clients, *regions: str) -> tuple[str, bytes, str]:
    """A symmetric set with the same first key material imported into every key."""
    key_id = external_set(kms_in, *regions)
    material = symmetric()
    first_id = import_into(kms_in(REGION), key_id, material)["KeyMaterialId"]
    for region in regions:
        assert import_into(kms_in(region), key_id, material)["KeyMaterialId"] == first_id
    return key_id, material, first_id


# --- The same key material in every key ----------------------------------------------------------


def test_a_replica_takes_the_primary_material_and_the_keys_interoperate(kms_in: Clients) -> None:
    primary, replica = kms_in(REGION), kms_in(OTHER)
    key_id, _, first_id = imported_set(kms_in, OTHER)
    assert key_state(replica, key_id) == "Enabled"
    assert current(primary, key_id) == current(replica, key_id) == first_id
    blob = primary.encrypt(KeyId=key_id, Plaintext=MESSAGE)["CiphertextBlob"]
    assert replica.decrypt(CiphertextBlob=blob)["Plaintext"] == MESSAGE
    back = replica.encrypt(KeyId=key_id, Plaintext=MESSAGE)["CiphertextBlob"]
    assert primary.decrypt(CiphertextBlob=back)["Plaintext"] == MESSAGE


def test_a_replica_refuses_other_material_than_the_primary(kms_in: Clients) -> None:
    key_id = external_set(kms_in, OTHER)
    import_into(kms_in(REGION), key_id, symmetric())
    code, message = refused_import(kms_in(OTHER), key_id, symmetric())
    assert code == "IncorrectKeyMaterialException" and "primary key" in message
    assert key_state(kms_in(OTHER), key_id) == "PendingImport"


def test_a_replica_takes_no_material_before_its_primary_has_some(kms_in: Clients) -> None:
    key_id = external_set(kms_in, OTHER)
    code, _ = refused_import(kms_in(OTHER), key_id, symmetric())
    assert code == "IncorrectKeyMaterialException"
    assert key_state(kms_in(OTHER), key_id) == "PendingImport"


def test_a_replica_refuses_a_key_material_id_that_is_not_its_material(kms_in: Clients) -> None:
    key_id = external_set(kms_in, OTHER)
    material = symmetric()
    first_id = import_into(kms_in(REGION), key_id, material)["KeyMaterialId"]
    code, _ = refused_import(kms_in(OTHER), key_id, material, KeyMaterialId="0" * 64)
    assert code == "IncorrectKeyMaterialException"
    assert import_into(kms_in(OTHER), key_id, material, KeyMaterialId=first_id)
    assert key_state(kms_in(OTHER), key_id) == "Enabled"


def test_an_hmac_replica_takes_only_the_primary_material(kms_in: Clients) -> None:
    key_id = external_set(kms_in, OTHER, spec="HMAC_256", usage="GENERATE_VERIFY_MAC")
    material = generate_material("HMAC_256")
    import_into(kms_in(REGION), key_id, material)
    code, _ = refused_import(kms_in(OTHER), key_id, generate_material("HMAC_256"))
    assert code == "IncorrectKeyMaterialException"
    import_into(kms_in(OTHER), key_id, material)
    request = {"KeyId": key_id, "Message": MESSAGE, "MacAlgorithm": "HMAC_SHA_256"}
    mac = kms_in(REGION).generate_mac(**request)["Mac"]
    assert kms_in(OTHER).verify_mac(**request, Mac=mac)["MacValid"]


# --- New key material: the primary only ----------------------------------------------------------


def test_new_key_material_into_a_replica_is_refused(kms_in: Clients) -> None:
    key_id, _, _ = imported_set(kms_in, OTHER)
    second = symmetric()
    import_into(kms_in(REGION), key_id, second, ImportType="NEW_KEY_MATERIAL")
    for material in (second, symmetric()):
        code, message = refused_import(
            kms_in(OTHER), key_id, material, ImportType="NEW_KEY_MATERIAL"
        )
        assert code == "UnsupportedOperationException" and "replica key" in message
        assert "NEW_KEY_MATERIAL" in message


def test_new_material_waits_for_every_replica_then_rotates_the_whole_set(
    kms_in: Clients,
) -> None:
    primary = kms_in(REGION)
    key_id, _, first_id = imported_set(kms_in, OTHER, THIRD)
    old_blobs = {
        region: kms_in(region).encrypt(KeyId=key_id, Plaintext=MESSAGE)["CiphertextBlob"]
        for region in (REGION, OTHER, THIRD)
    }
    second = symmetric()
    second_id = import_into(primary, key_id, second, ImportType="NEW_KEY_MATERIAL")["KeyMaterialId"]
    assert states(primary, key_id) == [
        (first_id, "CURRENT", "IMPORTED"),
        (second_id, PENDING_MULTI, "IMPORTED"),
    ]
    code, message = error_of(primary.rotate_key_on_demand, KeyId=key_id)
    assert code == "KMSInvalidStateException"
    assert PENDING_MULTI in message and OTHER in message and THIRD in message

    # The same material into one replica: still pending the other.
    assert import_into(kms_in(OTHER), key_id, second)["KeyMaterialId"] == second_id
    assert states(primary, key_id)[1] == (second_id, PENDING_MULTI, "IMPORTED")
    code, message = error_of(primary.rotate_key_on_demand, KeyId=key_id)
    assert code == "KMSInvalidStateException" and THIRD in message and OTHER not in message

    # Into every replica: PENDING_ROTATION, in every key of the set.
    import_into(kms_in(THIRD), key_id, second, ImportType="EXISTING_KEY_MATERIAL")
    for region in (REGION, OTHER, THIRD):
        assert states(kms_in(region), key_id) == [
            (first_id, "CURRENT", "IMPORTED"),
            (second_id, "PENDING_ROTATION", "IMPORTED"),
        ], region

    # RotateKeyOnDemand on the primary makes it CURRENT in every key.
    primary.rotate_key_on_demand(KeyId=key_id)
    for region in (REGION, OTHER, THIRD):
        kms = kms_in(region)
        assert current(kms, key_id) == second_id, region
        assert states(kms, key_id) == [
            (first_id, "NON_CURRENT", "IMPORTED"),
            (second_id, "CURRENT", "IMPORTED"),
        ], region
        (rotation,) = kms.list_key_rotations(KeyId=key_id)["Rotations"]
        assert (rotation["KeyMaterialId"], rotation["RotationType"]) == (second_id, "ON_DEMAND")
        assert key_state(kms, key_id) == "Enabled"
    for region, blob in old_blobs.items():
        for reader in (REGION, OTHER, THIRD):
            assert kms_in(reader).decrypt(CiphertextBlob=blob)["Plaintext"] == MESSAGE, (
                region,
                reader,
            )
    fresh = kms_in(THIRD).encrypt(KeyId=key_id, Plaintext=MESSAGE)["CiphertextBlob"]
    assert primary.decrypt(CiphertextBlob=fresh)["Plaintext"] == MESSAGE


def test_a_replica_lists_the_pending_material_it_has_not_imported(kms_in: Clients) -> None:
    key_id, _, first_id = imported_set(kms_in, OTHER)
    second_id = import_into(kms_in(REGION), key_id, symmetric(), ImportType="NEW_KEY_MATERIAL")[
        "KeyMaterialId"
    ]
    assert states(kms_in(OTHER), key_id) == [
        (first_id, "CURRENT", "IMPORTED"),
        (second_id, PENDING_MULTI, "PENDING_IMPORT"),
    ]
    # Material pending rotation is not permanently associated: the replica stays usable.
    assert key_state(kms_in(OTHER), key_id) == "Enabled"


def test_a_replica_made_while_material_is_pending_must_take_it_too(kms_in: Clients) -> None:
    primary = kms_in(REGION)
    key_id, first, _ = imported_set(kms_in, OTHER)
    second = symmetric()
    second_id = import_into(primary, key_id, second, ImportType="NEW_KEY_MATERIAL")["KeyMaterialId"]
    import_into(kms_in(OTHER), key_id, second)
    assert states(primary, key_id)[1][1] == "PENDING_ROTATION"

    primary.replicate_key(KeyId=key_id, ReplicaRegion=THIRD)
    assert states(primary, key_id)[1] == (second_id, PENDING_MULTI, "IMPORTED")
    code, message = error_of(primary.rotate_key_on_demand, KeyId=key_id)
    assert code == "KMSInvalidStateException" and THIRD in message
    import_into(kms_in(THIRD), key_id, first)
    import_into(kms_in(THIRD), key_id, second)
    primary.rotate_key_on_demand(KeyId=key_id)
    assert current(kms_in(THIRD), key_id) == second_id


def test_a_replica_pending_deletion_is_not_waited_for(kms_in: Clients) -> None:
    primary = kms_in(REGION)
    key_id, _, _ = imported_set(kms_in, OTHER, THIRD)
    second = symmetric()
    second_id = import_into(primary, key_id, second, ImportType="NEW_KEY_MATERIAL")["KeyMaterialId"]
    import_into(kms_in(OTHER), key_id, second)
    # A key pending deletion takes no import, so the set does not wait for it.
    kms_in(THIRD).schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    assert states(primary, key_id)[1] == (second_id, "PENDING_ROTATION", "IMPORTED")
    primary.rotate_key_on_demand(KeyId=key_id)
    assert current(kms_in(OTHER), key_id) == second_id


# --- Rotation is the primary's -------------------------------------------------------------------


def test_a_replica_with_imported_material_does_not_rotate_on_demand(kms_in: Clients) -> None:
    key_id, _, _ = imported_set(kms_in, OTHER)
    second = symmetric()
    import_into(kms_in(REGION), key_id, second, ImportType="NEW_KEY_MATERIAL")
    import_into(kms_in(OTHER), key_id, second)
    code, message = error_of(kms_in(OTHER).rotate_key_on_demand, KeyId=key_id)
    assert code == "UnsupportedOperationException" and "replica key" in message
    assert f"arn:aws:kms:{REGION}:" in message
    assert [s for _, s, _ in states(kms_in(OTHER), key_id)] == ["CURRENT", "PENDING_ROTATION"]


def test_a_replica_of_a_kms_key_rotates_only_through_its_primary(kms_in: Clients) -> None:
    primary, replica = kms_in(REGION), kms_in(OTHER)
    key_id = new_key(primary, MultiRegion=True)
    primary.replicate_key(KeyId=key_id, ReplicaRegion=OTHER)
    before = replica.encrypt(KeyId=key_id, Plaintext=MESSAGE)["CiphertextBlob"]
    code, _ = error_of(replica.rotate_key_on_demand, KeyId=key_id)
    assert code == "UnsupportedOperationException"

    primary.rotate_key_on_demand(KeyId=key_id)
    assert current(replica, key_id) == current(primary, key_id)
    (rotation,) = replica.list_key_rotations(KeyId=key_id)["Rotations"]
    assert rotation["RotationType"] == "ON_DEMAND"
    after = replica.encrypt(KeyId=key_id, Plaintext=MESSAGE)["CiphertextBlob"]
    for blob in (before, after):
        assert primary.decrypt(CiphertextBlob=blob)["Plaintext"] == MESSAGE
        assert replica.decrypt(CiphertextBlob=blob)["Plaintext"] == MESSAGE


def test_automatic_rotation_is_set_on_the_primary_for_the_whole_set(kms_in: Clients) -> None:
    primary, replica = kms_in(REGION), kms_in(OTHER)
    key_id = new_key(primary, MultiRegion=True)
    primary.replicate_key(KeyId=key_id, ReplicaRegion=OTHER)
    for call in (replica.enable_key_rotation, replica.disable_key_rotation):
        code, message = error_of(call, KeyId=key_id)
        assert code == "UnsupportedOperationException" and "primary key" in message
    primary.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=180)
    status = replica.get_key_rotation_status(KeyId=key_id)
    assert (status["KeyRotationEnabled"], status["RotationPeriodInDays"]) == (True, 180)
    primary.disable_key_rotation(KeyId=key_id)
    assert replica.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"] is False


def test_automatic_rotation_of_imported_material_is_refused_everywhere(kms_in: Clients) -> None:
    key_id, _, _ = imported_set(kms_in, OTHER)
    for region in (REGION, OTHER):
        code, _ = error_of(kms_in(region).enable_key_rotation, KeyId=key_id)
        assert code == "UnsupportedOperationException"


# --- Deletion and expiry -------------------------------------------------------------------------


@pytest.mark.parametrize("imported_into_replica", [False, True])
def test_pending_material_deleted_from_the_primary_leaves_the_replicas(
    kms_in: Clients, imported_into_replica: bool
) -> None:
    primary = kms_in(REGION)
    key_id, _, first_id = imported_set(kms_in, OTHER)
    second = symmetric()
    second_id = import_into(primary, key_id, second, ImportType="NEW_KEY_MATERIAL")["KeyMaterialId"]
    if imported_into_replica:
        import_into(kms_in(OTHER), key_id, second)
    primary.delete_imported_key_material(KeyId=key_id, KeyMaterialId=second_id)
    for region in (REGION, OTHER):
        assert states(kms_in(region), key_id) == [(first_id, "CURRENT", "IMPORTED")], region
        assert key_state(kms_in(region), key_id) == "Enabled"
    # The replica takes it no more: it is no longer key material of the primary.
    code, _ = refused_import(kms_in(OTHER), key_id, second)
    assert code == "IncorrectKeyMaterialException"


def test_material_deleted_from_a_replica_leaves_the_primary_unchanged(kms_in: Clients) -> None:
    primary, replica = kms_in(REGION), kms_in(OTHER)
    key_id, material, first_id = imported_set(kms_in, OTHER)
    replica.delete_imported_key_material(KeyId=key_id)
    assert key_state(replica, key_id) == "PendingImport"
    assert states(replica, key_id) == [(first_id, "CURRENT", "PENDING_IMPORT")]
    assert key_state(primary, key_id) == "Enabled"
    assert states(primary, key_id) == [(first_id, "CURRENT", "IMPORTED")]
    import_into(replica, key_id, material)
    assert key_state(replica, key_id) == "Enabled"


def test_pending_material_deleted_from_a_replica_is_imported_again_before_rotation(
    kms_in: Clients,
) -> None:
    primary, replica = kms_in(REGION), kms_in(OTHER)
    key_id, _, _ = imported_set(kms_in, OTHER)
    second = symmetric()
    second_id = import_into(primary, key_id, second, ImportType="NEW_KEY_MATERIAL")["KeyMaterialId"]
    import_into(replica, key_id, second)
    replica.delete_imported_key_material(KeyId=key_id, KeyMaterialId=second_id)
    assert key_state(primary, key_id) == "Enabled"
    assert states(primary, key_id)[1][:2] == (second_id, PENDING_MULTI)
    code, message = error_of(primary.rotate_key_on_demand, KeyId=key_id)
    assert code == "KMSInvalidStateException" and OTHER in message
    import_into(replica, key_id, second)
    primary.rotate_key_on_demand(KeyId=key_id)
    assert current(replica, key_id) == second_id


def test_each_key_of_the_set_expires_on_its_own(kms_in: Clients) -> None:
    primary, replica = kms_in(REGION), kms_in(OTHER)
    key_id = external_set(kms_in, OTHER)
    material = symmetric()
    soon = datetime.now(UTC) + timedelta(days=10)
    import_into(primary, key_id, material, ExpirationModel="KEY_MATERIAL_EXPIRES", ValidTo=soon)
    import_into(replica, key_id, material)
    clock.advance(timedelta(days=11))
    assert key_state(primary, key_id) == "PendingImport"
    assert key_state(replica, key_id) == "Enabled"
    import_into(primary, key_id, material)
    assert key_state(primary, key_id) == "Enabled"
