"""`keyforge public-key` on the key specs moto cannot make, through the embedded KMS."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, mldsa, mlkem

from keyforge.keys.public_keys import pem_to_der
from tests.cli.helpers import (
    MESSAGE,
    create,
    kms_client,
    run_public_key,
)

pytestmark = pytest.mark.usefixtures("aws_environment")


@pytest.mark.parametrize(
    ("key_spec", "key_usage", "expected_type"),
    [
        ("ECC_NIST_EDWARDS25519", "SIGN_VERIFY", ed25519.Ed25519PublicKey),
        ("ML_DSA_44", "SIGN_VERIFY", mldsa.MLDSA44PublicKey),
        ("ML_DSA_65", "SIGN_VERIFY", mldsa.MLDSA65PublicKey),
        ("ML_DSA_87", "SIGN_VERIFY", mldsa.MLDSA87PublicKey),
        ("ML_KEM_768", "ENCAPSULATE_DECAPSULATE", mlkem.MLKEM768PublicKey),
        ("ML_KEM_1024", "ENCAPSULATE_DECAPSULATE", mlkem.MLKEM1024PublicKey),
    ],
)
def test_post_quantum_and_edwards_keys_load_as_their_type(
    capsys: pytest.CaptureFixture[str],
    embedded_url: str,
    key_spec: str,
    key_usage: str,
    expected_type: type[object],
) -> None:
    key_id = create(embedded_url, key_spec, key_usage)["KeyId"]
    code, out, err = run_public_key(capsys, embedded_url, key_id)
    assert (code, err) == (0, [])
    assert isinstance(serialization.load_pem_public_key(out.encode()), expected_type)


def test_an_ed25519_public_key_verifies_what_the_key_signs(
    capsys: pytest.CaptureFixture[str], embedded_url: str
) -> None:
    key_id = create(embedded_url, "ECC_NIST_EDWARDS25519", "SIGN_VERIFY")["KeyId"]
    code, out, _ = run_public_key(capsys, embedded_url, key_id)
    loaded = serialization.load_pem_public_key(out.encode())
    assert code == 0 and isinstance(loaded, ed25519.Ed25519PublicKey)
    signature = kms_client(embedded_url).sign(
        KeyId=key_id, Message=MESSAGE, MessageType="RAW", SigningAlgorithm="ED25519_SHA_512"
    )["Signature"]
    loaded.verify(signature, MESSAGE)


@pytest.mark.parametrize(
    ("key_spec", "key_usage", "region", "summary"),
    [
        ("ML_KEM_512", "ENCAPSULATE_DECAPSULATE", "us-east-1", "ML-KEM-512"),
        ("SM2", "SIGN_VERIFY", "cn-north-1", "EC sm2"),
    ],
)
def test_key_specs_cryptography_cannot_load_are_checked_by_their_structure(
    capsys: pytest.CaptureFixture[str],
    embedded_url: str,
    tmp_path: Path,
    key_spec: str,
    key_usage: str,
    region: str,
    summary: str,
) -> None:
    key_id = create(embedded_url, key_spec, key_usage, region)["KeyId"]
    output = tmp_path / "key.pem"
    code, out, err = run_public_key(
        capsys, embedded_url, key_id, "--region", region, "-o", str(output)
    )
    assert (code, out) == (0, "")
    assert err == [f"{output}: {summary} public key of {key_id} ({key_spec}), PEM"]
    der = pem_to_der(output.read_text())
    assert der == kms_client(embedded_url, region).get_public_key(KeyId=key_id)["PublicKey"]


def test_the_embedded_kms_refusing_a_symmetric_key_reads_the_same(
    capsys: pytest.CaptureFixture[str], embedded_url: str
) -> None:
    key_id = create(embedded_url, "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT")["KeyId"]
    assert run_public_key(capsys, embedded_url, key_id) == (
        2,
        "",
        [
            f"keyforge public-key: {key_id} is a SYMMETRIC_DEFAULT key (symmetric): "
            "only asymmetric KMS keys have a public key"
        ],
    )
