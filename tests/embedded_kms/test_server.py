"""The embedded KMS over HTTP behaves as in process, with KMS-shaped errors."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from keyforge import embedded_kms
from keyforge.embedded_kms import EmbeddedKmsServer


def test_endpoint_is_local_on_a_free_port(kms_server: EmbeddedKmsServer) -> None:
    assert kms_server.endpoint_url.startswith("http://127.0.0.1:")
    assert not kms_server.endpoint_url.endswith(":0")


def test_strictness_and_new_key_specs_over_http(served_kms: Any) -> None:
    with pytest.raises(ClientError) as raised:
        served_kms.create_key(KeySpec="ECC_NIST_P256")
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    key_id = served_kms.create_key(KeySpec="ECC_NIST_EDWARDS25519", KeyUsage="SIGN_VERIFY")[
        "KeyMetadata"
    ]["KeyId"]
    public = serialization.load_der_public_key(served_kms.get_public_key(KeyId=key_id)["PublicKey"])
    assert isinstance(public, ed25519.Ed25519PublicKey)
    signature = served_kms.sign(KeyId=key_id, Message=b"m", SigningAlgorithm="ED25519_SHA_512")[
        "Signature"
    ]
    public.verify(signature, b"m")
    ml_kem = served_kms.create_key(KeySpec="ML_KEM_512", KeyUsage="ENCAPSULATE_DECAPSULATE")[
        "KeyMetadata"
    ]["KeyId"]
    sent = served_kms.encapsulate(KeyId=ml_kem, EncapsulationAlgorithm="ML_KEM")
    got = served_kms.decapsulate(
        KeyId=ml_kem,
        SharedSecretCiphertextBlob=sent["SharedSecretCiphertextBlob"],
        EncapsulationAlgorithm="ML_KEM",
    )
    assert got["SharedSecret"] == sent["SharedSecret"]
    assert embedded_kms.recorded_operations() == [
        "CreateKey",
        "CreateKey",
        "GetPublicKey",
        "Sign",
        "CreateKey",
        "Encapsulate",
        "Decapsulate",
    ]


def test_error_body_is_kms_json(kms_server: EmbeddedKmsServer) -> None:
    request = urllib.request.Request(
        kms_server.endpoint_url + "/",
        data=json.dumps({"KeyUsage": "FOO"}).encode(),
        method="POST",
        headers={
            "X-Amz-Target": "TrentService.CreateKey",
            "Content-Type": "application/x-amz-json-1.1",
            "Authorization": "AWS4-HMAC-SHA256 "
            "Credential=testing/20260101/us-east-1/kms/aws4_request",
        },
    )
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=10)
    assert raised.value.code == 400
    body = json.loads(raised.value.read())
    assert body["__type"] == "ValidationException" and "FOO" in body["message"]


def test_unimplemented_operations_fail_fast_without_retries(served_kms: Any) -> None:
    with pytest.raises(ClientError) as raised:
        served_kms.generate_data_key_pair(
            KeyId=served_kms.create_key()["KeyMetadata"]["KeyId"], KeyPairSpec="RSA_2048"
        )
    assert raised.value.response["Error"]["Code"] == "UnsupportedOperationException"
    assert embedded_kms.recorded_operations().count("GenerateDataKeyPair") == 1


def test_reset_forgets_every_key(kms_server: EmbeddedKmsServer, served_kms: Any) -> None:
    served_kms.create_key()
    assert len(served_kms.list_keys()["Keys"]) == 1
    kms_server.reset()
    assert served_kms.list_keys()["Keys"] == []


def test_sts_answers_too(kms_server: EmbeddedKmsServer) -> None:
    identity = kms_server.client("sts").get_caller_identity()
    assert identity["Account"].isdigit() and len(identity["Account"]) == 12


def test_two_servers_side_by_side(kms_server: EmbeddedKmsServer) -> None:
    with EmbeddedKmsServer() as other:
        assert other.endpoint_url != kms_server.endpoint_url
        metadata = other.client("kms").create_key(MultiRegion=True)["KeyMetadata"]
        assert metadata["KeyId"].startswith("mrk-")
        assert metadata["KeyUsage"] == "ENCRYPT_DECRYPT"
    assert not other.running
    with pytest.raises(RuntimeError):
        _ = other.endpoint_url
