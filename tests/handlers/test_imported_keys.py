"""READ, UPDATE and DELETE of keys with Origin EXTERNAL in each state of their key material.

PendingImport after CREATE; Enabled once material is imported; PendingImport again once
it is deleted or expires. READ reports the key as KMS has it (Enabled false while the
key waits for material, no public key until there is one); UPDATE changes what KMS
lets it change in that state, and never calls EnableKey or DisableKey on a key waiting
for its material (KMS refuses both).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from keyforge.commands.import_key_material import ImportOptions, import_key_material
from keyforge.embedded_kms import clock
from keyforge.keys.material import check_material, generate_material
from tests.embedded import Provider, key_state

FAST = ImportOptions(wrapping_key_spec="RSA_2048")
SIGNING = {"Origin": "EXTERNAL", "KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"}
MAC = {"Origin": "EXTERNAL", "KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"}
TOGGLES = {"EnableKey", "DisableKey"}


def read_model(provider: Provider, key_id: str) -> dict[str, Any]:
    answer = provider.read(key_id)
    assert answer["status"] == "SUCCESS", answer
    model: dict[str, Any] = answer["resourceModel"]
    return model


def update(provider: Provider, model: dict[str, Any], **changes: Any) -> dict[str, Any]:
    answer = provider.run("UPDATE", {**model, **changes}, previous=model)
    assert answer["status"] == "SUCCESS", answer
    updated: dict[str, Any] = answer["resourceModel"]
    return updated


def public_pem(material: bytes) -> str:
    private = check_material(material, "RSA_2048").private_key
    return str(
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


def test_a_key_waiting_for_its_material_reads_and_updates(
    provider: Provider, kms: Any, operations: Callable[[], list[str]]
) -> None:
    model = provider.create(
        {
            **MAC,
            "Description": "waiting",
            "AliasName": "alias/imported/mac",
            "Tags": [{"Key": "team", "Value": "platform"}],
        }
    )
    read = read_model(provider, model["KeyId"])
    assert (read["Origin"], read["Enabled"], read["AliasName"]) == (
        "EXTERNAL",
        False,
        "alias/imported/mac",
    )
    assert "EnableKeyRotation" not in read and read["MacAlgorithms"] == ["HMAC_SHA_256"]

    operations()
    updated = update(
        provider,
        model,
        Description="still waiting",
        Tags=[{"Key": "team", "Value": "security"}],
    )
    assert (updated["Description"], updated["Enabled"]) == ("still waiting", False)
    assert updated["Tags"] == [{"Key": "team", "Value": "security"}]
    for enabled in (False, True):
        assert update(provider, model, Enabled=enabled)["Enabled"] is False
    assert not TOGGLES & set(operations())
    assert key_state(kms, model["KeyId"]) == "PendingImport"


def test_once_imported_the_key_reads_enabled_with_the_imported_public_key(
    provider: Provider, kms: Any
) -> None:
    model = provider.create(SIGNING)
    assert "PublicKey" not in model
    material = generate_material("RSA_2048")
    import_key_material(kms, model["KeyId"], material, FAST)
    read = read_model(provider, model["KeyId"])
    assert read["Enabled"] is True
    assert read["PublicKeyPem"] == public_pem(material)

    disabled = update(provider, read, Enabled=False)
    assert disabled["Enabled"] is False and "PublicKey" not in disabled
    assert key_state(kms, model["KeyId"]) == "Disabled"
    enabled = update(provider, disabled, Enabled=True, Description="in use")
    assert enabled["Enabled"] is True and enabled["PublicKeyPem"] == public_pem(material)
    assert key_state(kms, model["KeyId"]) == "Enabled"


def test_deleted_material_reads_as_a_key_waiting_again_and_updates_without_toggling(
    provider: Provider, kms: Any, operations: Callable[[], list[str]]
) -> None:
    model = provider.create(SIGNING)
    material = generate_material("RSA_2048")
    import_key_material(kms, model["KeyId"], material, FAST)
    kms.delete_imported_key_material(KeyId=model["KeyId"])

    read = read_model(provider, model["KeyId"])
    assert read["Enabled"] is False and "PublicKey" not in read
    operations()
    for enabled in (True, False):
        updated = update(provider, read, Enabled=enabled, Description=f"enabled {enabled}")
        assert updated["Enabled"] is False
    assert not TOGGLES & set(operations())
    assert key_state(kms, model["KeyId"]) == "PendingImport"

    import_key_material(kms, model["KeyId"], material, FAST)
    again = read_model(provider, model["KeyId"])
    assert again["Enabled"] is True and again["PublicKeyPem"] == public_pem(material)


def test_expired_material_reads_as_a_key_waiting_again(provider: Provider, kms: Any) -> None:
    model = provider.create(MAC)
    valid_to = datetime.now(UTC) + timedelta(days=10)
    material = generate_material("HMAC_256")
    import_key_material(
        kms,
        model["KeyId"],
        material,
        ImportOptions(wrapping_key_spec="RSA_2048", valid_to=valid_to),
    )
    assert read_model(provider, model["KeyId"])["Enabled"] is True

    clock.advance(timedelta(days=11))
    read = read_model(provider, model["KeyId"])
    assert read["Enabled"] is False
    assert update(provider, read, Description="expired")["Description"] == "expired"
    assert key_state(kms, model["KeyId"]) == "PendingImport"


def test_an_imported_symmetric_key_has_no_automatic_rotation_in_any_state(
    provider: Provider, kms: Any
) -> None:
    model = provider.create({"Origin": "EXTERNAL"})
    import_key_material(kms, model["KeyId"], generate_material("SYMMETRIC_DEFAULT"), FAST)
    read = read_model(provider, model["KeyId"])
    assert read["Enabled"] is True and "EnableKeyRotation" not in read
    refused = provider.run("UPDATE", {**read, "EnableKeyRotation": True}, previous=read)
    assert refused["errorCode"] == "InvalidRequest"
    assert "EnableKeyRotation true is not allowed for Origin EXTERNAL" in refused["message"]


@pytest.mark.parametrize("imported", [False, True])
def test_a_key_with_or_without_its_material_is_deleted(
    provider: Provider, kms: Any, imported: bool
) -> None:
    model = provider.create(MAC)
    if imported:
        import_key_material(kms, model["KeyId"], generate_material("HMAC_256"), FAST)
    answer = provider.run("DELETE", {**model, "PendingWindowInDays": 7})
    assert answer["status"] == "SUCCESS"
    assert key_state(kms, model["KeyId"]) == "PendingDeletion"
    assert provider.read(model["KeyId"])["errorCode"] == "NotFound"


def test_creating_a_disabled_key_for_imported_material(provider: Provider, kms: Any) -> None:
    answer = provider.run("CREATE", {**MAC, "Enabled": False})
    assert answer["status"] == "SUCCESS", answer
    assert answer["resourceModel"]["Enabled"] is False
    assert key_state(kms, answer["resourceModel"]["KeyId"]) == "PendingImport"
