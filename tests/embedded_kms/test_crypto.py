"""Every cryptographic operation is real: each round trip is checked with `cryptography`."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, mldsa, mlkem, padding, rsa, utils
from kyber_py.ml_kem import ML_KEM_512

from keyforge.embedded_kms import ed25519ph
from tests.reference import RSA_ENCRYPTION, RSA_SIGNING

from .conftest import error_of, new_key

MESSAGE = b"keyforge embedded KMS"
SPKI = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
HASHES = {"256": hashes.SHA256, "384": hashes.SHA384, "512": hashes.SHA512}


def public_key_of(kms: Any, key_id: str) -> Any:
    return serialization.load_der_public_key(kms.get_public_key(KeyId=key_id)["PublicKey"])


def rsa_key(kms: Any, usage: str) -> str:
    return new_key(kms, "RSA_2048", usage)


@pytest.mark.parametrize("algorithm", RSA_ENCRYPTION)
def test_rsa_data_encrypted_locally_decrypts_in_kms(kms: Any, algorithm: str) -> None:
    key_id = rsa_key(kms, "ENCRYPT_DECRYPT")
    public = public_key_of(kms, key_id)
    digest = hashes.SHA1() if algorithm.endswith("_1") else hashes.SHA256()
    ciphertext = public.encrypt(MESSAGE, padding.OAEP(padding.MGF1(digest), digest, None))
    answer = kms.decrypt(KeyId=key_id, CiphertextBlob=ciphertext, EncryptionAlgorithm=algorithm)
    assert answer["Plaintext"] == MESSAGE
    assert answer["EncryptionAlgorithm"] == algorithm
    other = "RSAES_OAEP_SHA_256" if algorithm.endswith("_1") else "RSAES_OAEP_SHA_1"
    code, _ = error_of(
        kms.decrypt, KeyId=key_id, CiphertextBlob=ciphertext, EncryptionAlgorithm=other
    )
    assert code == "InvalidCiphertextException"


def test_rsa_encrypt_in_kms_is_oaep_and_needs_an_rsa_algorithm(kms: Any) -> None:
    key_id = rsa_key(kms, "ENCRYPT_DECRYPT")
    blob = kms.encrypt(KeyId=key_id, Plaintext=MESSAGE, EncryptionAlgorithm="RSAES_OAEP_SHA_256")[
        "CiphertextBlob"
    ]
    assert len(blob) == 256
    assert (
        kms.decrypt(KeyId=key_id, CiphertextBlob=blob, EncryptionAlgorithm="RSAES_OAEP_SHA_256")[
            "Plaintext"
        ]
        == MESSAGE
    )
    assert error_of(kms.encrypt, KeyId=key_id, Plaintext=MESSAGE)[0] == "InvalidKeyUsageException"
    code, _ = error_of(
        kms.encrypt, KeyId=key_id, Plaintext=b"x" * 215, EncryptionAlgorithm="RSAES_OAEP_SHA_1"
    )
    assert code == "ValidationException"
    code, _ = error_of(kms.decrypt, CiphertextBlob=blob, EncryptionAlgorithm="RSAES_OAEP_SHA_256")
    assert code == "ValidationException", "asymmetric decryption needs the KeyId"


def test_symmetric_round_trip_and_re_encrypt_to_rsa(kms: Any) -> None:
    symmetric = new_key(kms)
    blob = kms.encrypt(KeyId=symmetric, Plaintext=MESSAGE, EncryptionContext={"a": "b"})[
        "CiphertextBlob"
    ]
    assert kms.decrypt(CiphertextBlob=blob, EncryptionContext={"a": "b"})["Plaintext"] == MESSAGE
    code, _ = error_of(
        kms.encrypt, KeyId=symmetric, Plaintext=MESSAGE, EncryptionAlgorithm="RSAES_OAEP_SHA_1"
    )
    assert code == "InvalidKeyUsageException"
    rsa_id = rsa_key(kms, "ENCRYPT_DECRYPT")
    moved = kms.re_encrypt(
        CiphertextBlob=blob,
        SourceEncryptionContext={"a": "b"},
        DestinationKeyId=rsa_id,
        DestinationEncryptionAlgorithm="RSAES_OAEP_SHA_256",
    )
    assert moved["SourceKeyId"].endswith(symmetric)
    assert (
        kms.decrypt(
            KeyId=rsa_id,
            CiphertextBlob=moved["CiphertextBlob"],
            EncryptionAlgorithm="RSAES_OAEP_SHA_256",
        )["Plaintext"]
        == MESSAGE
    )


def test_data_keys_need_a_symmetric_key(kms: Any) -> None:
    rsa_id = rsa_key(kms, "ENCRYPT_DECRYPT")
    code, _ = error_of(kms.generate_data_key, KeyId=rsa_id, KeySpec="AES_256")
    assert code == "InvalidKeyUsageException"
    answer = kms.generate_data_key(KeyId=new_key(kms), KeySpec="AES_256")
    assert kms.decrypt(CiphertextBlob=answer["CiphertextBlob"])["Plaintext"] == answer["Plaintext"]


def test_rsa_signatures_verify_locally_with_kms_salt_length(kms: Any) -> None:
    key_id = rsa_key(kms, "SIGN_VERIFY")
    public = public_key_of(kms, key_id)
    assert isinstance(public, rsa.RSAPublicKey)
    for algorithm in RSA_SIGNING:
        digest = HASHES[algorithm[-3:]]()
        signature = kms.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm=algorithm)["Signature"]
        if "_PSS_" in algorithm:
            exact = padding.PSS(padding.MGF1(digest), salt_length=digest.digest_size)
            public.verify(signature, MESSAGE, exact, digest)
            most = (public.key_size + 7) // 8 - digest.digest_size - 2
            longest = padding.PSS(padding.MGF1(digest), salt_length=most)
            with pytest.raises(InvalidSignature):
                public.verify(signature, MESSAGE, longest, digest)
        else:
            public.verify(signature, MESSAGE, padding.PKCS1v15(), digest)
        assert kms.verify(
            KeyId=key_id, Message=MESSAGE, Signature=signature, SigningAlgorithm=algorithm
        )["SignatureValid"]


@pytest.mark.parametrize(
    ("spec", "algorithm"),
    [("ECC_NIST_P256", "ECDSA_SHA_256"), ("ECC_NIST_P521", "ECDSA_SHA_512")],
)
def test_digest_messages_are_not_hashed_again(kms: Any, spec: str, algorithm: str) -> None:
    key_id = new_key(kms, spec, "SIGN_VERIFY")
    public = public_key_of(kms, key_id)
    digest = HASHES[algorithm[-3:]]()
    hashed = hashlib.new(digest.name, MESSAGE).digest()
    signature = kms.sign(
        KeyId=key_id, Message=hashed, MessageType="DIGEST", SigningAlgorithm=algorithm
    )["Signature"]
    public.verify(signature, MESSAGE, ec.ECDSA(digest))
    public.verify(signature, hashed, ec.ECDSA(utils.Prehashed(digest)))
    code, _ = error_of(
        kms.sign,
        KeyId=key_id,
        Message=hashed[:-1],
        MessageType="DIGEST",
        SigningAlgorithm=algorithm,
    )
    assert code == "ValidationException"


def test_rsa_digest_signature_matches_the_raw_one(kms: Any) -> None:
    key_id = rsa_key(kms, "SIGN_VERIFY")
    hashed = hashlib.sha384(MESSAGE).digest()
    signature = kms.sign(
        KeyId=key_id,
        Message=hashed,
        MessageType="DIGEST",
        SigningAlgorithm="RSASSA_PKCS1_V1_5_SHA_384",
    )["Signature"]
    public_key_of(kms, key_id).verify(signature, MESSAGE, padding.PKCS1v15(), hashes.SHA384())


def test_a_bad_signature_is_refused_as_kms_does(kms: Any) -> None:
    key_id = new_key(kms, "ECC_NIST_P256", "SIGN_VERIFY")
    signature = kms.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm="ECDSA_SHA_256")[
        "Signature"
    ]
    code, _ = error_of(
        kms.verify,
        KeyId=key_id,
        Message=MESSAGE + b"!",
        Signature=signature,
        SigningAlgorithm="ECDSA_SHA_256",
    )
    assert code == "KMSInvalidSignatureException"


def test_signing_needs_a_signing_key_and_its_algorithm(kms: Any) -> None:
    key_id = new_key(kms, "ECC_NIST_P256", "SIGN_VERIFY")
    code, _ = error_of(kms.sign, KeyId=key_id, Message=MESSAGE, SigningAlgorithm="ECDSA_SHA_384")
    assert code == "InvalidKeyUsageException"
    symmetric = new_key(kms)
    code, _ = error_of(kms.sign, KeyId=symmetric, Message=MESSAGE, SigningAlgorithm="ECDSA_SHA_256")
    assert code == "InvalidKeyUsageException"
    code, _ = error_of(
        kms.sign, KeyId=key_id, Message=b"x" * 4097, SigningAlgorithm="ECDSA_SHA_256"
    )
    assert code == "ValidationException"


def test_ed25519_signs_raw_messages(kms: Any) -> None:
    key_id = new_key(kms, "ECC_NIST_EDWARDS25519", "SIGN_VERIFY")
    signature = kms.sign(
        KeyId=key_id, Message=MESSAGE, MessageType="RAW", SigningAlgorithm="ED25519_SHA_512"
    )["Signature"]
    public_key_of(kms, key_id).verify(signature, MESSAGE)
    code, _ = error_of(
        kms.sign,
        KeyId=key_id,
        Message=hashlib.sha512(MESSAGE).digest(),
        MessageType="DIGEST",
        SigningAlgorithm="ED25519_SHA_512",
    )
    assert code == "ValidationException"


def test_ed25519ph_signs_a_sha512_digest(kms: Any) -> None:
    key_id = new_key(kms, "ECC_NIST_EDWARDS25519", "SIGN_VERIFY")
    public = public_key_of(kms, key_id).public_bytes_raw()
    digest = hashlib.sha512(MESSAGE).digest()
    signature = kms.sign(
        KeyId=key_id, Message=digest, MessageType="DIGEST", SigningAlgorithm="ED25519_PH_SHA_512"
    )["Signature"]
    assert ed25519ph.verify(public, digest, signature)
    assert not ed25519ph.verify(public, hashlib.sha512(b"other").digest(), signature)
    assert kms.verify(
        KeyId=key_id,
        Message=digest,
        MessageType="DIGEST",
        Signature=signature,
        SigningAlgorithm="ED25519_PH_SHA_512",
    )["SignatureValid"]
    code, _ = error_of(
        kms.sign, KeyId=key_id, Message=MESSAGE, SigningAlgorithm="ED25519_PH_SHA_512"
    )
    assert code == "ValidationException", "ED25519_PH_SHA_512 needs MessageType DIGEST"


@pytest.mark.parametrize("spec", ["ML_DSA_44", "ML_DSA_87"])
def test_ml_dsa_signs_raw_messages_up_to_4096_bytes(kms: Any, spec: str) -> None:
    key_id = new_key(kms, spec, "SIGN_VERIFY")
    public = public_key_of(kms, key_id)
    message = b"m" * 4096
    signature = kms.sign(KeyId=key_id, Message=message, SigningAlgorithm="ML_DSA_SHAKE_256")[
        "Signature"
    ]
    public.verify(signature, message)
    code, _ = error_of(
        kms.sign, KeyId=key_id, Message=message + b"m", SigningAlgorithm="ML_DSA_SHAKE_256"
    )
    assert code == "ValidationException"
    code, _ = error_of(
        kms.sign,
        KeyId=key_id,
        Message=hashlib.sha512(message).digest(),
        MessageType="DIGEST",
        SigningAlgorithm="ML_DSA_SHAKE_256",
    )
    assert code == "ValidationException"


def test_ml_dsa_external_mu(kms: Any) -> None:
    key_id = new_key(kms, "ML_DSA_65", "SIGN_VERIFY")
    public = public_key_of(kms, key_id)
    assert isinstance(public, mldsa.MLDSA65PublicKey)
    mu = hashlib.shake_256(b"any 64 bytes the caller computed").digest(64)
    signature = kms.sign(
        KeyId=key_id, Message=mu, MessageType="EXTERNAL_MU", SigningAlgorithm="ML_DSA_SHAKE_256"
    )["Signature"]
    public.verify_mu(signature, mu)


@pytest.mark.parametrize("curve", [ec.SECP256R1(), ec.SECP521R1()])
def test_ecdh_derives_the_secret_the_caller_derives(kms: Any, curve: ec.EllipticCurve) -> None:
    spec = {"secp256r1": "ECC_NIST_P256", "secp521r1": "ECC_NIST_P521"}[curve.name]
    key_id = new_key(kms, spec, "KEY_AGREEMENT")
    kms_public = public_key_of(kms, key_id)
    mine = ec.generate_private_key(curve)
    answer = kms.derive_shared_secret(
        KeyId=key_id, KeyAgreementAlgorithm="ECDH", PublicKey=mine.public_key().public_bytes(*SPKI)
    )
    assert answer["SharedSecret"] == mine.exchange(ec.ECDH(), kms_public)
    assert answer["KeyAgreementAlgorithm"] == "ECDH"


def test_ecdh_refuses_a_public_key_on_another_curve(kms: Any) -> None:
    key_id = new_key(kms, "ECC_NIST_P256", "KEY_AGREEMENT")
    other = ec.generate_private_key(ec.SECP384R1()).public_key().public_bytes(*SPKI)
    code, _ = error_of(
        kms.derive_shared_secret, KeyId=key_id, KeyAgreementAlgorithm="ECDH", PublicKey=other
    )
    assert code == "ValidationException"
    signing = new_key(kms, "ECC_NIST_P256", "SIGN_VERIFY")
    code, _ = error_of(
        kms.derive_shared_secret, KeyId=signing, KeyAgreementAlgorithm="ECDH", PublicKey=other
    )
    assert code == "InvalidKeyUsageException"


@pytest.mark.parametrize("spec", ["ML_KEM_512", "ML_KEM_768", "ML_KEM_1024"])
def test_ml_kem_encapsulated_locally_decapsulates_in_kms(kms: Any, spec: str) -> None:
    key_id = new_key(kms, spec, "ENCAPSULATE_DECAPSULATE")
    der = kms.get_public_key(KeyId=key_id)["PublicKey"]
    if spec == "ML_KEM_512":
        secret, ciphertext = ML_KEM_512.encaps(der[-800:])
    else:
        public = serialization.load_der_public_key(der)
        assert isinstance(public, mlkem.MLKEM768PublicKey | mlkem.MLKEM1024PublicKey)
        secret, ciphertext = public.encapsulate()
    answer = kms.decapsulate(
        KeyId=key_id, SharedSecretCiphertextBlob=ciphertext, EncapsulationAlgorithm="ML_KEM"
    )
    assert answer["SharedSecret"] == secret and len(secret) == 32
    remote = kms.encapsulate(KeyId=key_id, EncapsulationAlgorithm="ML_KEM")
    again = kms.decapsulate(
        KeyId=key_id,
        SharedSecretCiphertextBlob=remote["SharedSecretCiphertextBlob"],
        EncapsulationAlgorithm="ML_KEM",
    )
    assert again["SharedSecret"] == remote["SharedSecret"] != secret
    code, _ = error_of(
        kms.decapsulate,
        KeyId=key_id,
        SharedSecretCiphertextBlob=ciphertext[:-1],
        EncapsulationAlgorithm="ML_KEM",
    )
    assert code == "InvalidCiphertextException"


def test_encapsulation_needs_an_ml_kem_key(kms: Any) -> None:
    key_id = new_key(kms)
    code, _ = error_of(kms.encapsulate, KeyId=key_id, EncapsulationAlgorithm="ML_KEM")
    assert code == "InvalidKeyUsageException"


def test_hmac_needs_the_key_own_algorithm(kms: Any) -> None:
    key_id = new_key(kms, "HMAC_256", "GENERATE_VERIFY_MAC")
    mac = kms.generate_mac(KeyId=key_id, Message=MESSAGE, MacAlgorithm="HMAC_SHA_256")["Mac"]
    assert kms.verify_mac(KeyId=key_id, Message=MESSAGE, Mac=mac, MacAlgorithm="HMAC_SHA_256")[
        "MacValid"
    ]
    code, _ = error_of(kms.generate_mac, KeyId=key_id, Message=MESSAGE, MacAlgorithm="HMAC_SHA_512")
    assert code == "InvalidKeyUsageException"
