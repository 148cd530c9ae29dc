"""The PublicKey attribute is the key's real public key: every round trip is real cryptography."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, mldsa, mlkem, padding, rsa
from kyber_py.ml_kem import ML_KEM_512

from keyforge_kms_key.keyspecs import KEY_SPECS, KeyUsage
from tests.embedded import Provider
from tests.reference import RSA_ENCRYPTION

MESSAGE = b"Keyforge signs what it says it signs."
HASHES: dict[str, hashes.HashAlgorithm] = {
    "1": hashes.SHA1(),
    "256": hashes.SHA256(),
    "384": hashes.SHA384(),
    "512": hashes.SHA512(),
}
CURVES = {
    "ECC_NIST_P256": ec.SECP256R1,
    "ECC_NIST_P384": ec.SECP384R1,
    "ECC_NIST_P521": ec.SECP521R1,
    "ECC_SECG_P256K1": ec.SECP256K1,
}


def create_key(provider: Provider, spec: str, usage: str) -> tuple[dict[str, Any], Any]:
    model = provider.create({"KeySpec": spec, "KeyUsage": usage})
    der = base64.b64decode(model["PublicKey"])
    pem_lines = model["PublicKeyPem"].strip().splitlines()
    assert pem_lines[0] == "-----BEGIN PUBLIC KEY-----"
    assert pem_lines[-1] == "-----END PUBLIC KEY-----"
    assert all(len(line) <= 64 for line in pem_lines)
    assert base64.b64decode("".join(pem_lines[1:-1])) == der
    kms_der = provider.kms.get_public_key(KeyId=model["KeyId"])["PublicKey"]
    assert der == kms_der, "PublicKey is exactly what GetPublicKey returns"
    return model, der


# The larger RSA keys sign as RSA_2048 does (every algorithm is tried there); one algorithm of
# each padding shows that their public key is theirs, without a key pair made for each.
LARGER_RSA_ALGORITHMS = {"RSASSA_PSS_SHA_512", "RSASSA_PKCS1_V1_5_SHA_256"}
SIGNING_KEYS = [
    (spec, algorithm)
    for spec, info in KEY_SPECS.items()
    if spec != "SM2" and KeyUsage.SIGN_VERIFY in info.algorithms
    for algorithm in info.algorithms[KeyUsage.SIGN_VERIFY]
    if algorithm != "ED25519_PH_SHA_512"
    and (spec not in ("RSA_3072", "RSA_4096") or algorithm in LARGER_RSA_ALGORITHMS)
]
ENCRYPTING_KEYS = [
    (spec, algorithm)
    for spec in ("RSA_2048", "RSA_3072", "RSA_4096")
    for algorithm in RSA_ENCRYPTION
    if spec == "RSA_2048" or algorithm == "RSAES_OAEP_SHA_256"
]


@pytest.mark.parametrize(("spec", "algorithm"), SIGNING_KEYS)
def test_kms_signature_verifies_with_the_public_key_attribute(
    provider: Provider, spec: str, algorithm: str
) -> None:
    model, der = create_key(provider, spec, "SIGN_VERIFY")
    public_key = serialization.load_der_public_key(der)
    signature = provider.kms.sign(
        KeyId=model["KeyId"], Message=MESSAGE, MessageType="RAW", SigningAlgorithm=algorithm
    )["Signature"]
    digest = HASHES.get(algorithm.rsplit("_", 1)[-1])
    if isinstance(public_key, rsa.RSAPublicKey):
        assert public_key.key_size == int(spec.split("_")[1])
        assert digest is not None
        scheme = (
            padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size)
            if "PSS" in algorithm
            else padding.PKCS1v15()
        )
        public_key.verify(signature, MESSAGE, scheme, digest)
    elif isinstance(public_key, ec.EllipticCurvePublicKey):
        assert isinstance(public_key.curve, CURVES[spec])
        assert digest is not None
        public_key.verify(signature, MESSAGE, ec.ECDSA(digest))
    elif isinstance(public_key, ed25519.Ed25519PublicKey):
        public_key.verify(signature, MESSAGE)
    else:
        assert isinstance(
            public_key,
            mldsa.MLDSA44PublicKey | mldsa.MLDSA65PublicKey | mldsa.MLDSA87PublicKey,
        )
        public_key.verify(signature, MESSAGE)


@pytest.mark.parametrize(("spec", "algorithm"), ENCRYPTING_KEYS)
def test_data_encrypted_locally_decrypts_in_kms(
    provider: Provider, spec: str, algorithm: str
) -> None:
    digest = HASHES[algorithm.rsplit("_", 1)[-1]]
    model, der = create_key(provider, spec, "ENCRYPT_DECRYPT")
    public_key = serialization.load_der_public_key(der)
    assert isinstance(public_key, rsa.RSAPublicKey)
    ciphertext = public_key.encrypt(
        MESSAGE, padding.OAEP(mgf=padding.MGF1(digest), algorithm=digest, label=None)
    )
    plaintext = provider.kms.decrypt(
        KeyId=model["KeyId"], CiphertextBlob=ciphertext, EncryptionAlgorithm=algorithm
    )["Plaintext"]
    assert plaintext == MESSAGE


@pytest.mark.parametrize("spec", ["ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521"])
def test_shared_secret_derived_locally_equals_kms(provider: Provider, spec: str) -> None:
    model, der = create_key(provider, spec, "KEY_AGREEMENT")
    kms_public = serialization.load_der_public_key(der)
    assert isinstance(kms_public, ec.EllipticCurvePublicKey)
    ephemeral = ec.generate_private_key(CURVES[spec]())
    local_secret = ephemeral.exchange(ec.ECDH(), kms_public)
    kms_secret = provider.kms.derive_shared_secret(
        KeyId=model["KeyId"],
        KeyAgreementAlgorithm="ECDH",
        PublicKey=ephemeral.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    )["SharedSecret"]
    assert kms_secret == local_secret


@pytest.mark.parametrize("spec", ["ML_KEM_512", "ML_KEM_768", "ML_KEM_1024"])
def test_secret_encapsulated_locally_is_recovered_by_kms(provider: Provider, spec: str) -> None:
    model, der = create_key(provider, spec, "ENCAPSULATE_DECAPSULATE")
    assert model["EncapsulationAlgorithms"] == ["ML_KEM"]
    if spec == "ML_KEM_512":
        raw_public_key = der[-800:]  # the BIT STRING of an ML-KEM-512 SubjectPublicKeyInfo
        secret, ciphertext = ML_KEM_512.encaps(raw_public_key)
    else:
        public_key = serialization.load_der_public_key(der)
        assert isinstance(public_key, mlkem.MLKEM768PublicKey | mlkem.MLKEM1024PublicKey)
        secret, ciphertext = public_key.encapsulate()
    recovered = provider.kms.decapsulate(
        KeyId=model["KeyId"], SharedSecretCiphertextBlob=ciphertext, EncapsulationAlgorithm="ML_KEM"
    )["SharedSecret"]
    assert recovered == secret
    assert len(secret) == 32


@pytest.mark.parametrize(
    ("spec", "usage"),
    [("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"), ("HMAC_512", "GENERATE_VERIFY_MAC")],
)
def test_symmetric_and_hmac_keys_have_no_public_key_attributes(
    provider: Provider, spec: str, usage: str
) -> None:
    model = provider.create({"KeySpec": spec, "KeyUsage": usage})
    read = provider.read(model["KeyId"])["resourceModel"]
    assert "PublicKey" not in read and "PublicKeyPem" not in read
