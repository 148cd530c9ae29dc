"""`keyforge import-key-material`, `rotate` and `rotations` against the embedded KMS over HTTP."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from keyforge import embedded_kms
from keyforge.keys.material import generate_material
from tests.cli.helpers import kms_client, run_keyforge
from tests.embedded import key_state

pytestmark = pytest.mark.usefixtures("aws_environment")
FAST = ("--wrapping-key-spec", "RSA_2048")
MESSAGES = [b"a", b"keyforge", bytes(range(256)) * 4]


def keyforge(
    capsys: pytest.CaptureFixture[str], url: str, *args: str
) -> tuple[int, list[str], list[str]]:
    completed = run_keyforge(capsys, *args, "--endpoint-url", url)
    return completed.returncode, completed.stdout.splitlines(), completed.stderr.splitlines()


def external(kms: Any, spec: str = "SYMMETRIC_DEFAULT", usage: str = "ENCRYPT_DECRYPT") -> str:
    key_id: str = kms.create_key(KeySpec=spec, KeyUsage=usage, Origin="EXTERNAL")["KeyMetadata"][
        "KeyId"
    ]
    return key_id


def material_file(tmp_path: Path, data: bytes, name: str = "material.bin") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def importing(
    capsys: pytest.CaptureFixture[str], url: str, key_id: str, path: str, *extra: str
) -> tuple[int, list[str], list[str]]:
    return keyforge(capsys, url, "import-key-material", key_id, "--material", path, *extra)


# --- Done when ---------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", ["HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512"])
def test_imported_hmac_material_gives_kms_macs_equal_to_local_hmacs(
    capsys: pytest.CaptureFixture[str],
    embedded_url: str,
    served_kms: Any,
    tmp_path: Path,
    spec: str,
) -> None:
    key_id = external(served_kms, spec, "GENERATE_VERIFY_MAC")
    material = generate_material(spec)
    code, out, err = importing(
        capsys, embedded_url, key_id, material_file(tmp_path, material), *FAST
    )
    assert (code, err) == (0, [])
    assert out == [
        f"{key_id}: imported {spec} key material ({len(material)} bytes), wrapped with "
        "RSAES_OAEP_SHA_256 under an RSA_2048 wrapping key; key state Enabled; "
        "the key material does not expire"
    ]
    bits = spec.removeprefix("HMAC_")
    for message in MESSAGES:
        mac = served_kms.generate_mac(
            KeyId=key_id, Message=message, MacAlgorithm=f"HMAC_SHA_{bits}"
        )
        local = hmac.new(material, message, getattr(hashlib, f"sha{bits}")).digest()
        assert mac["Mac"] == local


def test_an_imported_rsa_private_key_signs_what_its_public_key_verifies(
    capsys: pytest.CaptureFixture[str], embedded_url: str, served_kms: Any, tmp_path: Path
) -> None:
    key_id = external(served_kms, "RSA_2048", "SIGN_VERIFY")
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    code, out, err = importing(
        capsys, embedded_url, key_id, material_file(tmp_path, pem, "key.pem")
    )
    assert (code, err) == (0, [])
    assert out[0].startswith(
        f"{key_id}: imported RSA_2048 key material (RSA 2048-bit private key), wrapped with "
        "RSA_AES_KEY_WRAP_SHA_256 under an RSA_4096 wrapping key; key state Enabled"
    )
    public = private.public_key()
    for algorithm, scheme in [
        ("RSASSA_PSS_SHA_256", padding.PSS(padding.MGF1(hashes.SHA256()), 32)),
        ("RSASSA_PKCS1_V1_5_SHA_256", padding.PKCS1v15()),
    ]:
        signature = served_kms.sign(KeyId=key_id, Message=MESSAGES[1], SigningAlgorithm=algorithm)
        public.verify(signature["Signature"], MESSAGES[1], scheme, hashes.SHA256())
    code, out, _ = keyforge(capsys, embedded_url, "public-key", key_id)
    assert code == 0
    assert "\n".join(out) + "\n" == public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


@pytest.mark.parametrize(
    ("spec", "usage", "data", "fragment"),
    [
        ("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", bytes(range(31)), "32 bytes of raw key, not 31"),
        ("HMAC_256", "GENERATE_VERIFY_MAC", bytes(range(20)), "32 to 64 bytes of raw key, not 20"),
        (
            "ECC_NIST_P256",
            "SIGN_VERIFY",
            generate_material("ECC_NIST_P384"),
            "needs a private key on curve secp256r1, not an elliptic-curve key on secp384r1",
        ),
        (
            "ECC_NIST_P256",
            "KEY_AGREEMENT",
            generate_material("ECC_SECG_P256K1"),
            "not an elliptic-curve key on secp256k1",
        ),
        (
            "RSA_3072",
            "ENCRYPT_DECRYPT",
            generate_material("RSA_2048"),
            "needs an RSA 3072-bit private key, not an RSA 2048-bit key",
        ),
        ("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", bytes(32).hex().encode(), "this is text"),
    ],
)
def test_bad_material_is_one_line_exit_2_and_nothing_is_sent(
    capsys: pytest.CaptureFixture[str],
    embedded_url: str,
    served_kms: Any,
    tmp_path: Path,
    spec: str,
    usage: str,
    data: bytes,
    fragment: str,
) -> None:
    key_id = external(served_kms, spec, usage)
    path = material_file(tmp_path, data)
    embedded_kms.clear_recorded_operations()
    code, out, err = importing(capsys, embedded_url, key_id, path)
    assert (code, out, len(err)) == (2, [], 1)
    assert err[0].startswith(f"keyforge import-key-material: {path}: ") and fragment in err[0]
    assert embedded_kms.recorded_operations() == ["DescribeKey"]
    assert key_state(served_kms, key_id) == "PendingImport"


def test_rotate_adds_a_rotation(
    capsys: pytest.CaptureFixture[str], embedded_url: str, served_kms: Any
) -> None:
    key_id = served_kms.create_key()["KeyMetadata"]["KeyId"]
    blob = served_kms.encrypt(KeyId=key_id, Plaintext=MESSAGES[1])["CiphertextBlob"]
    code, out, err = keyforge(capsys, embedded_url, "rotations", key_id)
    assert (code, out, err) == (0, [f"{key_id}: no rotations yet"], [])

    code, out, err = keyforge(capsys, embedded_url, "rotate", key_id)
    current = served_kms.describe_key(KeyId=key_id)["KeyMetadata"]["CurrentKeyMaterialId"]
    assert (code, err) == (0, [])
    assert out == [
        f"{key_id}: rotated on demand; key material {current} is current (1 rotation so far)"
    ]
    code, out, _ = keyforge(capsys, embedded_url, "rotations", key_id)
    assert code == 0 and len(out) == 1
    assert out[0].split("  ")[1:] == ["ON_DEMAND", "CURRENT", current]
    assert served_kms.decrypt(CiphertextBlob=blob)["Plaintext"] == MESSAGES[1]

    keyforge(capsys, embedded_url, "rotate", key_id)
    code, out, _ = keyforge(capsys, embedded_url, "rotations", key_id, "--all", "--json")
    listed = json.loads("\n".join(out))
    assert [entry["KeyMaterialState"] for entry in listed] == ["NON_CURRENT"] * 2 + ["CURRENT"]
    assert [entry.get("RotationType") for entry in listed] == [None, "ON_DEMAND", "ON_DEMAND"]


# --- Imported symmetric keys and rotation ------------------------------------------------------


def test_an_imported_symmetric_key_rotates_to_new_material(
    capsys: pytest.CaptureFixture[str], embedded_url: str, served_kms: Any, tmp_path: Path
) -> None:
    key_id = external(served_kms)
    assert keyforge(capsys, embedded_url, "rotate", key_id) == (
        2,
        [],
        [
            f"keyforge rotate: {key_id} is PendingImport: import its key material first "
            f"(keyforge import-key-material {key_id} --material FILE)"
        ],
    )
    first = material_file(tmp_path, generate_material("SYMMETRIC_DEFAULT"), "first.bin")
    second = material_file(tmp_path, generate_material("SYMMETRIC_DEFAULT"), "second.bin")
    code, out, _ = importing(capsys, embedded_url, key_id, first, *FAST)
    first_id = out[1].rsplit(" ", 1)[-1]
    assert code == 0 and out[1] == f"{key_id}: key material {first_id}"
    blob = served_kms.encrypt(KeyId=key_id, Plaintext=MESSAGES[1])["CiphertextBlob"]

    code, out, err = keyforge(capsys, embedded_url, "rotate", key_id)
    assert (code, out) == (2, [])
    assert err == [
        f"keyforge rotate: {key_id} has imported key material: import the new key material "
        f"first (keyforge import-key-material {key_id} --material FILE --new-material)"
    ]

    code, out, err = importing(
        capsys, embedded_url, key_id, second, *FAST, "--new-material", "--description", "2027 key"
    )
    assert (code, err) == (0, [])
    second_id = served_kms.list_key_rotations(KeyId=key_id, IncludeKeyMaterial="ALL_KEY_MATERIAL")[
        "Rotations"
    ][-1]["KeyMaterialId"]
    assert out[1] == (
        f"{key_id}: new key material {second_id} is pending rotation: "
        f"'keyforge rotate {key_id}' makes it current"
    )
    code, out, _ = keyforge(capsys, embedded_url, "rotations", key_id, "--all")
    assert [line.split("  ")[2:5] for line in out] == [
        ["CURRENT", first_id, "IMPORTED"],
        ["PENDING_ROTATION", second_id, "IMPORTED"],
    ]
    assert out[1].endswith("does not expire  '2027 key'")

    code, out, _ = keyforge(capsys, embedded_url, "rotate", key_id)
    assert code == 0 and second_id in out[0]
    assert served_kms.decrypt(CiphertextBlob=blob)["Plaintext"] == MESSAGES[1]


@pytest.mark.parametrize(
    ("spec", "usage", "kind"),
    [("HMAC_256", "GENERATE_VERIFY_MAC", "hmac"), ("ECC_NIST_P256", "SIGN_VERIFY", "asymmetric")],
)
def test_keys_that_never_rotate_are_one_line_exit_2(
    capsys: pytest.CaptureFixture[str],
    embedded_url: str,
    served_kms: Any,
    spec: str,
    usage: str,
    kind: str,
) -> None:
    key_id = served_kms.create_key(KeySpec=spec, KeyUsage=usage)["KeyMetadata"]["KeyId"]
    for command in ("rotate", "rotations"):
        assert keyforge(capsys, embedded_url, command, key_id) == (
            2,
            [],
            [
                f"keyforge {command}: {key_id} is a {spec} key ({kind}): only symmetric "
                "encryption keys (SYMMETRIC_DEFAULT) rotate"
            ],
        )


# --- Expiry, wrapping and refusals -------------------------------------------------------------


def test_valid_to_makes_the_material_expire(
    capsys: pytest.CaptureFixture[str], embedded_url: str, served_kms: Any, tmp_path: Path
) -> None:
    key_id = external(served_kms, "HMAC_384", "GENERATE_VERIFY_MAC")
    path = material_file(tmp_path, generate_material("HMAC_384"))
    when = (datetime.now(UTC) + timedelta(days=90)).replace(microsecond=0)
    code, out, _ = importing(
        capsys, embedded_url, key_id, path, *FAST, "--valid-to", when.isoformat()
    )
    assert code == 0 and out[0].endswith(f"the key material expires {when.isoformat()}")
    metadata = served_kms.describe_key(KeyId=key_id)["KeyMetadata"]
    assert metadata["ExpirationModel"] == "KEY_MATERIAL_EXPIRES"
    assert metadata["ValidTo"] == when
    try:
        embedded_kms.clock.advance(timedelta(days=91))
        assert key_state(served_kms, key_id) == "PendingImport"
        assert importing(capsys, embedded_url, key_id, path, *FAST)[0] == 0
        assert key_state(served_kms, key_id) == "Enabled"
    finally:
        embedded_kms.clock.reset()


@pytest.mark.parametrize(
    ("valid_to", "fragment"),
    [
        ((datetime.now(UTC) - timedelta(days=1)).date().isoformat(), "is not in the future"),
        ((datetime.now(UTC) + timedelta(days=400)).date().isoformat(), "more than 365 days"),
    ],
)
def test_a_valid_to_kms_refuses_is_one_line_exit_2(
    capsys: pytest.CaptureFixture[str],
    embedded_url: str,
    served_kms: Any,
    tmp_path: Path,
    valid_to: str,
    fragment: str,
) -> None:
    key_id = external(served_kms)
    path = material_file(tmp_path, generate_material("SYMMETRIC_DEFAULT"))
    code, out, err = importing(capsys, embedded_url, key_id, path, "--valid-to", valid_to)
    assert (code, out, len(err)) == (2, [], 1) and fragment in err[0]


@pytest.mark.parametrize(
    ("spec", "usage", "options", "fragment"),
    [
        (
            "RSA_2048",
            "SIGN_VERIFY",
            ["--wrapping-algorithm", "RSAES_OAEP_SHA_256"],
            "an RSA private key is too big for RSAES_OAEP_SHA_256",
        ),
        (
            "ECC_NIST_P521",
            "SIGN_VERIFY",
            ["--wrapping-algorithm", "RSAES_OAEP_SHA_1", *FAST],
            "does not fit RSAES_OAEP_SHA_1 under an RSA_2048",
        ),
        (
            "HMAC_512",
            "GENERATE_VERIFY_MAC",
            ["--wrapping-algorithm", "RSA_AES_KEY_WRAP_SHA_256"],
            "wraps asymmetric private keys, not HMAC key material",
        ),
        (
            "SYMMETRIC_DEFAULT",
            "ENCRYPT_DECRYPT",
            ["--wrapping-algorithm", "SM2PKE"],
            "exists only in the China Regions",
        ),
        (
            "HMAC_256",
            "GENERATE_VERIFY_MAC",
            ["--new-material"],
            "HMAC_256 keys take one key material for life",
        ),
    ],
)
def test_options_kms_refuses_are_one_line_exit_2_before_any_import(
    capsys: pytest.CaptureFixture[str],
    embedded_url: str,
    served_kms: Any,
    tmp_path: Path,
    spec: str,
    usage: str,
    options: list[str],
    fragment: str,
) -> None:
    key_id = external(served_kms, spec, usage)
    path = material_file(tmp_path, generate_material(spec))
    embedded_kms.clear_recorded_operations()
    code, out, err = importing(capsys, embedded_url, key_id, path, *options)
    assert (code, out, len(err)) == (2, [], 1) and fragment in err[0], err
    assert embedded_kms.recorded_operations() == ["DescribeKey"]
    assert key_state(served_kms, key_id) == "PendingImport"


def test_other_material_for_a_key_that_had_some_is_refused_by_kms(
    capsys: pytest.CaptureFixture[str], embedded_url: str, served_kms: Any, tmp_path: Path
) -> None:
    key_id = external(served_kms, "HMAC_256", "GENERATE_VERIFY_MAC")
    assert (
        importing(capsys, embedded_url, key_id, material_file(tmp_path, bytes(range(32))), *FAST)[0]
        == 0
    )
    served_kms.delete_imported_key_material(KeyId=key_id)
    other = material_file(tmp_path, bytes(range(1, 33)), "other.bin")
    code, out, err = importing(capsys, embedded_url, key_id, other, *FAST)
    assert (code, out, len(err)) == (2, [], 1)
    assert err[0].startswith(
        f"keyforge import-key-material: {key_id}: KMS IncorrectKeyMaterialException: "
    )
    assert key_state(served_kms, key_id) == "PendingImport"


def test_keys_that_take_no_imported_material_and_unknown_keys(
    capsys: pytest.CaptureFixture[str], embedded_url: str, served_kms: Any, tmp_path: Path
) -> None:
    path = material_file(tmp_path, generate_material("SYMMETRIC_DEFAULT"))
    key_id = served_kms.create_key()["KeyMetadata"]["KeyId"]
    assert importing(capsys, embedded_url, key_id, path) == (
        2,
        [],
        [
            f"keyforge import-key-material: {key_id} has Origin AWS_KMS: only keys created "
            "with Origin EXTERNAL take imported key material"
        ],
    )
    code, out, err = importing(capsys, embedded_url, "alias/no-such-key", path)
    assert (code, out, len(err)) == (2, [], 1)
    assert err[0].startswith(
        "keyforge import-key-material: alias/no-such-key: KMS NotFoundException: "
    )


def test_usage_and_file_errors_are_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], embedded_url: str, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.bin"
    assert importing(capsys, embedded_url, "alias/any", str(missing)) == (
        2,
        [],
        [f"keyforge import-key-material: cannot read {missing}: No such file or directory"],
    )
    assert importing(capsys, embedded_url, "alias/any", str(tmp_path)) == (
        2,
        [],
        [f"keyforge import-key-material: {tmp_path}: is a directory, not a key material file"],
    )
    code, out, err = keyforge(capsys, embedded_url, "import-key-material", "alias/any")
    assert (code, out) == (2, []) and err == [
        "keyforge import-key-material: the following arguments are required: --material "
        "(see 'keyforge import-key-material --help')"
    ]
    code, _, err = importing(capsys, embedded_url, "alias/any", str(missing), "--valid-to", "soon")
    assert code == 2 and err == [
        "keyforge import-key-material: argument --valid-to: 'soon' is not a date "
        "(YYYY-MM-DD) or an ISO 8601 time (see 'keyforge import-key-material --help')"
    ]


def test_in_china_128_bit_symmetric_material_is_imported(
    capsys: pytest.CaptureFixture[str], embedded_url: str, tmp_path: Path
) -> None:
    china = kms_client(embedded_url, "cn-north-1")
    key_id = external(china)
    path = material_file(tmp_path, generate_material("SYMMETRIC_DEFAULT", "cn-north-1"))
    code, out, err = importing(capsys, embedded_url, key_id, path, "--region", "cn-north-1", *FAST)
    assert (code, err) == (0, []) and "(16 bytes)" in out[0]
    blob = china.encrypt(KeyId=key_id, Plaintext=MESSAGES[0])["CiphertextBlob"]
    assert china.decrypt(CiphertextBlob=blob)["Plaintext"] == MESSAGES[0]


def test_an_elliptic_curve_key_in_der_agrees_on_a_secret(
    capsys: pytest.CaptureFixture[str], embedded_url: str, served_kms: Any, tmp_path: Path
) -> None:
    key_id = external(served_kms, "ECC_NIST_P384", "KEY_AGREEMENT")
    private = ec.generate_private_key(ec.SECP384R1())
    der = private.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    assert importing(capsys, embedded_url, key_id, material_file(tmp_path, der), *FAST)[0] == 0
    peer = ec.generate_private_key(ec.SECP384R1())
    answer = served_kms.derive_shared_secret(
        KeyId=key_id,
        KeyAgreementAlgorithm="ECDH",
        PublicKey=peer.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    )
    assert answer["SharedSecret"] == private.exchange(ec.ECDH(), peer.public_key())
