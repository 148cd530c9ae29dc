"""Imported key material as KMS takes it: checked against a key spec, wrapped and unwrapped.

Pure: no I/O (key generation draws on the operating system's random numbers, nothing else).
Both sides of an import use this module: `keyforge import-key-material` checks and
wraps material before anything is sent, and the embedded KMS unwraps and checks it
the same way. What KMS requires (KMS developer guide, "Requirements for imported key
material" and "Select a wrapping algorithm"; the GetParametersForImport and
ImportKeyMaterial API reference):

- symmetric encryption keys: 256 bits of raw bytes (128 bits, SM4, in the China Regions);
- HMAC keys: raw bytes, at least the digest size and at most the hash's block size
  (HMAC_224 28-64 bytes, HMAC_256 32-64, HMAC_384 48-128, HMAC_512 64-128);
- asymmetric keys: the private key as an unencrypted PKCS#8 PrivateKeyInfo in DER; KMS
  derives the public key. A file may hold it as PEM ("BEGIN PRIVATE KEY"), sent as DER.
- wrapping: RSAES_OAEP_SHA_1/256 encrypt the material directly with the RSA wrapping
  key (any material but an RSA private key, and only what fits: not ECC_NIST_P521
  under RSA_2048); RSA_AES_KEY_WRAP_SHA_1/256 (CKM_RSA_AES_KEY_WRAP: a fresh AES-256
  key, RSA-OAEP-encrypted, followed by the material under AES key wrap with padding,
  RFC 5649) wrap RSA and elliptic-curve private keys and are not offered in the China
  Regions, where SM2PKE with an SM2 wrapping key is. RSAES_PKCS1_V1_5 is refused since
  October 2023.

Secret bytes never appear in a repr or in an error message.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, keywrap, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from keyforge.keys.crypto_facts import (
    EC_CURVES,
    ML_KEM,
    ML_KEM_512_SEED_PKCS8_PREFIX,
    ML_KEM_SEED_BYTES,
    oaep_padding,
    pem_block_pattern,
)
from keyforge_kms_key.keyspecs import KEY_SPECS, KeyKind, Range, is_china_region

OAEP_ALGORITHMS: Mapping[str, Callable[[], hashes.HashAlgorithm]] = {
    "RSAES_OAEP_SHA_1": hashes.SHA1,
    "RSAES_OAEP_SHA_256": hashes.SHA256,
}
AES_KEY_WRAP_ALGORITHMS: Mapping[str, Callable[[], hashes.HashAlgorithm]] = {
    "RSA_AES_KEY_WRAP_SHA_1": hashes.SHA1,
    "RSA_AES_KEY_WRAP_SHA_256": hashes.SHA256,
}
SM2PKE = "SM2PKE"
DEPRECATED_WRAPPING_ALGORITHM = "RSAES_PKCS1_V1_5"
WRAPPING_ALGORITHMS: tuple[str, ...] = (*OAEP_ALGORITHMS, *AES_KEY_WRAP_ALGORITHMS, SM2PKE)
# Every RSA key spec can be the wrapping key.
RSA_WRAPPING_KEY_BITS: Mapping[str, int] = {
    name: info.modulus_bits for name, info in KEY_SPECS.items() if info.modulus_bits is not None
}
SM2_WRAPPING_KEY_SPEC = "SM2"
WRAPPING_KEY_SPECS: tuple[str, ...] = (*RSA_WRAPPING_KEY_BITS, SM2_WRAPPING_KEY_SPEC)
DEFAULT_WRAPPING_KEY_SPEC = "RSA_4096"
"""KMS: "Use the longest RSA wrapping key that is practical"."""
EPHEMERAL_AES_KEY_BYTES = 32

# The values of KMS's key material API (ImportKeyMaterial, ListKeyRotations).
CURRENT, NON_CURRENT, PENDING_ROTATION = "CURRENT", "NON_CURRENT", "PENDING_ROTATION"
PENDING_MULTI_REGION_IMPORT_AND_ROTATION = "PENDING_MULTI_REGION_IMPORT_AND_ROTATION"
"""New key material of a multi-Region primary key not yet imported into every replica key
(KMS API reference, RotationsListEntry, KeyMaterialState)."""
PENDING_STATES = (PENDING_ROTATION, PENDING_MULTI_REGION_IMPORT_AND_ROTATION)
NEW_KEY_MATERIAL, EXISTING_KEY_MATERIAL = "NEW_KEY_MATERIAL", "EXISTING_KEY_MATERIAL"
IMPORT_TYPES = (NEW_KEY_MATERIAL, EXISTING_KEY_MATERIAL)
EXPIRES, DOES_NOT_EXPIRE = "KEY_MATERIAL_EXPIRES", "KEY_MATERIAL_DOES_NOT_EXPIRE"
EXPIRATION_MODELS = (EXPIRES, DOES_NOT_EXPIRE)
LONGEST_VALIDITY = timedelta(days=365)
"""How far ahead of the import imported key material may expire (ValidTo)."""
ALL_KEY_MATERIAL, ROTATIONS_ONLY = "ALL_KEY_MATERIAL", "ROTATIONS_ONLY"
INCLUDE_KEY_MATERIAL = (ALL_KEY_MATERIAL, ROTATIONS_ONLY)

SYMMETRIC_MATERIAL_BYTES = 32
CHINA_SYMMETRIC_MATERIAL_BYTES = 16
HMAC_MATERIAL_BYTES: Mapping[str, Range] = {
    "HMAC_224": Range(28, 64),
    "HMAC_256": Range(32, 64),
    "HMAC_384": Range(48, 128),
    "HMAC_512": Range(64, 128),
}


_PEM = re.compile(pem_block_pattern().encode())
_TEXT = re.compile(rb"[0-9A-Za-z+/=_\-\s]+")


class MaterialError(ValueError):
    """Key material that KMS would refuse, with why (never the material itself)."""


@dataclass(frozen=True)
class Material:
    """Key material checked against its key spec, ready to be wrapped."""

    key_spec: str
    plaintext: bytes = field(repr=False)
    """What is wrapped and sent: the raw bytes, or the PKCS#8 DER of a private key."""
    summary: str
    """What was found, for people: "32 bytes", "RSA 2048-bit private key"."""
    private_key: Any = field(default=None, repr=False, compare=False)
    """The loaded private key (`cryptography`), or the 64-byte seed of an ML-KEM-512 key."""
    canonical: bytes = field(default=b"", repr=False)
    """The same material in one encoding whatever file it came from: identifies it."""


# --- Checking material against a key spec ------------------------------------------------------


def symmetric_material_bytes(region: str | None) -> int:
    """256 bits, or 128 bits (SM4) in the China Regions."""
    if region and is_china_region(region):
        return CHINA_SYMMETRIC_MATERIAL_BYTES
    return SYMMETRIC_MATERIAL_BYTES


def check_material(
    data: bytes, key_spec: str, region: str | None = None, *, pem: bool = True
) -> Material:
    """The material, checked to be key material KMS imports into a key of ``key_spec``.

    Raises MaterialError for a key spec whose material cannot be imported (in that
    Region), and for bytes that are not material of that key spec. A private key may be
    PEM unless ``pem`` is false (KMS itself takes DER only); ``plaintext`` is DER.
    """
    info = KEY_SPECS.get(key_spec)
    if info is None:
        raise MaterialError(f"unknown key spec {key_spec!r}")
    if not info.importable_in(region):
        where = f" in {region}" if region and is_china_region(region) else ""
        raise MaterialError(f"KMS does not import key material for {key_spec} keys{where}")
    if info.kind is KeyKind.SYMMETRIC:
        expected = symmetric_material_bytes(region)
        return _raw(data, key_spec, Range(expected, expected))
    if info.kind is KeyKind.HMAC:
        return _raw(data, key_spec, HMAC_MATERIAL_BYTES[key_spec])
    return _private_key(data, key_spec, pem)


def _raw(data: bytes, key_spec: str, allowed: Range) -> Material:
    size = len(data)
    if size not in allowed:
        wanted = (
            f"{allowed.minimum} bytes"
            if allowed.minimum == allowed.maximum
            else f"{allowed.minimum} to {allowed.maximum} bytes"
        )
        raise MaterialError(f"{key_spec} key material is {wanted} of raw key, not {size} bytes")
    return Material(key_spec, data, f"{size} bytes", canonical=data)


def looks_like_text(data: bytes) -> bool:
    """Whether raw key material is in fact hex or base64 text (random bytes never are)."""
    return bool(data) and _TEXT.fullmatch(data) is not None


def _pkcs8_der(data: bytes, pem: bool) -> bytes:
    """The DER of a PKCS#8 private key given as DER or PEM."""
    stripped = data.lstrip()
    if not stripped.startswith(b"-----BEGIN "):
        return data
    if not pem:
        raise MaterialError("the private key is PEM text: KMS imports it as DER")
    match = _PEM.search(stripped)
    if match is None:
        raise MaterialError("the PEM file has no complete BEGIN/END block")
    label = match.group("label").decode("ascii")
    if label == "ENCRYPTED PRIVATE KEY":
        raise MaterialError(
            "the private key is encrypted: KMS imports an unencrypted PKCS#8 key "
            "(openssl pkcs8 -in KEY -out PLAIN -nocrypt)"
        )
    if label != "PRIVATE KEY":
        raise MaterialError(
            f"a PEM {label} is not a PKCS#8 private key: convert it with "
            "openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.p8"
        )
    try:
        return base64.b64decode(b"".join(match.group("body").split()), validate=True)
    except binascii.Error:
        raise MaterialError("the PEM body is not base64") from None


def _private_key(data: bytes, key_spec: str, pem: bool) -> Material:
    der = _pkcs8_der(data, pem)
    if key_spec == "ML_KEM_512":
        return _ml_kem_512(der)
    try:
        key = serialization.load_der_private_key(der, password=None)
    except TypeError:
        raise MaterialError(
            "the private key is encrypted: KMS imports an unencrypted one"
        ) from None
    except (ValueError, UnsupportedAlgorithm):
        raise MaterialError(
            f"not a PKCS#8 private key (DER or PEM) of a kind {key_spec} keys hold"
        ) from None
    summary = _summary(key, key_spec)
    canonical = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return Material(key_spec, der, summary, private_key=key, canonical=canonical)


def _found(key: Any) -> str:
    if isinstance(key, rsa.RSAPrivateKey):
        return f"an RSA {key.key_size}-bit key"
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return f"an elliptic-curve key on {key.curve.name}"
    return f"a {type(key).__name__.removesuffix('PrivateKey')} key"


def _summary(key: Any, key_spec: str) -> str:
    bits = KEY_SPECS[key_spec].modulus_bits
    if bits is not None:
        if not isinstance(key, rsa.RSAPrivateKey) or key.key_size != bits:
            raise MaterialError(
                f"{key_spec} needs an RSA {bits}-bit private key, not {_found(key)}"
            )
        return f"RSA {bits}-bit private key"
    if key_spec in EC_CURVES:
        curve, _ = EC_CURVES[key_spec]
        if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, curve):
            raise MaterialError(
                f"{key_spec} needs a private key on curve {curve.name}, not {_found(key)}"
            )
        return f"EC {curve.name} private key"
    if key_spec == "ECC_NIST_EDWARDS25519":
        if not isinstance(key, ed25519.Ed25519PrivateKey):
            raise MaterialError(f"{key_spec} needs an Ed25519 private key, not {_found(key)}")
        return "Ed25519 private key"
    parameters = ML_KEM.get(key_spec)
    expected = parameters.private_key_type if parameters is not None else None
    if parameters is None or expected is None:
        raise MaterialError(f"KMS does not import key material for {key_spec} keys")
    name = parameters.name
    if not isinstance(key, expected):
        raise MaterialError(f"{key_spec} needs an {name} private key, not {_found(key)}")
    return f"{name} private key"


def _ml_kem_512(der: bytes) -> Material:
    """`cryptography` cannot load ML-KEM-512, so its seed-form PKCS#8 is read here."""
    prefix = ML_KEM_512_SEED_PKCS8_PREFIX
    if len(der) != len(prefix) + ML_KEM_SEED_BYTES or not der.startswith(prefix):
        raise MaterialError(
            "ML_KEM_512 needs an ML-KEM-512 private key as PKCS#8 in its seed form "
            f"({len(prefix) + ML_KEM_SEED_BYTES} bytes of DER)"
        )
    seed = der[len(prefix) :]
    return Material("ML_KEM_512", der, "ML-KEM-512 private key", private_key=seed, canonical=der)


# --- Wrapping ----------------------------------------------------------------------------------


def material_kind(key_spec: str) -> str:
    """What the wrapping rules tell apart: RSA, elliptic-curve, ML-KEM, HMAC or symmetric."""
    info = KEY_SPECS.get(key_spec)
    if info is None or info.kind is not KeyKind.ASYMMETRIC:
        return "HMAC" if info is not None and info.kind is KeyKind.HMAC else "symmetric"
    if key_spec.startswith("RSA_"):
        return "RSA"
    return "ML-KEM" if key_spec.startswith("ML_KEM_") else "elliptic-curve"


def wrapping_problem(
    key_spec: str, algorithm: str, wrapping_key_spec: str, region: str | None
) -> str | None:
    """Why KMS refuses this wrapping algorithm and wrapping key for the key's material, if so."""
    china = bool(region) and is_china_region(region or "")
    if algorithm == DEPRECATED_WRAPPING_ALGORITHM:
        return f"KMS no longer supports the {algorithm} wrapping algorithm (since October 2023)"
    if algorithm not in WRAPPING_ALGORITHMS:
        return (
            f"unknown wrapping algorithm {algorithm}: KMS offers {', '.join(WRAPPING_ALGORITHMS)}"
        )
    if wrapping_key_spec not in WRAPPING_KEY_SPECS:
        return f"unknown wrapping key spec {wrapping_key_spec}: KMS offers " + ", ".join(
            WRAPPING_KEY_SPECS
        )
    if (algorithm == SM2PKE or wrapping_key_spec == SM2_WRAPPING_KEY_SPEC) and not china:
        return (
            f"{algorithm} with a {wrapping_key_spec} wrapping key exists only in the China Regions"
        )
    if (algorithm == SM2PKE) != (wrapping_key_spec == SM2_WRAPPING_KEY_SPEC):
        return "SM2PKE goes with an SM2 wrapping key, and an SM2 wrapping key with SM2PKE"
    if algorithm in AES_KEY_WRAP_ALGORITHMS and china:
        return f"{algorithm} is not offered in the China Regions"
    kind = material_kind(key_spec)
    if algorithm in AES_KEY_WRAP_ALGORITHMS and kind not in ("RSA", "elliptic-curve", "ML-KEM"):
        return f"{algorithm} wraps asymmetric private keys, not {kind} key material"
    if algorithm in OAEP_ALGORITHMS and kind == "RSA":
        return f"an RSA private key is too big for {algorithm}: use an RSA_AES_KEY_WRAP algorithm"
    if (
        algorithm in OAEP_ALGORITHMS
        and key_spec == "ECC_NIST_P521"
        and wrapping_key_spec == ("RSA_2048")
    ):
        return f"ECC_NIST_P521 key material does not fit {algorithm} under an RSA_2048 wrapping key"
    return None


def default_wrapping(key_spec: str, region: str | None) -> tuple[str, str]:
    """(wrapping algorithm, wrapping key spec) to use when none is asked for."""
    if material_kind(key_spec) in ("symmetric", "HMAC") or (region and is_china_region(region)):
        return "RSAES_OAEP_SHA_256", DEFAULT_WRAPPING_KEY_SPEC
    return "RSA_AES_KEY_WRAP_SHA_256", DEFAULT_WRAPPING_KEY_SPEC


def oaep_capacity(wrapping_key_bits: int, algorithm: str) -> int:
    """The most bytes RSAES-OAEP encrypts under a key of that size (RFC 8017: k - 2 hLen - 2)."""
    digest = OAEP_ALGORITHMS.get(algorithm) or AES_KEY_WRAP_ALGORITHMS[algorithm]
    return wrapping_key_bits // 8 - 2 * digest().digest_size - 2


def wrap(plaintext: bytes, wrapping_public_key: rsa.RSAPublicKey, algorithm: str) -> bytes:
    """The material encrypted for transport to KMS with the wrapping public key."""
    if algorithm in OAEP_ALGORITHMS:
        capacity = oaep_capacity(wrapping_public_key.key_size, algorithm)
        if len(plaintext) > capacity:
            raise MaterialError(
                f"{len(plaintext)} bytes of key material do not fit {algorithm} under a "
                f"{wrapping_public_key.key_size}-bit wrapping key (at most {capacity}): "
                "use a longer wrapping key or an RSA_AES_KEY_WRAP algorithm"
            )
        return wrapping_public_key.encrypt(plaintext, oaep_padding(OAEP_ALGORITHMS[algorithm]()))
    if algorithm in AES_KEY_WRAP_ALGORITHMS:
        aes_key = os.urandom(EPHEMERAL_AES_KEY_BYTES)
        wrapped_key = wrapping_public_key.encrypt(
            aes_key, oaep_padding(AES_KEY_WRAP_ALGORITHMS[algorithm]())
        )
        return wrapped_key + keywrap.aes_key_wrap_with_padding(aes_key, plaintext)
    raise MaterialError(f"{algorithm} wrapping is not available: `cryptography` has no SM2PKE")


def unwrap(wrapped: bytes, wrapping_private_key: rsa.RSAPrivateKey, algorithm: str) -> bytes:
    """The material ``wrap`` encrypted; ValueError when it was not wrapped that way."""
    try:
        if algorithm in OAEP_ALGORITHMS:
            return wrapping_private_key.decrypt(wrapped, oaep_padding(OAEP_ALGORITHMS[algorithm]()))
        if algorithm in AES_KEY_WRAP_ALGORITHMS:
            split = wrapping_private_key.key_size // 8
            aes_key = wrapping_private_key.decrypt(
                wrapped[:split], oaep_padding(AES_KEY_WRAP_ALGORITHMS[algorithm]())
            )
            return keywrap.aes_key_unwrap_with_padding(aes_key, wrapped[split:])
    except (ValueError, keywrap.InvalidUnwrap) as error:
        raise ValueError(f"the key material was not wrapped with {algorithm}") from error
    raise ValueError(f"{algorithm} unwrapping is not available")


# --- Making material (for demonstrations and tests) --------------------------------------------


def _pkcs8(key: Any) -> bytes:
    der: bytes = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return der


def generate_material(key_spec: str, region: str | None = None) -> bytes:
    """Fresh key material for a key spec, in the form KMS imports (raw bytes or PKCS#8 DER)."""
    info = KEY_SPECS[key_spec]
    if info.kind is KeyKind.SYMMETRIC:
        return os.urandom(symmetric_material_bytes(region))
    if info.kind is KeyKind.HMAC:
        return os.urandom(HMAC_MATERIAL_BYTES[key_spec].minimum)
    if info.modulus_bits is not None:
        return _pkcs8(rsa.generate_private_key(public_exponent=65537, key_size=info.modulus_bits))
    if key_spec in EC_CURVES:
        return _pkcs8(ec.generate_private_key(EC_CURVES[key_spec][0]()))
    if key_spec == "ECC_NIST_EDWARDS25519":
        return _pkcs8(ed25519.Ed25519PrivateKey.generate())
    ml_kem = ML_KEM.get(key_spec)
    if ml_kem is not None and ml_kem.private_key_type is not None:
        return _pkcs8(ml_kem.private_key_type.generate())
    if key_spec == "ML_KEM_512":
        return ML_KEM_512_SEED_PKCS8_PREFIX + os.urandom(ML_KEM_SEED_BYTES)
    raise MaterialError(f"KMS does not import key material for {key_spec} keys")
