"""Ed25519ph (RFC 8032, section 5.1, empty context): KMS's ED25519_PH_SHA_512.

`cryptography` signs pure Ed25519 only, so the pre-hashed variant is computed here from the
key's seed. The arithmetic is shared with pure Ed25519 (``sign_with_domain`` and an empty
domain), which is how the tests check it against `cryptography`.
"""

from __future__ import annotations

import hashlib

_P = 2**255 - 19
_L = 2**252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, -1, _P) % _P
_SQRT_MINUS_ONE = pow(2, (_P - 1) // 4, _P)
PREHASH_DOMAIN = b"SigEd25519 no Ed25519 collisions" + bytes([1, 0])

Point = tuple[int, int, int, int]  # extended coordinates (X, Y, Z, T)


def _add(first: Point, second: Point) -> Point:
    x1, y1, z1, t1 = first
    x2, y2, z2, t2 = second
    a = (y1 - x1) * (y2 - x2) % _P
    b = (y1 + x1) * (y2 + x2) % _P
    c = 2 * _D * t1 * t2 % _P
    d = 2 * z1 * z2 % _P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _multiply(scalar: int, point: Point) -> Point:
    result: Point = (0, 1, 1, 0)
    while scalar:
        if scalar & 1:
            result = _add(result, point)
        point = _add(point, point)
        scalar >>= 1
    return result


def _recover_x(y: int, sign: int) -> int | None:
    if y >= _P:
        return None
    square = (y * y - 1) * pow(_D * y * y + 1, -1, _P) % _P
    if square == 0:
        return None if sign else 0
    x = pow(square, (_P + 3) // 8, _P)
    if (x * x - square) % _P:
        x = x * _SQRT_MINUS_ONE % _P
    if (x * x - square) % _P:
        return None
    return _P - x if (x & 1) != sign else x


_BASE_Y = 4 * pow(5, -1, _P) % _P
_BASE_X = _recover_x(_BASE_Y, 0) or 0
_BASE: Point = (_BASE_X, _BASE_Y, 1, _BASE_X * _BASE_Y % _P)


def _encode(point: Point) -> bytes:
    x, y, z, _ = point
    inverse = pow(z, -1, _P)
    x, y = x * inverse % _P, y * inverse % _P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def _decode(data: bytes) -> Point | None:
    if len(data) != 32:
        return None
    value = int.from_bytes(data, "little")
    y = value & ((1 << 255) - 1)
    x = _recover_x(y, value >> 255)
    return None if x is None else (x, y, 1, x * y % _P)


def _hash_int(*parts: bytes) -> int:
    return int.from_bytes(hashlib.sha512(b"".join(parts)).digest(), "little") % _L


def _expand(seed: bytes) -> tuple[int, bytes]:
    digest = hashlib.sha512(seed).digest()
    scalar = int.from_bytes(digest[:32], "little")
    scalar &= (1 << 254) - 8
    scalar |= 1 << 254
    return scalar, digest[32:]


def public_key(seed: bytes) -> bytes:
    return _encode(_multiply(_expand(seed)[0], _BASE))


def sign_with_domain(seed: bytes, domain: bytes, message: bytes) -> bytes:
    scalar, prefix = _expand(seed)
    public = _encode(_multiply(scalar, _BASE))
    nonce = _hash_int(domain, prefix, message)
    commitment = _encode(_multiply(nonce, _BASE))
    challenge = _hash_int(domain, commitment, public, message)
    return commitment + ((nonce + challenge * scalar) % _L).to_bytes(32, "little")


def verify_with_domain(public: bytes, domain: bytes, message: bytes, signature: bytes) -> bool:
    if len(signature) != 64:
        return False
    point, commitment = _decode(public), _decode(signature[:32])
    response = int.from_bytes(signature[32:], "little")
    if point is None or commitment is None or response >= _L:
        return False
    challenge = _hash_int(domain, signature[:32], public, message)
    expected = _add(commitment, _multiply(challenge, point))
    return _encode(_multiply(response, _BASE)) == _encode(expected)


def sign(seed: bytes, digest: bytes) -> bytes:
    """Sign a SHA-512 digest of the message (KMS MessageType DIGEST)."""
    return sign_with_domain(seed, PREHASH_DOMAIN, digest)


def verify(public: bytes, digest: bytes, signature: bytes) -> bool:
    return verify_with_domain(public, PREHASH_DOMAIN, digest, signature)
