"""install() is idempotent; mock_kms() restores the environment; the record is thread-safe."""

from __future__ import annotations

import hashlib
import os
import threading
from typing import Any

import boto3
import moto.kms.models
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from keyforge import embedded_kms
from keyforge.embedded_kms import ed25519ph
from keyforge.embedded_kms.keys import LazyKey

from .conftest import new_key


def test_install_is_idempotent() -> None:
    embedded_kms.install()
    factory = moto.kms.models.generate_private_key  # type: ignore[attr-defined]
    embedded_kms.install()
    assert moto.kms.models.generate_private_key is factory  # type: ignore[attr-defined]
    assert embedded_kms.is_installed()


def test_mock_kms_sets_fake_credentials_and_restores_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "mine")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    with embedded_kms.mock_kms():
        assert os.environ["AWS_ACCESS_KEY_ID"] != "mine"
        assert os.environ["AWS_SESSION_TOKEN"]
        assert boto3.client("kms", region_name="eu-west-1").list_keys()["Keys"] == []
    assert os.environ["AWS_ACCESS_KEY_ID"] == "mine"
    assert "AWS_SESSION_TOKEN" not in os.environ


def test_symmetric_and_hmac_keys_make_no_rsa_key(kms: Any) -> None:
    backend = moto.kms.models.kms_backends["123456789012"]["us-east-1"]
    for key_id in (new_key(kms), new_key(kms, "HMAC_224", "GENERATE_VERIFY_MAC")):
        material = backend.keys[key_id].private_key
        assert isinstance(material, LazyKey)
        assert material._made is None


def test_operations_are_recorded_in_order_and_cleared(kms: Any) -> None:
    key_id = new_key(kms)
    kms.describe_key(KeyId=key_id)
    kms.list_keys()
    assert embedded_kms.recorded_operations() == ["CreateKey", "DescribeKey", "ListKeys"]
    embedded_kms.clear_recorded_operations()
    assert embedded_kms.recorded_operations() == []


def test_the_record_is_thread_safe(kms: Any) -> None:
    def describe() -> None:
        client = boto3.client("kms", region_name="us-east-1")
        for _ in range(5):
            client.list_keys()

    threads = [threading.Thread(target=describe) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert embedded_kms.recorded_operations() == ["ListKeys"] * 20


def test_ed25519ph_matches_rfc_8032() -> None:  # RFC 8032, section 7.3
    secret = bytes.fromhex("833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42")
    public = bytes.fromhex("ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf")
    signature = bytes.fromhex(
        "98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae41"
        "31f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406"
    )
    digest = hashlib.sha512(b"abc").digest()
    assert ed25519ph.public_key(secret) == public
    assert ed25519ph.sign(secret, digest) == signature
    assert ed25519ph.verify(public, digest, signature)
    assert not ed25519ph.verify(public, digest, signature[:-1] + b"\x07")


def test_ed25519_arithmetic_agrees_with_cryptography() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    seed = key.private_bytes_raw()
    assert ed25519ph.sign_with_domain(seed, b"", b"message") == key.sign(b"message")
