"""GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial and on-demand rotation."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from kyber_py.ml_kem import ML_KEM_512

from keyforge.embedded_kms import clock
from keyforge.keys.material import check_material, default_wrapping, generate_material, wrap
from keyforge_kms_key.keyspecs import KEY_SPECS, KeyUsage
from tests.embedded import REGION, key_state

from .conftest import error_of, new_key

MESSAGE = b"imported key material at work"
NEVER = {"ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"}
SPKI = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
# Every key spec and usage KMS imports material for; the longer RSA keys prove their size once.
IMPORTABLE = [
    (spec, usage.value)
    for spec, info in KEY_SPECS.items()
    if info.exists_in(REGION) and info.importable_in(REGION)
    for usage in info.usages
    if spec in ("RSA_2048",) or not spec.startswith("RSA_") or usage is KeyUsage.SIGN_VERIFY
]


def external_key(kms: Any, spec: str = "SYMMETRIC_DEFAULT", usage: str | None = None) -> str:
    return new_key(kms, spec, usage, Origin="EXTERNAL")


def wrapped(
    kms: Any,
    key_id: str,
    material: bytes,
    algorithm: str | None = None,
    wrapping_key_spec: str = "RSA_2048",
) -> dict[str, Any]:
    """ImportToken and EncryptedKeyMaterial for one import, wrapped as a user would."""
    spec = kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeySpec"]
    algorithm = algorithm or default_wrapping(spec, kms.meta.region_name)[0]
    answer = kms.get_parameters_for_import(
        KeyId=key_id, WrappingAlgorithm=algorithm, WrappingKeySpec=wrapping_key_spec
    )
    public_key = serialization.load_der_public_key(answer["PublicKey"])
    assert isinstance(public_key, rsa.RSAPublicKey)
    return {
        "KeyId": key_id,
        "ImportToken": answer["ImportToken"],
        "EncryptedKeyMaterial": wrap(material, public_key, algorithm),
    }


def parameters_refused(
    kms: Any, key_id: str, algorithm: str, wrapping_key_spec: str = "RSA_2048"
) -> tuple[str, str]:
    return error_of(
        kms.get_parameters_for_import,
        KeyId=key_id,
        WrappingAlgorithm=algorithm,
        WrappingKeySpec=wrapping_key_spec,
    )


def import_into(kms: Any, key_id: str, material: bytes, **extra: Any) -> dict[str, Any]:
    answer: dict[str, Any] = kms.import_key_material(
        **wrapped(kms, key_id, material), **(extra or NEVER)
    )
    return answer


def test_every_importable_key_spec_is_covered() -> None:
    specs = {spec for spec, _ in IMPORTABLE}
    assert specs == {
        spec
        for spec, info in KEY_SPECS.items()
        if info.importable_in(REGION) and info.exists_in(REGION)
    }
    assert not any(spec.startswith("ML_DSA_") for spec in specs)
    assert len(IMPORTABLE) == 20


# --- The imported material is the key ----------------------------------------------------------


def _uses_material(kms: Any, key_id: str, spec: str, usage: str, material: bytes) -> None:
    """The key's cryptographic operation, checked against the material held locally."""
    if usage == "GENERATE_VERIFY_MAC":
        algorithm = KEY_SPECS[spec].algorithms[KeyUsage.GENERATE_VERIFY_MAC][0]
        digest = getattr(hashlib, "sha" + algorithm.rsplit("_", 1)[-1])
        mac = kms.generate_mac(KeyId=key_id, Message=MESSAGE, MacAlgorithm=algorithm)["Mac"]
        assert mac == hmac.new(material, MESSAGE, digest).digest()
        return
    if spec == "SYMMETRIC_DEFAULT":
        blob = kms.encrypt(KeyId=key_id, Plaintext=MESSAGE)["CiphertextBlob"]
        assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == MESSAGE
        return
    private = check_material(material, spec).private_key
    public_der = kms.get_public_key(KeyId=key_id)["PublicKey"]
    if spec == "ML_KEM_512":
        secret, ciphertext = ML_KEM_512.encaps(ML_KEM_512.key_derive(private)[0])
    elif spec.startswith("ML_KEM_"):
        assert public_der == private.public_key().public_bytes(*SPKI)
        secret, ciphertext = private.public_key().encapsulate()
    else:
        assert public_der == private.public_key().public_bytes(*SPKI)
    if usage == "ENCAPSULATE_DECAPSULATE":
        answer = kms.decapsulate(
            KeyId=key_id, SharedSecretCiphertextBlob=ciphertext, EncapsulationAlgorithm="ML_KEM"
        )
        assert answer["SharedSecret"] == secret
    elif usage == "SIGN_VERIFY":
        algorithm = KEY_SPECS[spec].algorithms[KeyUsage.SIGN_VERIFY][0]
        signature = kms.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm=algorithm)["Signature"]
        if isinstance(private, rsa.RSAPrivateKey):
            digest = hashes.SHA256()
            scheme = padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size)
            private.public_key().verify(signature, MESSAGE, scheme, digest)
        elif isinstance(private, ec.EllipticCurvePrivateKey):
            digest_name = algorithm.rsplit("_", 1)[-1]
            chosen = {"256": hashes.SHA256, "384": hashes.SHA384, "512": hashes.SHA512}
            private.public_key().verify(signature, MESSAGE, ec.ECDSA(chosen[digest_name]()))
        else:
            assert isinstance(private, ed25519.Ed25519PrivateKey)
            private.public_key().verify(signature, MESSAGE)
    elif usage == "ENCRYPT_DECRYPT":
        digest = hashes.SHA256()
        oaep = padding.OAEP(mgf=padding.MGF1(digest), algorithm=digest, label=None)
        ciphertext = private.public_key().encrypt(MESSAGE, oaep)
        answer = kms.decrypt(
            KeyId=key_id, CiphertextBlob=ciphertext, EncryptionAlgorithm="RSAES_OAEP_SHA_256"
        )
        assert answer["Plaintext"] == MESSAGE
    else:
        assert usage == "KEY_AGREEMENT"
        peer = ec.generate_private_key(private.curve)
        answer = kms.derive_shared_secret(
            KeyId=key_id,
            KeyAgreementAlgorithm="ECDH",
            PublicKey=peer.public_key().public_bytes(*SPKI),
        )
        assert answer["SharedSecret"] == peer.exchange(ec.ECDH(), private.public_key())


@pytest.mark.parametrize(("spec", "usage"), IMPORTABLE)
def test_imported_material_is_what_the_key_uses(kms: Any, spec: str, usage: str) -> None:
    key_id = external_key(kms, spec, usage)
    assert key_state(kms, key_id) == "PendingImport"
    material = generate_material(spec)
    answer = import_into(kms, key_id, material)
    assert answer["KeyId"].endswith(key_id)
    metadata = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    assert (metadata["KeyState"], metadata["Enabled"]) == ("Enabled", True)
    assert metadata["ExpirationModel"] == "KEY_MATERIAL_DOES_NOT_EXPIRE"
    assert "ValidTo" not in metadata
    _uses_material(kms, key_id, spec, usage, material)


def test_a_pem_private_key_is_refused_kms_imports_der(kms: Any) -> None:
    key_id = external_key(kms, "ECC_NIST_P256", "SIGN_VERIFY")
    der = generate_material("ECC_NIST_P256")
    pem = serialization.load_der_private_key(der, None).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    code, message = error_of(kms.import_key_material, **wrapped(kms, key_id, pem), **NEVER)
    assert code == "IncorrectKeyMaterialException" and "DER" in message
    assert key_state(kms, key_id) == "PendingImport"


def test_before_import_the_key_has_no_material_to_use(kms: Any) -> None:
    key_id = external_key(kms, "RSA_2048", "SIGN_VERIFY")
    code, _ = error_of(kms.get_public_key, KeyId=key_id)
    assert code == "KMSInvalidStateException"
    code, _ = error_of(
        kms.sign, KeyId=key_id, Message=MESSAGE, SigningAlgorithm="RSASSA_PSS_SHA_256"
    )
    assert code == "KMSInvalidStateException"


# --- GetParametersForImport --------------------------------------------------------------------


def test_parameters_are_a_fresh_rsa_wrapping_key_and_a_token_valid_for_a_day(kms: Any) -> None:
    key_id = external_key(kms)
    first = kms.get_parameters_for_import(
        KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_3072"
    )
    second = kms.get_parameters_for_import(
        KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_1", WrappingKeySpec="RSA_2048"
    )
    public_key = serialization.load_der_public_key(first["PublicKey"])
    assert isinstance(public_key, rsa.RSAPublicKey) and public_key.key_size == 3072
    assert first["PublicKey"] != second["PublicKey"]
    assert first["ImportToken"] != second["ImportToken"]
    assert first["KeyId"].endswith(key_id)
    remaining = first["ParametersValidTo"] - datetime.now(UTC)
    assert timedelta(hours=23) < remaining <= timedelta(hours=24)


@pytest.mark.parametrize(
    ("spec", "usage", "algorithm", "wrapping_key_spec", "fragment"),
    [
        ("RSA_2048", "SIGN_VERIFY", "RSAES_OAEP_SHA_256", "RSA_4096", "RSA_AES_KEY_WRAP"),
        ("HMAC_256", "GENERATE_VERIFY_MAC", "RSA_AES_KEY_WRAP_SHA_256", "RSA_2048", "HMAC"),
        ("ECC_NIST_P521", "SIGN_VERIFY", "RSAES_OAEP_SHA_1", "RSA_2048", "does not fit"),
        ("SYMMETRIC_DEFAULT", None, "RSAES_PKCS1_V1_5", "RSA_2048", "no longer supports"),
        ("SYMMETRIC_DEFAULT", None, "SM2PKE", "SM2", "China Regions"),
    ],
)
def test_wrapping_kms_does_not_offer_for_the_material_is_refused(
    kms: Any,
    spec: str,
    usage: str | None,
    algorithm: str,
    wrapping_key_spec: str,
    fragment: str,
) -> None:
    key_id = external_key(kms, spec, usage)
    code, message = parameters_refused(kms, key_id, algorithm, wrapping_key_spec)
    assert code == "ValidationException" and fragment in message


def test_parameters_for_a_key_kms_made_material_for_are_refused(kms: Any) -> None:
    code, message = parameters_refused(kms, new_key(kms), "RSAES_OAEP_SHA_256")
    assert code == "UnsupportedOperationException" and "Origin AWS_KMS" in message


def test_unknown_wrapping_values_are_enum_errors(unvalidated_kms: Any) -> None:
    key_id = external_key(unvalidated_kms)
    code, message = parameters_refused(unvalidated_kms, key_id, "RSAES_OAEP_SHA_256", "RSA_1024")
    assert code == "ValidationException" and "wrappingKeySpec" in message


# --- ImportKeyMaterial refusals ----------------------------------------------------------------


def test_a_token_is_for_its_key_only(kms: Any) -> None:
    first, second = external_key(kms), external_key(kms)
    request = wrapped(kms, first, generate_material("SYMMETRIC_DEFAULT"))
    code, message = error_of(kms.import_key_material, **{**request, "KeyId": second}, **NEVER)
    assert code == "InvalidImportTokenException" and "another KMS key" in message
    code, _ = error_of(kms.import_key_material, **{**request, "ImportToken": b"made-up"}, **NEVER)
    assert code == "InvalidImportTokenException"
    assert key_state(kms, second) == "PendingImport"


def test_a_token_expires_after_24_hours(kms: Any) -> None:
    key_id = external_key(kms)
    request = wrapped(kms, key_id, generate_material("SYMMETRIC_DEFAULT"))
    clock.advance(timedelta(hours=24, seconds=1))
    code, _ = error_of(kms.import_key_material, **request, **NEVER)
    assert code == "ExpiredImportTokenException"


def test_material_wrapped_for_another_wrapping_key_does_not_unwrap(kms: Any) -> None:
    key_id = external_key(kms)
    material = generate_material("SYMMETRIC_DEFAULT")
    first = wrapped(kms, key_id, material)
    second = wrapped(kms, key_id, material)
    mixed = {**first, "ImportToken": second["ImportToken"]}
    code, _ = error_of(kms.import_key_material, **mixed, **NEVER)
    assert code == "InvalidCiphertextException"
    assert key_state(kms, key_id) == "PendingImport"


@pytest.mark.parametrize(
    ("spec", "usage", "material", "fragment"),
    [
        ("SYMMETRIC_DEFAULT", None, b"\x01" * 31, "32 bytes of raw key, not 31"),
        ("HMAC_256", "GENERATE_VERIFY_MAC", b"\x01" * 65, "32 to 64 bytes"),
        ("HMAC_384", "GENERATE_VERIFY_MAC", b"\x01" * 47, "48 to 128 bytes"),
        ("ECC_NIST_P256", "SIGN_VERIFY", generate_material("ECC_SECG_P256K1"), "secp256r1"),
        ("ECC_NIST_P256", "KEY_AGREEMENT", generate_material("ECC_NIST_EDWARDS25519"), "Ed25519"),
        ("RSA_3072", "SIGN_VERIFY", generate_material("RSA_2048"), "RSA 2048-bit"),
        ("ML_KEM_768", "ENCAPSULATE_DECAPSULATE", generate_material("ML_KEM_1024"), "ML-KEM-768"),
        ("ML_KEM_512", "ENCAPSULATE_DECAPSULATE", generate_material("ML_KEM_768"), "seed form"),
    ],
)
def test_material_that_is_not_of_the_key_spec_is_refused(
    kms: Any, spec: str, usage: str | None, material: bytes, fragment: str
) -> None:
    key_id = external_key(kms, spec, usage)
    code, message = error_of(kms.import_key_material, **wrapped(kms, key_id, material), **NEVER)
    assert code == "IncorrectKeyMaterialException" and fragment in message
    assert key_state(kms, key_id) == "PendingImport"


def test_expiration_is_checked_as_kms_checks_it(kms: Any) -> None:
    key_id = external_key(kms)
    request = wrapped(kms, key_id, generate_material("SYMMETRIC_DEFAULT"))
    now = datetime.now(UTC)
    for extra, fragment in [
        ({}, "ValidTo is required"),
        ({"ValidTo": now - timedelta(minutes=1)}, "in the future"),
        ({"ValidTo": now + timedelta(days=366)}, "365 days"),
        ({**NEVER, "ValidTo": now + timedelta(days=1)}, "not valid with"),
    ]:
        code, message = error_of(kms.import_key_material, **request, **extra)
        assert code == "ValidationException" and fragment in message, extra
    assert key_state(kms, key_id) == "PendingImport"


def test_only_symmetric_keys_take_an_import_type(kms: Any) -> None:
    key_id = external_key(kms, "HMAC_256", "GENERATE_VERIFY_MAC")
    request = wrapped(kms, key_id, generate_material("HMAC_256"))
    code, _ = error_of(kms.import_key_material, **request, **NEVER, ImportType="NEW_KEY_MATERIAL")
    assert code == "ValidationException"


# --- Reimport, deletion, expiry ----------------------------------------------------------------


def test_deleted_material_comes_back_only_as_the_same_material(kms: Any) -> None:
    key_id = external_key(kms, "HMAC_256", "GENERATE_VERIFY_MAC")
    material = generate_material("HMAC_256")
    import_into(kms, key_id, material)
    mac = kms.generate_mac(KeyId=key_id, Message=MESSAGE, MacAlgorithm="HMAC_SHA_256")["Mac"]

    kms.delete_imported_key_material(KeyId=key_id)
    assert key_state(kms, key_id) == "PendingImport"
    code, _ = error_of(kms.generate_mac, KeyId=key_id, Message=MESSAGE, MacAlgorithm="HMAC_SHA_256")
    assert code == "KMSInvalidStateException"
    code, message = error_of(
        kms.import_key_material, **wrapped(kms, key_id, generate_material("HMAC_256")), **NEVER
    )
    assert code == "IncorrectKeyMaterialException" and "previously imported" in message

    import_into(kms, key_id, material)
    assert key_state(kms, key_id) == "Enabled"
    assert (
        kms.generate_mac(KeyId=key_id, Message=MESSAGE, MacAlgorithm="HMAC_SHA_256")["Mac"] == mac
    )


def test_material_expires_at_its_valid_to(kms: Any) -> None:
    key_id = external_key(kms)
    valid_to = datetime.now(UTC) + timedelta(days=30)
    material = generate_material("SYMMETRIC_DEFAULT")
    import_into(kms, key_id, material, ValidTo=valid_to, ExpirationModel="KEY_MATERIAL_EXPIRES")
    metadata = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    assert metadata["ExpirationModel"] == "KEY_MATERIAL_EXPIRES"
    assert abs(metadata["ValidTo"] - valid_to) < timedelta(seconds=1)
    blob = kms.encrypt(KeyId=key_id, Plaintext=MESSAGE)["CiphertextBlob"]

    clock.advance(timedelta(days=31))
    assert key_state(kms, key_id) == "PendingImport"
    code, _ = error_of(kms.decrypt, CiphertextBlob=blob)
    assert code == "KMSInvalidStateException"

    import_into(kms, key_id, material)
    assert key_state(kms, key_id) == "Enabled"
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == MESSAGE


def test_a_disabled_key_whose_material_is_deleted_is_enabled_by_the_reimport(kms: Any) -> None:
    key_id = external_key(kms)
    material = generate_material("SYMMETRIC_DEFAULT")
    import_into(kms, key_id, material)
    kms.disable_key(KeyId=key_id)
    kms.delete_imported_key_material(KeyId=key_id)
    assert key_state(kms, key_id) == "PendingImport"
    code, _ = error_of(kms.enable_key, KeyId=key_id)
    assert code == "KMSInvalidStateException"
    import_into(kms, key_id, material)
    assert key_state(kms, key_id) == "Enabled"


def test_deletion_leaves_a_key_pending_deletion_so(kms: Any) -> None:
    key_id = external_key(kms)
    import_into(kms, key_id, generate_material("SYMMETRIC_DEFAULT"))
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    code, _ = parameters_refused(kms, key_id, "RSAES_OAEP_SHA_256")
    assert code == "KMSInvalidStateException"
    kms.delete_imported_key_material(KeyId=key_id)
    assert key_state(kms, key_id) == "PendingDeletion"
    kms.cancel_key_deletion(KeyId=key_id)
    assert key_state(kms, key_id) == "PendingImport"


def test_a_key_kms_made_material_for_has_none_to_delete(kms: Any) -> None:
    code, _ = error_of(kms.delete_imported_key_material, KeyId=new_key(kms))
    assert code == "UnsupportedOperationException"


# --- Rotation on demand ------------------------------------------------------------------------


def test_a_kms_key_rotates_to_new_material_and_still_decrypts_the_old(kms: Any) -> None:
    key_id = new_key(kms)
    before = kms.describe_key(KeyId=key_id)["KeyMetadata"]["CurrentKeyMaterialId"]
    blob = kms.encrypt(KeyId=key_id, Plaintext=MESSAGE)["CiphertextBlob"]
    assert kms.list_key_rotations(KeyId=key_id)["Rotations"] == []

    assert kms.rotate_key_on_demand(KeyId=key_id)["KeyId"] == key_id
    (rotation,) = kms.list_key_rotations(KeyId=key_id)["Rotations"]
    assert rotation["RotationType"] == "ON_DEMAND" and rotation["KeyMaterialState"] == "CURRENT"
    after = kms.describe_key(KeyId=key_id)["KeyMetadata"]["CurrentKeyMaterialId"]
    assert after == rotation["KeyMaterialId"] != before
    every = kms.list_key_rotations(KeyId=key_id, IncludeKeyMaterial="ALL_KEY_MATERIAL")
    assert [(r["KeyMaterialId"], r["KeyMaterialState"]) for r in every["Rotations"]] == [
        (before, "NON_CURRENT"),
        (after, "CURRENT"),
    ]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == MESSAGE
    fresh = kms.encrypt(KeyId=key_id, Plaintext=MESSAGE)["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=fresh)["Plaintext"] == MESSAGE


def test_on_demand_rotations_stop_at_25(kms: Any) -> None:
    key_id = new_key(kms)
    for _ in range(25):
        kms.rotate_key_on_demand(KeyId=key_id)
    code, _ = error_of(kms.rotate_key_on_demand, KeyId=key_id)
    assert code == "LimitExceededException"
    page = kms.list_key_rotations(KeyId=key_id, Limit=10)
    assert len(page["Rotations"]) == 10 and page["Truncated"] is True
    rest = kms.list_key_rotations(KeyId=key_id, Marker=page["NextMarker"])["Rotations"]
    assert len(rest) == 15


@pytest.mark.parametrize(
    ("spec", "usage"), [("HMAC_256", "GENERATE_VERIFY_MAC"), ("RSA_2048", "SIGN_VERIFY")]
)
def test_only_symmetric_encryption_keys_rotate(kms: Any, spec: str, usage: str) -> None:
    key_id = new_key(kms, spec, usage)
    for call in (kms.rotate_key_on_demand, kms.list_key_rotations):
        code, message = error_of(call, KeyId=key_id)
        assert code == "UnsupportedOperationException" and spec in message


def test_a_disabled_key_does_not_rotate(kms: Any) -> None:
    key_id = new_key(kms)
    kms.disable_key(KeyId=key_id)
    code, _ = error_of(kms.rotate_key_on_demand, KeyId=key_id)
    assert code == "DisabledException"


def test_an_imported_key_rotates_to_new_material_imported_first(kms: Any) -> None:
    key_id = external_key(kms)
    first, second = generate_material("SYMMETRIC_DEFAULT"), generate_material("SYMMETRIC_DEFAULT")
    first_id = import_into(kms, key_id, first)["KeyMaterialId"]
    old_blob = kms.encrypt(KeyId=key_id, Plaintext=MESSAGE)["CiphertextBlob"]
    code, message = error_of(kms.rotate_key_on_demand, KeyId=key_id)
    assert code == "KMSInvalidStateException" and "NEW_KEY_MATERIAL" in message

    second_id = import_into(
        kms, key_id, second, **NEVER, ImportType="NEW_KEY_MATERIAL", KeyMaterialDescription="v2"
    )["KeyMaterialId"]
    assert key_state(kms, key_id) == "Enabled"
    listed = kms.list_key_rotations(KeyId=key_id, IncludeKeyMaterial="ALL_KEY_MATERIAL")
    assert [(r["KeyMaterialId"], r["KeyMaterialState"]) for r in listed["Rotations"]] == [
        (first_id, "CURRENT"),
        (second_id, "PENDING_ROTATION"),
    ]
    code, _ = error_of(
        kms.import_key_material,
        **wrapped(kms, key_id, generate_material("SYMMETRIC_DEFAULT")),
        **NEVER,
        ImportType="NEW_KEY_MATERIAL",
    )
    assert code == "KMSInvalidStateException"

    kms.rotate_key_on_demand(KeyId=key_id)
    (rotation,) = kms.list_key_rotations(KeyId=key_id)["Rotations"]
    assert rotation["KeyMaterialId"] == second_id
    assert rotation["ImportState"] == "IMPORTED" and rotation["KeyMaterialDescription"] == "v2"
    assert kms.decrypt(CiphertextBlob=old_blob)["Plaintext"] == MESSAGE

    # Every permanently associated material must be there for the key to be usable.
    kms.delete_imported_key_material(KeyId=key_id, KeyMaterialId=first_id)
    assert key_state(kms, key_id) == "PendingImport"
    code, _ = error_of(
        kms.import_key_material, **wrapped(kms, key_id, first), **NEVER, KeyMaterialId=second_id
    )
    assert code == "IncorrectKeyMaterialException"
    import_into(kms, key_id, first, **NEVER, KeyMaterialId=first_id)
    assert key_state(kms, key_id) == "Enabled"
    assert kms.decrypt(CiphertextBlob=old_blob)["Plaintext"] == MESSAGE


def test_material_pending_rotation_can_be_deleted_and_replaced(kms: Any) -> None:
    key_id = external_key(kms)
    import_into(kms, key_id, generate_material("SYMMETRIC_DEFAULT"))
    pending = import_into(
        kms, key_id, generate_material("SYMMETRIC_DEFAULT"), **NEVER, ImportType="NEW_KEY_MATERIAL"
    )["KeyMaterialId"]
    kms.delete_imported_key_material(KeyId=key_id, KeyMaterialId=pending)
    assert key_state(kms, key_id) == "Enabled"
    listed = kms.list_key_rotations(KeyId=key_id, IncludeKeyMaterial="ALL_KEY_MATERIAL")
    assert [r["KeyMaterialState"] for r in listed["Rotations"]] == ["CURRENT"]


# --- China Regions -----------------------------------------------------------------------------


def test_in_china_symmetric_material_is_128_bits_wrapped_with_rsaes_oaep(
    kms_in: Callable[[str], Any],
) -> None:
    kms = kms_in("cn-north-1")
    key_id = external_key(kms)
    code, message = parameters_refused(kms, key_id, "RSA_AES_KEY_WRAP_SHA_256")
    assert code == "ValidationException" and "China" in message
    code, message = error_of(kms.import_key_material, **wrapped(kms, key_id, bytes(32)), **NEVER)
    assert code == "IncorrectKeyMaterialException" and "16 bytes" in message
    import_into(kms, key_id, generate_material("SYMMETRIC_DEFAULT", "cn-north-1"))
    blob = kms.encrypt(KeyId=key_id, Plaintext=MESSAGE)["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == MESSAGE
