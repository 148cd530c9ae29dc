"""The public-key checks against each key spec, with keys made by `cryptography` (pure, no KMS)."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, mldsa, mlkem, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

from keyforge.keys.public_keys import (
    CheckedPublicKey,
    PublicKeyError,
    check_public_key,
    der_to_pem,
    pem_to_der,
)
from keyforge_kms_key.keyspecs import KEY_SPECS

# SubjectPublicKeyInfo headers written out by hand, for the key types `cryptography` cannot make.
ML_KEM_512_HEADER = bytes.fromhex("30820332300b06096086480165030404010382032100")
SM2_HEADER = bytes.fromhex("3059301306072a8648ce3d020106082a811ccf5501822d034200")
# The generator point of the SM2 curve (GB/T 32918.5): a valid public key (private key 1).
SM2_G = bytes.fromhex(
    "04"
    "32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7"
    "bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0"
)


def _spki(private_key: PrivateKeyTypes) -> bytes:
    return private_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _ml_kem_512() -> bytes:
    return ML_KEM_512_HEADER + os.urandom(800)


MAKERS: dict[str, Callable[[], bytes]] = {
    "RSA_2048": lambda: _spki(rsa.generate_private_key(65537, 2048)),
    "RSA_3072": lambda: _spki(rsa.generate_private_key(65537, 3072)),
    "RSA_4096": lambda: _spki(rsa.generate_private_key(65537, 4096)),
    "ECC_NIST_P256": lambda: _spki(ec.generate_private_key(ec.SECP256R1())),
    "ECC_NIST_P384": lambda: _spki(ec.generate_private_key(ec.SECP384R1())),
    "ECC_NIST_P521": lambda: _spki(ec.generate_private_key(ec.SECP521R1())),
    "ECC_SECG_P256K1": lambda: _spki(ec.generate_private_key(ec.SECP256K1())),
    "ECC_NIST_EDWARDS25519": lambda: _spki(ed25519.Ed25519PrivateKey.generate()),
    "ML_DSA_44": lambda: _spki(mldsa.MLDSA44PrivateKey.generate()),
    "ML_DSA_65": lambda: _spki(mldsa.MLDSA65PrivateKey.generate()),
    "ML_DSA_87": lambda: _spki(mldsa.MLDSA87PrivateKey.generate()),
    "ML_KEM_512": _ml_kem_512,
    "ML_KEM_768": lambda: _spki(mlkem.MLKEM768PrivateKey.generate()),
    "ML_KEM_1024": lambda: _spki(mlkem.MLKEM1024PrivateKey.generate()),
    "SM2": lambda: SM2_HEADER + SM2_G,
}
SUMMARIES = {
    "RSA_2048": "RSA 2048-bit",
    "RSA_3072": "RSA 3072-bit",
    "RSA_4096": "RSA 4096-bit",
    "ECC_NIST_P256": "EC secp256r1",
    "ECC_NIST_P384": "EC secp384r1",
    "ECC_NIST_P521": "EC secp521r1",
    "ECC_SECG_P256K1": "EC secp256k1",
    "ECC_NIST_EDWARDS25519": "Ed25519",
    "ML_DSA_44": "ML-DSA-44",
    "ML_DSA_65": "ML-DSA-65",
    "ML_DSA_87": "ML-DSA-87",
    "ML_KEM_512": "ML-KEM-512",
    "ML_KEM_768": "ML-KEM-768",
    "ML_KEM_1024": "ML-KEM-1024",
    "SM2": "EC sm2",
}


@functools.cache
def sample(key_spec: str) -> bytes:
    """One public key of the key spec, made once per test run (RSA-4096 takes a while)."""
    return MAKERS[key_spec]()


def test_every_key_spec_with_a_public_key_has_a_sample() -> None:
    with_public_key = {name for name, info in KEY_SPECS.items() if info.has_public_key}
    assert with_public_key == set(MAKERS)


@pytest.mark.parametrize("key_spec", sorted(MAKERS))
def test_a_public_key_of_its_own_key_spec_passes(key_spec: str) -> None:
    der = sample(key_spec)
    checked = check_public_key(der, key_spec)
    assert checked == CheckedPublicKey(key_spec=key_spec, der=der, summary=SUMMARIES[key_spec])
    assert pem_to_der(checked.pem) == der


@pytest.mark.parametrize(
    ("made_as", "checked_as", "message"),
    [
        ("RSA_2048", "RSA_3072", "expected a 3072-bit RSA key, found 2048 bits"),
        ("RSA_4096", "RSA_2048", "expected a 2048-bit RSA key, found 4096 bits"),
        ("ECC_NIST_P384", "ECC_NIST_P256", "expected curve secp256r1, found secp384r1"),
        ("ECC_SECG_P256K1", "ECC_NIST_P256", "expected curve secp256r1, found secp256k1"),
        ("ECC_NIST_P256", "RSA_2048", "expected algorithm rsaEncryption"),
        ("RSA_2048", "ECC_NIST_P256", "expected algorithm id-ecPublicKey"),
        ("ECC_NIST_EDWARDS25519", "ML_DSA_44", "expected algorithm ML-DSA-44"),
        ("ML_DSA_44", "ML_DSA_65", "expected algorithm ML-DSA-65"),
        ("ML_KEM_768", "ML_KEM_1024", "expected algorithm ML-KEM-1024"),
        ("ML_KEM_512", "ML_KEM_768", "expected algorithm ML-KEM-768"),
        ("ML_KEM_1024", "ML_KEM_512", "expected algorithm ML-KEM-512"),
        ("ECC_NIST_P256", "SM2", "expected curve sm2 (1.2.156.10197.1.301)"),
        ("SM2", "ECC_NIST_P256", "not a loadable ECC_NIST_P256 public key"),
        ("ML_DSA_87", "ECC_NIST_EDWARDS25519", "expected algorithm Ed25519"),
    ],
)
def test_a_public_key_of_another_key_spec_is_refused(
    made_as: str, checked_as: str, message: str
) -> None:
    with pytest.raises(PublicKeyError, match=re.escape(message)):
        check_public_key(sample(made_as), checked_as)


@pytest.mark.parametrize("key_spec", ["SYMMETRIC_DEFAULT", "HMAC_224", "HMAC_512"])
def test_symmetric_and_hmac_keys_have_no_public_key(key_spec: str) -> None:
    with pytest.raises(PublicKeyError, match=f"a {key_spec} key .* has no public key"):
        check_public_key(sample("RSA_2048"), key_spec)


def test_an_unknown_key_spec_is_refused() -> None:
    with pytest.raises(PublicKeyError, match="unknown key spec 'RSA_1024'"):
        check_public_key(sample("RSA_2048"), "RSA_1024")


def test_ml_kem_512_needs_an_800_byte_encapsulation_key() -> None:
    header = bytes.fromhex("30820331300b06096086480165030404010382032000")
    der = header + os.urandom(799)
    with pytest.raises(PublicKeyError, match=r"expected a 800-byte ML-KEM-512 .* found 799 bytes"):
        check_public_key(der, "ML_KEM_512")


def test_ml_kem_512_takes_no_algorithm_parameters() -> None:
    # The same SubjectPublicKeyInfo with a NULL parameter after the OID.
    with_null = (
        bytes.fromhex("30820334300d060960864801650304040105000382032100")
        + sample("ML_KEM_512")[22:]
    )
    with pytest.raises(PublicKeyError, match="takes no algorithm parameters, found NULL"):
        check_public_key(with_null, "ML_KEM_512")


def test_an_sm2_point_off_the_curve_is_refused() -> None:
    off_curve = SM2_G[:-1] + bytes([SM2_G[-1] ^ 1])
    with pytest.raises(PublicKeyError, match="not on the curve"):
        check_public_key(SM2_HEADER + off_curve, "SM2")


def test_a_compressed_sm2_point_is_refused() -> None:
    compressed = bytes.fromhex("3039301306072a8648ce3d020106082a811ccf5501822d032200") + (
        b"\x02" + SM2_G[1:33]
    )
    with pytest.raises(PublicKeyError, match="uncompressed 65-byte SM2 point"):
        check_public_key(compressed, "SM2")


@pytest.mark.parametrize(
    ("der", "message"),
    [
        (b"", "truncated DER"),
        (b"\x04\x03abc", "expected a SubjectPublicKeyInfo SEQUENCE .* found tag 0x04"),
        (b"\x30\x05\x30\x03", "truncated DER"),
        (sample.__wrapped__("ECC_NIST_P256") + b"\x00", "1 bytes after the SubjectPublicKeyInfo"),
        (sample.__wrapped__("ECC_NIST_P256")[:-1], "truncated DER"),
    ],
)
def test_malformed_der_is_refused_with_a_reason(der: bytes, message: str) -> None:
    with pytest.raises(PublicKeyError, match=message):
        check_public_key(der, "ECC_NIST_P256")


def test_a_pkcs1_rsa_public_key_is_not_a_subject_public_key_info() -> None:
    key = rsa.generate_private_key(65537, 2048).public_key()
    pkcs1 = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)
    with pytest.raises(PublicKeyError, match="expected an AlgorithmIdentifier"):
        check_public_key(pkcs1, "RSA_2048")


def test_pem_is_64_character_lines_that_cryptography_loads() -> None:
    der = sample("RSA_4096")
    pem = der_to_pem(der)
    lines = pem.splitlines()
    assert lines[0] == "-----BEGIN PUBLIC KEY-----"
    assert lines[-1] == "-----END PUBLIC KEY-----"
    assert pem.endswith("-----\n")
    assert all(len(line) == 64 for line in lines[1:-2])
    assert 0 < len(lines[-2]) <= 64
    loaded = serialization.load_pem_public_key(pem.encode())
    assert isinstance(loaded, rsa.RSAPublicKey)
    assert loaded.key_size == 4096


def test_pem_to_der_reads_the_first_public_key_block_and_ignores_text_around_it() -> None:
    der = sample("ECC_NIST_P256")
    text = "key for signing\n" + der_to_pem(der) + der_to_pem(sample("ECC_NIST_P384"))
    assert pem_to_der(text.encode()) == der


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no key here", "no -----BEGIN PUBLIC KEY----- block"),
        ("-----BEGIN PUBLIC KEY-----\nAAA\n-----END PUBLIC KEY-----\n", "not base64"),
    ],
)
def test_pem_to_der_refuses_what_is_not_a_public_key_block(text: str, message: str) -> None:
    with pytest.raises(PublicKeyError, match=message):
        pem_to_der(text)
