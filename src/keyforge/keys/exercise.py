"""Use a KMS key for its purpose, with the other side of each operation done locally.

Signatures made by KMS are verified with the public key; data encrypted with
the public key is decrypted by KMS; shared secrets are derived on both sides;
secrets encapsulated against the public key are decapsulated by KMS. A key with
imported material is compared with that material (its public key, its MACs); a
symmetric key is rotated on demand. Each function returns one line saying what it
proved, or raises ExerciseFailed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Callable
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, mlkem, rsa
from kyber_py.ml_kem import ML_KEM_512

from keyforge.keys.crypto_facts import (
    ML_DSA,
    ML_KEM,
    MlDsaPublicKey,
    digest_of,
    oaep_padding,
    rsa_signature_padding,
)
from keyforge.keys.material import check_material
from keyforge_kms_key.keyspecs import KEY_SPECS, KeyKind, KeyState, KeyUsage

MESSAGE = b"Keyforge: keys that do what their key spec says."
# The public keys that verify a signature of the message itself, with no hash or padding to name.
_VERIFY_THE_MESSAGE_ITSELF: tuple[type[ed25519.Ed25519PublicKey | MlDsaPublicKey], ...] = (
    ed25519.Ed25519PublicKey,
    *(parameters.public_key_type for parameters in ML_DSA.values()),
)


class ExerciseFailed(Exception):
    pass


def exercise(kms: Any, model: dict[str, Any]) -> list[str]:
    """Use the key for its key usage; one line per operation proved."""
    usage = KeyUsage(model["KeyUsage"])
    info = KEY_SPECS[model["KeySpec"]]
    if usage is KeyUsage.GENERATE_VERIFY_MAC:
        return _mac(kms, model)
    if info.kind is KeyKind.SYMMETRIC:
        return _symmetric(kms, model)
    public_der = base64.b64decode(model["PublicKey"])
    steps: dict[KeyUsage, Callable[[Any, dict[str, Any], bytes], list[str]]] = {
        KeyUsage.SIGN_VERIFY: _sign,
        KeyUsage.ENCRYPT_DECRYPT: _encrypt,
        KeyUsage.KEY_AGREEMENT: _agree,
        KeyUsage.ENCAPSULATE_DECAPSULATE: _encapsulate,
    }
    return steps[usage](kms, model, public_der)


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise ExerciseFailed(what)


def _sign(kms: Any, model: dict[str, Any], public_der: bytes) -> list[str]:
    public_key = serialization.load_der_public_key(public_der)
    lines = []
    for algorithm in model["SigningAlgorithms"]:
        if algorithm == "ED25519_PH_SHA_512":
            continue  # pre-hashed Ed25519 has no local counterpart in cryptography
        signature = kms.sign(
            KeyId=model["KeyId"], Message=MESSAGE, MessageType="RAW", SigningAlgorithm=algorithm
        )["Signature"]
        try:
            _verify(public_key, algorithm, signature)
        except InvalidSignature as error:
            raise ExerciseFailed(f"{algorithm}: the KMS signature does not verify") from error
        lines.append(f"signed in KMS with {algorithm}, verified locally with the public key")
    return lines


def _verify(public_key: Any, algorithm: str, signature: bytes) -> None:
    if isinstance(public_key, rsa.RSAPublicKey):
        scheme = rsa_signature_padding(algorithm)
        public_key.verify(signature, MESSAGE, scheme, digest_of(algorithm))
    elif isinstance(public_key, ec.EllipticCurvePublicKey):
        public_key.verify(signature, MESSAGE, ec.ECDSA(digest_of(algorithm)))
    elif isinstance(public_key, _VERIFY_THE_MESSAGE_ITSELF):
        public_key.verify(signature, MESSAGE)
    else:
        raise ExerciseFailed(f"no local verifier for {type(public_key).__name__}")


def _encrypt(kms: Any, model: dict[str, Any], public_der: bytes) -> list[str]:
    public_key = serialization.load_der_public_key(public_der)
    _check(isinstance(public_key, rsa.RSAPublicKey), "an encryption key must be RSA")
    assert isinstance(public_key, rsa.RSAPublicKey)
    lines = []
    for algorithm in model["EncryptionAlgorithms"]:
        ciphertext = public_key.encrypt(MESSAGE, oaep_padding(digest_of(algorithm)))
        plaintext = kms.decrypt(
            KeyId=model["KeyId"], CiphertextBlob=ciphertext, EncryptionAlgorithm=algorithm
        )["Plaintext"]
        _check(plaintext == MESSAGE, f"{algorithm}: KMS did not decrypt what was encrypted")
        lines.append(f"encrypted locally with {algorithm}, decrypted in KMS")
    return lines


def _agree(kms: Any, model: dict[str, Any], public_der: bytes) -> list[str]:
    public_key = serialization.load_der_public_key(public_der)
    _check(isinstance(public_key, ec.EllipticCurvePublicKey), "ECDH needs an EC key")
    assert isinstance(public_key, ec.EllipticCurvePublicKey)
    ephemeral = ec.generate_private_key(public_key.curve)
    local = ephemeral.exchange(ec.ECDH(), public_key)
    remote = kms.derive_shared_secret(
        KeyId=model["KeyId"],
        KeyAgreementAlgorithm="ECDH",
        PublicKey=ephemeral.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    )["SharedSecret"]
    _check(remote == local, "the shared secrets differ")
    return [f"derived the same {len(local)}-byte ECDH shared secret locally and in KMS"]


def _encapsulate(kms: Any, model: dict[str, Any], public_der: bytes) -> list[str]:
    parameters = ML_KEM[model["KeySpec"]]
    if parameters.public_key_type is None:  # ML-KEM-512: `cryptography` cannot load it
        secret, ciphertext = ML_KEM_512.encaps(public_der[-parameters.encapsulation_key_bytes :])
    else:
        public_key = serialization.load_der_public_key(public_der)
        assert isinstance(public_key, mlkem.MLKEM768PublicKey | mlkem.MLKEM1024PublicKey)
        secret, ciphertext = public_key.encapsulate()
    recovered = kms.decapsulate(
        KeyId=model["KeyId"], SharedSecretCiphertextBlob=ciphertext, EncapsulationAlgorithm="ML_KEM"
    )["SharedSecret"]
    _check(recovered == secret, "KMS decapsulated another secret")
    return [f"encapsulated a {len(secret)}-byte secret locally, decapsulated the same in KMS"]


def _mac(kms: Any, model: dict[str, Any]) -> list[str]:
    (algorithm,) = model["MacAlgorithms"]
    mac = kms.generate_mac(KeyId=model["KeyId"], Message=MESSAGE, MacAlgorithm=algorithm)["Mac"]
    valid = kms.verify_mac(KeyId=model["KeyId"], Message=MESSAGE, MacAlgorithm=algorithm, Mac=mac)[
        "MacValid"
    ]
    _check(valid is True, "KMS did not verify its own MAC")
    return [f"generated a {len(mac)}-byte {algorithm} MAC in KMS and verified it"]


def _symmetric(kms: Any, model: dict[str, Any]) -> list[str]:
    context = {"purpose": "keyforge-demo"}
    data = os.urandom(32)
    blob = kms.encrypt(KeyId=model["KeyId"], Plaintext=data, EncryptionContext=context)[
        "CiphertextBlob"
    ]
    plaintext = kms.decrypt(CiphertextBlob=blob, EncryptionContext=context)["Plaintext"]
    _check(plaintext == data, "KMS did not decrypt what it encrypted")
    return ["encrypted and decrypted in KMS with an encryption context"]


def imported_material_in_use(kms: Any, model: dict[str, Any], material: bytes) -> str:
    """The key's public key, or its MACs, are those of the material imported into it."""
    info = KEY_SPECS[model["KeySpec"]]
    if info.kind is KeyKind.HMAC:
        (algorithm,) = model["MacAlgorithms"]
        digest = getattr(hashlib, "sha" + algorithm.rsplit("_", 1)[-1])
        mac = kms.generate_mac(KeyId=model["KeyId"], Message=MESSAGE, MacAlgorithm=algorithm)
        _check(mac["Mac"] == hmac.new(material, MESSAGE, digest).digest(), "the MACs differ")
        return f"the {algorithm} MAC KMS made equals the one made here with the imported bytes"
    if info.kind is KeyKind.SYMMETRIC:
        return "encryption uses the imported 256-bit key (KMS ciphertexts are opaque)"
    private = check_material(material, model["KeySpec"]).private_key
    local = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _check(base64.b64decode(model["PublicKey"]) == local, "the public keys differ")
    return "the key's public key is the one of the private key imported"


def rotate_on_demand(kms: Any, model: dict[str, Any]) -> str:
    """RotateKeyOnDemand adds a rotation; what was encrypted before still decrypts."""
    data = os.urandom(32)
    blob = kms.encrypt(KeyId=model["KeyId"], Plaintext=data)["CiphertextBlob"]
    before = len(kms.list_key_rotations(KeyId=model["KeyId"])["Rotations"])
    kms.rotate_key_on_demand(KeyId=model["KeyId"])
    after = len(kms.list_key_rotations(KeyId=model["KeyId"])["Rotations"])
    _check(after == before + 1, "ListKeyRotations shows no new rotation")
    _check(kms.decrypt(CiphertextBlob=blob)["Plaintext"] == data, "old ciphertext lost")
    plural = "s" if after != 1 else ""
    return f"rotated on demand ({after} rotation{plural}); data encrypted before still decrypts"


def across_regions(kms: Any, model: dict[str, Any], client_in: Callable[[str], Any]) -> list[str]:
    """Each replica is a REPLICA key, Enabled, interchangeable with its primary: what one
    Region encrypts, MACs or signs, the other decrypts or verifies. One line per replica."""
    key_id = model["KeyId"]
    usage = KeyUsage(model["KeyUsage"])
    lines = []
    for region in model.get("ReplicaRegions") or []:
        replica = client_in(region)
        metadata = replica.describe_key(KeyId=key_id)["KeyMetadata"]
        kind = metadata["MultiRegionConfiguration"]["MultiRegionKeyType"]
        _check(kind == "REPLICA", f"the key in {region} is {kind}, not REPLICA")
        _check(metadata["KeyState"] == KeyState.ENABLED, f"the replica in {region} is not Enabled")
        if usage is KeyUsage.GENERATE_VERIFY_MAC:
            (algorithm,) = model["MacAlgorithms"]
            mac = kms.generate_mac(KeyId=key_id, Message=MESSAGE, MacAlgorithm=algorithm)["Mac"]
            valid = replica.verify_mac(
                KeyId=key_id, Message=MESSAGE, MacAlgorithm=algorithm, Mac=mac
            )["MacValid"]
            _check(valid is True, f"the replica in {region} did not verify the primary's MAC")
            lines.append(f"a MAC of the primary verified by the replica in {region}")
        elif usage is KeyUsage.SIGN_VERIFY:
            algorithm = model["SigningAlgorithms"][0]
            signed = replica.sign(
                KeyId=key_id, Message=MESSAGE, MessageType="RAW", SigningAlgorithm=algorithm
            )["Signature"]
            valid = kms.verify(
                KeyId=key_id,
                Message=MESSAGE,
                MessageType="RAW",
                Signature=signed,
                SigningAlgorithm=algorithm,
            )["SignatureValid"]
            _check(valid is True, f"the primary did not verify a signature made in {region}")
            lines.append(f"a signature of the replica in {region} verified by the primary")
        elif KEY_SPECS[model["KeySpec"]].kind is KeyKind.SYMMETRIC:
            data = os.urandom(32)
            blob = kms.encrypt(KeyId=key_id, Plaintext=data)["CiphertextBlob"]
            _check(
                replica.decrypt(CiphertextBlob=blob)["Plaintext"] == data,
                f"the replica in {region} did not decrypt the primary's ciphertext",
            )
            back = replica.encrypt(KeyId=key_id, Plaintext=data)["CiphertextBlob"]
            _check(
                kms.decrypt(CiphertextBlob=back)["Plaintext"] == data,
                f"the primary did not decrypt the ciphertext of the replica in {region}",
            )
            lines.append(
                f"ciphertext of the primary decrypted by the replica in {region}, and back"
            )
        else:
            lines.append(f"the replica in {region} is Enabled")
    return lines
