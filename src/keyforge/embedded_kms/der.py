"""Just enough DER to write a SubjectPublicKeyInfo for key types `cryptography` cannot serialise."""

from __future__ import annotations

from keyforge.keys.crypto_facts import ID_EC_PUBLIC_KEY, ID_SM2_CURVE, ML_KEM


def _length(size: int) -> bytes:
    if size < 0x80:
        return bytes([size])
    octets = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(octets)]) + octets


def _tlv(tag: int, value: bytes) -> bytes:
    return bytes([tag]) + _length(len(value)) + value


def oid(dotted: str) -> bytes:
    first, second, *rest = (int(part) for part in dotted.split("."))
    body = bytearray([40 * first + second])
    for arc in rest:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body.extend(reversed(chunk))
    return _tlv(0x06, bytes(body))


def subject_public_key_info(algorithm: bytes, public_key: bytes) -> bytes:
    """SEQUENCE { AlgorithmIdentifier, BIT STRING public_key } (no unused bits)."""
    return _tlv(0x30, _tlv(0x30, algorithm) + _tlv(0x03, b"\x00" + public_key))


def ml_kem_spki(key_spec: str, encapsulation_key: bytes) -> bytes:
    """An ML-KEM public key: the AlgorithmIdentifier has no parameters."""
    return subject_public_key_info(oid(ML_KEM[key_spec].oid), encapsulation_key)


def sm2_spki(point: bytes) -> bytes:
    return subject_public_key_info(oid(ID_EC_PUBLIC_KEY) + oid(ID_SM2_CURVE), point)
