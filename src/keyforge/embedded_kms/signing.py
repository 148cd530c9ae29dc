"""Sign and Verify as KMS does them, for every signing key spec except SM2."""

from __future__ import annotations

from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa, utils

from keyforge.keys.crypto_facts import digest_of, rsa_signature_padding

from . import ed25519ph
from .errors import UnsupportedOperationException, ValidationException

MESSAGE_TYPES = ("RAW", "DIGEST", "EXTERNAL_MU")
MAX_RAW_MESSAGE_BYTES = 4096
MU_BYTES = 64


def _family(private: Any) -> str:
    if isinstance(private, rsa.RSAPrivateKey):
        return "RSA"
    if isinstance(private, ec.EllipticCurvePrivateKey):
        return "ECDSA"
    if isinstance(private, ed25519.Ed25519PrivateKey):
        return "ED25519"
    if hasattr(private, "sign_mu"):
        return "ML_DSA"
    raise UnsupportedOperationException("This key's signing algorithm is not available here.")


def _check(family: str, algorithm: str, message: bytes, message_type: str) -> None:
    if message_type not in MESSAGE_TYPES:
        raise ValidationException(
            f"1 validation error detected: Value '{message_type}' at 'messageType' failed to "
            f"satisfy constraint: Member must satisfy enum value set: [{', '.join(MESSAGE_TYPES)}]"
        )
    if not message:
        raise ValidationException("Message must be at least 1 byte long.")
    if message_type == "RAW":
        if len(message) > MAX_RAW_MESSAGE_BYTES:
            raise ValidationException(
                f"A RAW message is at most {MAX_RAW_MESSAGE_BYTES} bytes; this one is "
                f"{len(message)}. Send a DIGEST instead."
            )
        if algorithm == "ED25519_PH_SHA_512":
            raise ValidationException("ED25519_PH_SHA_512 requires MessageType DIGEST.")
        return
    if message_type == "EXTERNAL_MU":
        if family != "ML_DSA":
            raise ValidationException("MessageType EXTERNAL_MU is only for ML-DSA keys.")
        if len(message) != MU_BYTES:
            raise ValidationException(f"An EXTERNAL_MU message is {MU_BYTES} bytes.")
        return
    if family == "ML_DSA":
        raise ValidationException("ML-DSA keys sign RAW or EXTERNAL_MU messages, not DIGEST.")
    if algorithm == "ED25519_SHA_512":
        raise ValidationException("ED25519_SHA_512 requires MessageType RAW.")
    size = digest_of(algorithm).digest_size
    if len(message) != size:
        raise ValidationException(
            f"A DIGEST message for {algorithm} is {size} bytes; this one is {len(message)}."
        )


def _hash_for(algorithm: str, message_type: str) -> Any:
    digest = digest_of(algorithm)
    return utils.Prehashed(digest) if message_type == "DIGEST" else digest


def sign(key_spec: str, private: Any, algorithm: str, message: bytes, message_type: str) -> bytes:
    family = _family(private)
    _check(family, algorithm, message, message_type)
    if family == "RSA":
        return bytes(
            private.sign(
                message, rsa_signature_padding(algorithm), _hash_for(algorithm, message_type)
            )
        )
    if family == "ECDSA":
        return bytes(private.sign(message, ec.ECDSA(_hash_for(algorithm, message_type))))
    if family == "ED25519":
        if algorithm == "ED25519_PH_SHA_512":
            return ed25519ph.sign(private.private_bytes_raw(), message)
        return bytes(private.sign(message))
    if message_type == "EXTERNAL_MU":
        return bytes(private.sign_mu(message))
    return bytes(private.sign(message))


def verify(
    key_spec: str,
    private: Any,
    algorithm: str,
    message: bytes,
    message_type: str,
    signature: bytes,
) -> bool:
    family = _family(private)
    _check(family, algorithm, message, message_type)
    public = private.public_key()
    try:
        if family == "RSA":
            public.verify(
                signature,
                message,
                rsa_signature_padding(algorithm),
                _hash_for(algorithm, message_type),
            )
        elif family == "ECDSA":
            public.verify(signature, message, ec.ECDSA(_hash_for(algorithm, message_type)))
        elif family == "ED25519":
            if algorithm == "ED25519_PH_SHA_512":
                return ed25519ph.verify(public.public_bytes_raw(), message, signature)
            public.verify(signature, message)
        elif message_type == "EXTERNAL_MU":
            public.verify_mu(signature, message)
        else:
            public.verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True
