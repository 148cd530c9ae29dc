"""GetPublicKey answers for asymmetric keys only, with a DER SubjectPublicKeyInfo."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, mldsa, mlkem, rsa

from keyforge.embedded_kms import der
from keyforge.embedded_kms.keys import Sm2Curve
from keyforge.keys.crypto_facts import ID_EC_PUBLIC_KEY, ID_SM2_CURVE
from keyforge_kms_key.keyspecs import algorithms

from .conftest import error_of, new_key

SPKI = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
LOADABLE = [
    ("RSA_2048", "ENCRYPT_DECRYPT", rsa.RSAPublicKey),
    ("ECC_NIST_P384", "KEY_AGREEMENT", ec.EllipticCurvePublicKey),
    ("ECC_SECG_P256K1", "SIGN_VERIFY", ec.EllipticCurvePublicKey),
    ("ECC_NIST_EDWARDS25519", "SIGN_VERIFY", ed25519.Ed25519PublicKey),
    ("ML_DSA_44", "SIGN_VERIFY", mldsa.MLDSA44PublicKey),
    ("ML_DSA_65", "SIGN_VERIFY", mldsa.MLDSA65PublicKey),
    ("ML_DSA_87", "SIGN_VERIFY", mldsa.MLDSA87PublicKey),
    ("ML_KEM_768", "ENCAPSULATE_DECAPSULATE", mlkem.MLKEM768PublicKey),
    ("ML_KEM_1024", "ENCAPSULATE_DECAPSULATE", mlkem.MLKEM1024PublicKey),
]


@pytest.mark.parametrize(
    ("spec", "usage"), [("SYMMETRIC_DEFAULT", None), ("HMAC_512", "GENERATE_VERIFY_MAC")]
)
def test_symmetric_and_hmac_keys_have_no_public_key(kms: Any, spec: str, usage: str | None) -> None:
    key_id = new_key(kms, spec, usage)
    assert error_of(kms.get_public_key, KeyId=key_id)[0] == "UnsupportedOperationException"


@pytest.mark.parametrize(("spec", "usage", "kind"), LOADABLE)
def test_public_key_is_der_spki_with_spec_usage_and_algorithms(
    kms: Any, spec: str, usage: str, kind: type
) -> None:
    key_id = new_key(kms, spec, usage)
    answer = kms.get_public_key(KeyId=key_id)
    public = serialization.load_der_public_key(answer["PublicKey"])
    assert isinstance(public, kind)
    assert public.public_bytes(*SPKI) == answer["PublicKey"]
    assert (answer["KeySpec"], answer["KeyUsage"]) == (spec, usage)
    for field, names in algorithms(spec, usage).items():
        assert answer[field] == list(names)
    assert "EncapsulationAlgorithms" in answer or usage != "ENCAPSULATE_DECAPSULATE"


def test_ml_kem_512_public_key_is_spki_with_its_oid(kms: Any) -> None:
    key_id = new_key(kms, "ML_KEM_512", "ENCAPSULATE_DECAPSULATE")
    answer = kms.get_public_key(KeyId=key_id)
    public = answer["PublicKey"]
    oid = der.oid("2.16.840.1.101.3.4.4.1")
    assert oid == bytes.fromhex("0609608648016503040401")
    # SEQUENCE { SEQUENCE { OID }, BIT STRING { 0 unused bits, 800-byte encapsulation key } }
    assert public[:4] == bytes.fromhex("30820332")
    assert public[4:6] == bytes([0x30, len(oid)]) and public[6 : 6 + len(oid)] == oid
    assert public[6 + len(oid) : 6 + len(oid) + 5] == bytes.fromhex("0382032100")
    assert len(public) == 4 + 2 + len(oid) + 5 + 800
    assert answer["EncapsulationAlgorithms"] == ["ML_KEM"]


@pytest.mark.parametrize("kind", [mlkem.MLKEM768PrivateKey, mlkem.MLKEM1024PrivateKey])
def test_the_der_writer_agrees_with_cryptography(kind: Any) -> None:
    public = kind.generate().public_key()
    spec = "ML_KEM_768" if kind is mlkem.MLKEM768PrivateKey else "ML_KEM_1024"
    assert der.ml_kem_spki(spec, public.public_bytes_raw()) == public.public_bytes(*SPKI)


@pytest.mark.parametrize(
    ("kind", "oid"),
    [
        (mldsa.MLDSA44PrivateKey, "2.16.840.1.101.3.4.3.17"),
        (mldsa.MLDSA65PrivateKey, "2.16.840.1.101.3.4.3.18"),
        (mldsa.MLDSA87PrivateKey, "2.16.840.1.101.3.4.3.19"),
    ],
)
def test_ml_dsa_public_keys_carry_their_oids(kind: Any, oid: str) -> None:
    assert der.oid(oid) in kind.generate().public_key().public_bytes(*SPKI)[:20]


def test_sm2_public_key_is_a_point_on_the_sm2_curve(kms_in: Callable[[str], Any]) -> None:
    china = kms_in("cn-north-1")
    key_id = new_key(china, "SM2", "KEY_AGREEMENT")
    public = china.get_public_key(KeyId=key_id)["PublicKey"]
    algorithm = der.oid(ID_EC_PUBLIC_KEY) + der.oid(ID_SM2_CURVE)
    assert algorithm in public
    point = public[-65:]
    assert point[0] == 4
    x, y = int.from_bytes(point[1:33], "big"), int.from_bytes(point[33:], "big")
    p = Sm2Curve.p
    assert (y * y - (x**3 + Sm2Curve.a * x + Sm2Curve.b)) % p == 0
    assert Sm2Curve.multiply(Sm2Curve.n, (x, y)) is None, "the point has the curve's order"


def test_the_sm2_curve_constants_are_consistent() -> None:
    x, y = Sm2Curve.g
    assert (y * y - (x**3 + Sm2Curve.a * x + Sm2Curve.b)) % Sm2Curve.p == 0
    assert Sm2Curve.multiply(Sm2Curve.n, Sm2Curve.g) is None
    assert Sm2Curve.multiply(Sm2Curve.n - 1, Sm2Curve.g) == (x, Sm2Curve.p - y)


def test_disabled_key_has_its_public_key_withheld(kms: Any) -> None:
    key_id = new_key(kms, "ECC_NIST_P256", "SIGN_VERIFY")
    kms.disable_key(KeyId=key_id)
    assert error_of(kms.get_public_key, KeyId=key_id)[0] == "DisabledException"
