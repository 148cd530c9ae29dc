"""Public keys as KMS GetPublicKey returns them (DER SubjectPublicKeyInfo), checked by key spec.

Pure: no I/O and no AWS. ``check_public_key(der, key_spec)`` answers a
``CheckedPublicKey`` (with ``.pem``) or raises ``PublicKeyError`` saying why the
bytes are not a public key of that key spec. Key types `cryptography` loads
(RSA, the NIST and SECG curves, Ed25519, ML-DSA, ML-KEM-768 and -1024) are
loaded and their size or curve compared; for ML-KEM-512 and SM2, which it
cannot load, the SubjectPublicKeyInfo is parsed here and its algorithm,
parameters and key length (for SM2: a point on the curve) are checked.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from keyforge.keys.crypto_facts import (
    EC_CURVES,
    ID_EC_PUBLIC_KEY,
    ID_ED25519,
    ID_RSA_ENCRYPTION,
    ID_SM2_CURVE,
    ML_DSA,
    ML_KEM,
    Sm2Parameters,
    pem_block_pattern,
)
from keyforge_kms_key.keyspecs import KEY_SPECS
from keyforge_kms_key.readback import PUBLIC_KEY_PEM_LABEL, der_to_pem

__all__ = [
    "CheckedPublicKey",
    "PublicKeyError",
    "check_public_key",
    "der_to_pem",
    "pem_to_der",
]


class PublicKeyError(ValueError):
    """Bytes that are not a public key of the key spec they were checked against."""


@dataclass(frozen=True)
class CheckedPublicKey:
    """A public key that passed ``check_public_key``."""

    key_spec: str
    der: bytes = field(repr=False)
    summary: str
    """What was found, for people: "RSA 2048-bit", "EC secp256r1", "ML-KEM-512"."""

    @property
    def pem(self) -> str:
        return der_to_pem(self.der)


_PEM_BLOCK = re.compile(pem_block_pattern(PUBLIC_KEY_PEM_LABEL))


def pem_to_der(pem: str | bytes) -> bytes:
    """The DER inside the first "PUBLIC KEY" PEM block."""
    text = pem.decode("ascii", errors="replace") if isinstance(pem, bytes) else pem
    match = _PEM_BLOCK.search(text)
    if match is None:
        raise PublicKeyError(f"no -----BEGIN {PUBLIC_KEY_PEM_LABEL}----- block")
    try:
        return base64.b64decode("".join(match.group("body").split()), validate=True)
    except binascii.Error as error:
        raise PublicKeyError(f"the PEM body is not base64: {error}") from None


# --- Just enough DER to read a SubjectPublicKeyInfo --------------------------------------------

_SEQUENCE, _OID, _BIT_STRING, _NULL = 0x30, 0x06, 0x03, 0x05


def _read(data: bytes, offset: int) -> tuple[int, bytes, int]:
    """One TLV at ``offset``: (tag, value, offset after it). Definite lengths only."""
    if offset + 2 > len(data):
        raise PublicKeyError("truncated DER")
    tag, first = data[offset], data[offset + 1]
    offset += 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or offset + count > len(data):
            raise PublicKeyError("DER length not supported or truncated")
        length = int.from_bytes(data[offset : offset + count], "big")
        offset += count
        if length < 0x80 or data[offset - count] == 0:
            raise PublicKeyError("DER length not in its shortest form")
    end = offset + length
    if end > len(data):
        raise PublicKeyError("truncated DER")
    return tag, data[offset:end], end


def _expect(data: bytes, offset: int, tag: int, what: str) -> tuple[bytes, int]:
    found, value, end = _read(data, offset)
    if found != tag:
        raise PublicKeyError(f"expected {what} (tag 0x{tag:02x}), found tag 0x{found:02x}")
    return value, end


def _oid_text(body: bytes) -> str:
    if not body or body[-1] & 0x80:
        raise PublicKeyError("malformed object identifier")
    arcs: list[int] = []
    value = 0
    for octet in body:
        value = (value << 7) | (octet & 0x7F)
        if not octet & 0x80:
            arcs.append(value)
            value = 0
    first = min(arcs[0] // 40, 2)
    return ".".join(str(arc) for arc in (first, arcs[0] - 40 * first, *arcs[1:]))


@dataclass(frozen=True)
class _Spki:
    algorithm: str
    parameters: str | None  # an OID parameter, "NULL", or None when absent
    key: bytes


def _parse_spki(der: bytes) -> _Spki:
    outer, end = _expect(der, 0, _SEQUENCE, "a SubjectPublicKeyInfo SEQUENCE")
    if end != len(der):
        raise PublicKeyError(f"{len(der) - end} bytes after the SubjectPublicKeyInfo")
    algorithm_identifier, offset = _expect(outer, 0, _SEQUENCE, "an AlgorithmIdentifier")
    bits, offset = _expect(outer, offset, _BIT_STRING, "the subjectPublicKey BIT STRING")
    if offset != len(outer):
        raise PublicKeyError("unexpected fields in the SubjectPublicKeyInfo")
    oid_body, position = _expect(algorithm_identifier, 0, _OID, "the algorithm OID")
    parameters: str | None = None
    if position < len(algorithm_identifier):
        tag, value, position = _read(algorithm_identifier, position)
        if tag == _OID:
            parameters = _oid_text(value)
        elif tag == _NULL and not value:
            parameters = "NULL"
        else:
            raise PublicKeyError(f"unexpected algorithm parameters (tag 0x{tag:02x})")
        if position != len(algorithm_identifier):
            raise PublicKeyError("unexpected fields in the AlgorithmIdentifier")
    if not bits or bits[0] != 0:
        raise PublicKeyError("the subjectPublicKey BIT STRING has unused bits")
    return _Spki(_oid_text(oid_body), parameters, bits[1:])


# --- Per key spec ------------------------------------------------------------------------------


def _load(der: bytes, key_spec: str) -> object:
    try:
        return serialization.load_der_public_key(der)
    except (ValueError, UnsupportedAlgorithm) as error:
        raise PublicKeyError(f"not a loadable {key_spec} public key: {error}") from None


def _check_rsa(der: bytes, spki: _Spki, key_spec: str) -> str:
    _require_algorithm(spki, ID_RSA_ENCRYPTION, "rsaEncryption")
    key = _load(der, key_spec)
    if not isinstance(key, rsa.RSAPublicKey):
        raise PublicKeyError(f"expected an RSA key, found {type(key).__name__}")
    bits = KEY_SPECS[key_spec].modulus_bits
    if key.key_size != bits:
        raise PublicKeyError(f"expected a {bits}-bit RSA key, found {key.key_size} bits")
    return f"RSA {bits}-bit"


def _check_ec(der: bytes, spki: _Spki, key_spec: str) -> str:
    curve, curve_oid = EC_CURVES[key_spec]
    _require_algorithm(spki, ID_EC_PUBLIC_KEY, "id-ecPublicKey")
    key = _load(der, key_spec)
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise PublicKeyError(f"expected an elliptic-curve key, found {type(key).__name__}")
    if not isinstance(key.curve, curve) or spki.parameters != curve_oid:
        raise PublicKeyError(f"expected curve {curve.name}, found {key.curve.name}")
    return f"EC {curve.name}"


def _check_ed25519(der: bytes, spki: _Spki, key_spec: str) -> str:
    _require_algorithm(spki, ID_ED25519, "Ed25519", no_parameters=True)
    key = _load(der, key_spec)
    if not isinstance(key, ed25519.Ed25519PublicKey):
        raise PublicKeyError(f"expected an Ed25519 key, found {type(key).__name__}")
    return "Ed25519"


def _check_ml_dsa(der: bytes, spki: _Spki, key_spec: str) -> str:
    parameters = ML_DSA[key_spec]
    name = parameters.name
    _require_algorithm(spki, parameters.oid, name, no_parameters=True)
    key = _load(der, key_spec)
    if not isinstance(key, parameters.public_key_type):
        raise PublicKeyError(f"expected an {name} key, found {type(key).__name__}")
    return name


def _check_ml_kem(der: bytes, spki: _Spki, key_spec: str) -> str:
    parameters = ML_KEM[key_spec]
    name = parameters.name
    _require_algorithm(spki, parameters.oid, name, no_parameters=True)
    expected_type = parameters.public_key_type
    if expected_type is None:  # ML-KEM-512: `cryptography` cannot load it
        size = parameters.encapsulation_key_bytes
        if len(spki.key) != size:
            raise PublicKeyError(
                f"expected a {size}-byte {name} encapsulation key, found {len(spki.key)} bytes"
            )
        return name
    key = _load(der, key_spec)
    if not isinstance(key, expected_type):
        raise PublicKeyError(f"expected an {name} key, found {type(key).__name__}")
    return name


def _check_sm2(der: bytes, spki: _Spki, key_spec: str) -> str:
    _require_algorithm(spki, ID_EC_PUBLIC_KEY, "id-ecPublicKey")
    if spki.parameters != ID_SM2_CURVE:
        raise PublicKeyError(f"expected curve sm2 ({ID_SM2_CURVE}), found {spki.parameters}")
    point, sm2 = spki.key, Sm2Parameters
    if len(point) != sm2.point_bytes or point[0] != 0x04:
        raise PublicKeyError(f"expected an uncompressed {sm2.point_bytes}-byte SM2 point")
    middle = 1 + sm2.coordinate_bytes
    x, y = int.from_bytes(point[1:middle], "big"), int.from_bytes(point[middle:], "big")
    on_curve = x < sm2.p and y < sm2.p and (y * y - (x**3 + sm2.a * x + sm2.b)) % sm2.p == 0
    if not on_curve:
        raise PublicKeyError("the SM2 point is not on the curve")
    return "EC sm2"


def _require_algorithm(
    spki: _Spki, expected: str, name: str, *, no_parameters: bool = False
) -> None:
    if spki.algorithm != expected:
        raise PublicKeyError(f"expected algorithm {name} ({expected}), found {spki.algorithm}")
    if no_parameters and spki.parameters is not None:
        raise PublicKeyError(f"{name} takes no algorithm parameters, found {spki.parameters}")


_Checker = Callable[[bytes, _Spki, str], str]


def _checker(key_spec: str) -> _Checker | None:
    if KEY_SPECS[key_spec].modulus_bits is not None:
        return _check_rsa
    if key_spec in EC_CURVES:
        return _check_ec
    if key_spec == "ECC_NIST_EDWARDS25519":
        return _check_ed25519
    if key_spec in ML_DSA:
        return _check_ml_dsa
    if key_spec in ML_KEM:
        return _check_ml_kem
    if key_spec == "SM2":
        return _check_sm2
    return None


def check_public_key(der: bytes, key_spec: str) -> CheckedPublicKey:
    """The public key, checked to be a well-formed public key of ``key_spec``.

    Raises ``PublicKeyError`` for a key spec without a public key (symmetric,
    HMAC, unknown) and for bytes that are not a public key of that key spec.
    """
    info = KEY_SPECS.get(key_spec)
    if info is None:
        raise PublicKeyError(f"unknown key spec {key_spec!r}")
    checker = _checker(key_spec)
    if not info.has_public_key or checker is None:
        raise PublicKeyError(f"a {key_spec} key ({info.kind.value}) has no public key")
    spki = _parse_spki(der)
    summary = checker(der, spki, key_spec)
    return CheckedPublicKey(key_spec=key_spec, der=der, summary=summary)
