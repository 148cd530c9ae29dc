"""Key material checked against its key spec, and the wrapping KMS offers for it."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from keyforge.keys.material import (
    AES_KEY_WRAP_ALGORITHMS,
    OAEP_ALGORITHMS,
    WRAPPING_ALGORITHMS,
    Material,
    MaterialError,
    check_material,
    default_wrapping,
    generate_material,
    looks_like_text,
    oaep_capacity,
    unwrap,
    wrap,
    wrapping_problem,
)
from keyforge_kms_key.keyspecs import KEY_SPECS

WRAPPING_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
P256 = ec.generate_private_key(ec.SECP256R1())


def pem(
    key: object, form: serialization.PrivateFormat = serialization.PrivateFormat.PKCS8
) -> bytes:
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key.private_bytes(serialization.Encoding.PEM, form, serialization.NoEncryption())


@pytest.mark.parametrize(
    ("spec", "good", "bad"),
    [
        ("SYMMETRIC_DEFAULT", [32], [16, 31, 33, 64]),
        ("HMAC_224", [28, 64], [27, 65]),
        ("HMAC_256", [32, 64], [31, 65]),
        ("HMAC_384", [48, 128], [47, 129]),
        ("HMAC_512", [64, 128], [63, 129]),
    ],
)
def test_raw_material_lengths(spec: str, good: list[int], bad: list[int]) -> None:
    for size in good:
        assert check_material(bytes(size), spec).summary == f"{size} bytes"
    for size in bad:
        with pytest.raises(MaterialError, match=f"not {size} bytes"):
            check_material(bytes(size), spec)


def test_symmetric_material_is_128_bits_in_china() -> None:
    assert check_material(bytes(16), "SYMMETRIC_DEFAULT", "cn-north-1").summary == "16 bytes"
    with pytest.raises(MaterialError, match="16 bytes of raw key, not 32"):
        check_material(bytes(32), "SYMMETRIC_DEFAULT", "cn-northwest-1")


@pytest.mark.parametrize(
    ("spec", "region"),
    [("ML_DSA_65", None), ("HMAC_256", "cn-north-1"), ("ECC_NIST_P256", "cn-north-1")],
)
def test_material_kms_does_not_import(spec: str, region: str | None) -> None:
    with pytest.raises(MaterialError, match=f"does not import key material for {spec}"):
        check_material(bytes(32), spec, region)


def test_secret_bytes_stay_out_of_reprs_and_messages() -> None:
    secret = bytes(range(32))
    material = check_material(secret, "SYMMETRIC_DEFAULT")
    assert repr(secret) not in repr(material) and secret.hex() not in repr(material)
    with pytest.raises(MaterialError) as raised:
        check_material(secret, "HMAC_512")
    assert secret.hex() not in str(raised.value) and repr(secret) not in str(raised.value)


def test_text_is_told_from_raw_key_material() -> None:
    assert looks_like_text(b"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n")
    assert looks_like_text(b"q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=\n")
    assert not looks_like_text(bytes(range(32)))
    assert not looks_like_text(b"")


@pytest.mark.parametrize(
    "spec",
    [
        spec
        for spec, info in KEY_SPECS.items()
        if info.importable_in("us-east-1")
        and info.exists_in("us-east-1")
        and spec not in ("RSA_3072", "RSA_4096")
    ],
)
def test_generated_material_passes_its_own_check(spec: str) -> None:
    material = check_material(generate_material(spec), spec)
    assert isinstance(material, Material) and material.canonical


def test_a_private_key_may_be_pem_and_is_sent_as_der() -> None:
    material = check_material(pem(P256), "ECC_NIST_P256")
    assert material.summary == "EC secp256r1 private key"
    assert material.plaintext == P256.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(MaterialError, match="KMS imports it as DER"):
        check_material(pem(P256), "ECC_NIST_P256", pem=False)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (
            P256.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.BestAvailableEncryption(b"secret"),
            ),
            "encrypted",
        ),
        (
            pem(P256, serialization.PrivateFormat.TraditionalOpenSSL),
            "EC PRIVATE KEY is not a PKCS#8",
        ),
        (b"-----BEGIN PRIVATE KEY-----\nAAAA\n", "no complete BEGIN/END block"),
        (b"\x30\x03\x02\x01\x00", "not a PKCS#8 private key"),
    ],
)
def test_private_keys_kms_cannot_take(data: bytes, fragment: str) -> None:
    with pytest.raises(MaterialError, match=fragment):
        check_material(data, "ECC_NIST_P256")


@pytest.mark.parametrize(
    ("spec", "other", "fragment"),
    [
        ("RSA_2048", "ECC_NIST_P256", "needs an RSA 2048-bit private key, not an elliptic-curve"),
        (
            "ECC_NIST_P384",
            "ECC_NIST_P256",
            "curve secp384r1, not an elliptic-curve key on secp256r1",
        ),
        ("ECC_SECG_P256K1", "ECC_NIST_P256", "secp256k1"),
        ("ECC_NIST_EDWARDS25519", "ECC_NIST_P256", "needs an Ed25519 private key"),
        ("ML_KEM_1024", "ML_KEM_768", "needs an ML-KEM-1024 private key"),
        ("ML_KEM_512", "ECC_NIST_P256", "seed form"),
    ],
)
def test_a_private_key_of_another_key_spec_is_refused(spec: str, other: str, fragment: str) -> None:
    with pytest.raises(MaterialError, match=fragment):
        check_material(generate_material(other), spec)


# --- Wrapping ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "algorithm", "wrapping_key_spec", "region", "fragment"),
    [
        ("RSA_2048", "RSAES_OAEP_SHA_256", "RSA_4096", None, "too big"),
        ("RSA_4096", "RSAES_OAEP_SHA_1", "RSA_4096", None, "too big"),
        ("SYMMETRIC_DEFAULT", "RSA_AES_KEY_WRAP_SHA_256", "RSA_4096", None, "not symmetric"),
        ("HMAC_512", "RSA_AES_KEY_WRAP_SHA_1", "RSA_2048", None, "not HMAC"),
        ("ECC_NIST_P521", "RSAES_OAEP_SHA_256", "RSA_2048", None, "does not fit"),
        ("SYMMETRIC_DEFAULT", "RSAES_PKCS1_V1_5", "RSA_2048", None, "no longer supports"),
        ("SYMMETRIC_DEFAULT", "SM2PKE", "SM2", "us-east-1", "only in the China Regions"),
        ("SYMMETRIC_DEFAULT", "SM2PKE", "RSA_2048", "cn-north-1", "SM2PKE goes with an SM2"),
        ("SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_256", "SM2", "cn-north-1", "SM2PKE goes with"),
        ("ECC_NIST_P256", "RSA_AES_KEY_WRAP_SHA_256", "RSA_2048", "cn-north-1", "China"),
        ("SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_512", "RSA_2048", None, "unknown wrapping algo"),
        ("SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_256", "RSA_1024", None, "unknown wrapping key"),
    ],
)
def test_wrapping_kms_refuses(
    spec: str, algorithm: str, wrapping_key_spec: str, region: str | None, fragment: str
) -> None:
    problem = wrapping_problem(spec, algorithm, wrapping_key_spec, region)
    assert problem is not None and fragment in problem


@pytest.mark.parametrize(
    ("spec", "algorithm", "wrapping_key_spec", "region"),
    [
        ("SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSA_2048", None),
        ("HMAC_384", "RSAES_OAEP_SHA_256", "RSA_3072", None),
        ("ECC_NIST_P521", "RSAES_OAEP_SHA_256", "RSA_3072", None),
        ("ECC_NIST_P521", "RSA_AES_KEY_WRAP_SHA_1", "RSA_2048", None),
        ("RSA_4096", "RSA_AES_KEY_WRAP_SHA_256", "RSA_2048", None),
        ("ML_KEM_768", "RSA_AES_KEY_WRAP_SHA_256", "RSA_4096", None),
        ("ECC_NIST_EDWARDS25519", "RSAES_OAEP_SHA_256", "RSA_2048", None),
        ("SYMMETRIC_DEFAULT", "SM2PKE", "SM2", "cn-north-1"),
        ("SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_256", "RSA_2048", "cn-north-1"),
    ],
)
def test_wrapping_kms_offers(
    spec: str, algorithm: str, wrapping_key_spec: str, region: str | None
) -> None:
    assert wrapping_problem(spec, algorithm, wrapping_key_spec, region) is None


def test_the_default_wrapping_is_the_strongest_kms_offers_for_the_material() -> None:
    assert default_wrapping("SYMMETRIC_DEFAULT", None) == ("RSAES_OAEP_SHA_256", "RSA_4096")
    assert default_wrapping("HMAC_224", "eu-west-1") == ("RSAES_OAEP_SHA_256", "RSA_4096")
    assert default_wrapping("RSA_2048", None) == ("RSA_AES_KEY_WRAP_SHA_256", "RSA_4096")
    assert default_wrapping("ECC_NIST_P521", None) == ("RSA_AES_KEY_WRAP_SHA_256", "RSA_4096")
    assert default_wrapping("SYMMETRIC_DEFAULT", "cn-north-1") == (
        "RSAES_OAEP_SHA_256",
        "RSA_4096",
    )
    for spec, info in KEY_SPECS.items():
        if info.importable_in(None) and info.exists_in("us-east-1"):
            assert wrapping_problem(spec, *default_wrapping(spec, None), None) is None


def test_oaep_capacity_follows_rfc_8017() -> None:
    assert oaep_capacity(2048, "RSAES_OAEP_SHA_1") == 214
    assert oaep_capacity(2048, "RSAES_OAEP_SHA_256") == 190
    assert oaep_capacity(4096, "RSAES_OAEP_SHA_256") == 446


@pytest.mark.parametrize("algorithm", [*OAEP_ALGORITHMS, *AES_KEY_WRAP_ALGORITHMS])
def test_wrapped_material_unwraps_with_the_wrapping_private_key(algorithm: str) -> None:
    plaintext = bytes(range(48))
    wrapped = wrap(plaintext, WRAPPING_KEY.public_key(), algorithm)
    assert plaintext not in wrapped
    assert unwrap(wrapped, WRAPPING_KEY, algorithm) == plaintext
    other = next(a for a in WRAPPING_ALGORITHMS if a != algorithm and a != "SM2PKE")
    with pytest.raises(ValueError):
        unwrap(wrapped, WRAPPING_KEY, other)


def test_rsa_aes_key_wrap_is_rsa_oaep_then_aes_kwp() -> None:
    wrapped = wrap(bytes(1000), WRAPPING_KEY.public_key(), "RSA_AES_KEY_WRAP_SHA_256")
    # 256 bytes of RSA-OAEP (a 2048-bit key), then 1000 bytes padded to 8 plus 8 of integrity.
    assert len(wrapped) == 256 + 1000 + 8


def test_material_too_big_for_oaep_is_refused_before_wrapping() -> None:
    with pytest.raises(MaterialError, match=r"do not fit RSAES_OAEP_SHA_256 .* \(at most 190\)"):
        wrap(bytes(191), WRAPPING_KEY.public_key(), "RSAES_OAEP_SHA_256")
    with pytest.raises(MaterialError, match="SM2PKE"):
        wrap(bytes(16), WRAPPING_KEY.public_key(), "SM2PKE")
