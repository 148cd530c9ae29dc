"""Key material for every KMS key spec, in the shape moto's Key expects (``key.private_key``).

moto makes RSA and NIST/SECG keys itself. It refuses Ed25519, ML-DSA and ML-KEM, makes an RSA
key for SM2, and makes an RSA-2048 key it never uses for every symmetric and HMAC key; those
cases are made here instead. A key created for imported material (``no_material()``) gets
none until its material is imported (``ImportedKey``, ``MlKemKey.from_private``).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from kyber_py.ml_kem import ML_KEM_512
from moto.kms.utils import AbstractPrivateKey

from keyforge.keys.crypto_facts import ML_DSA, ML_KEM, Sm2Parameters

from . import der, signing
from .errors import InvalidCiphertextException, InvalidKeyUsageException, KMSInvalidStateException

SPKI = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


class _SigningKey(AbstractPrivateKey):
    """A signing key moto can hold; the project's Sign and Verify go through ``signing``."""

    key_spec: str
    private_key: Any

    def sign(self, message: bytes, signing_algorithm: str) -> bytes:
        return signing.sign(self.key_spec, self.private_key, signing_algorithm, message, "RAW")

    def verify(self, message: bytes, signature: bytes, signing_algorithm: str) -> bool:
        return signing.verify(
            self.key_spec, self.private_key, signing_algorithm, message, "RAW", signature
        )

    def public_key(self) -> bytes:
        return bytes(self.private_key.public_key().public_bytes(*SPKI))


class ImportedKey(_SigningKey):
    """An imported private key (RSA, elliptic curve, Ed25519): KMS derives the public key."""

    def __init__(self, key_spec: str, private_key: Any) -> None:
        self.key_spec = key_spec
        self.private_key = private_key


class NoMaterial(AbstractPrivateKey):
    """What a key for imported material holds before its material is imported: nothing."""

    def __init__(self, key_spec: str) -> None:
        self.key_spec = key_spec

    @property
    def private_key(self) -> Any:
        raise KMSInvalidStateException("The key has no key material: import it first.")

    def sign(self, message: bytes, signing_algorithm: str) -> bytes:
        return bytes(self.private_key)

    def verify(self, message: bytes, signature: bytes, signing_algorithm: str) -> bool:
        return bool(self.private_key)

    def public_key(self) -> bytes:
        return bytes(self.private_key)


class Ed25519Key(_SigningKey):
    def __init__(self) -> None:
        self.key_spec = "ECC_NIST_EDWARDS25519"
        self.private_key = ed25519.Ed25519PrivateKey.generate()


class MlDsaKey(_SigningKey):
    def __init__(self, key_spec: str) -> None:
        self.key_spec = key_spec
        self.private_key = ML_DSA[key_spec].private_key_type.generate()


class MlKemKey(AbstractPrivateKey):
    """An ML-KEM key pair: ``encapsulate`` with the public key, ``decapsulate`` with the private."""

    def __init__(self, key_spec: str, private: Any = None) -> None:
        """A new key pair, or the given one (a `cryptography` key; for ML-KEM-512 the seed)."""
        self.key_spec = key_spec
        parameters = ML_KEM[key_spec]
        self.ciphertext_length = parameters.ciphertext_bytes
        if parameters.private_key_type is None:
            # cryptography has no ML-KEM-512; kyber-py implements FIPS 203 for it.
            self._encapsulation_key, self._decapsulation_key = (
                ML_KEM_512.keygen() if private is None else ML_KEM_512.key_derive(private)
            )
            self._private: Any = None
        else:
            generate = parameters.private_key_type.generate
            self._private = generate() if private is None else private

    def encapsulate(self) -> tuple[bytes, bytes]:
        """(shared secret, ciphertext)."""
        if self._private is None:
            secret, ciphertext = ML_KEM_512.encaps(self._encapsulation_key)
            return bytes(secret), bytes(ciphertext)
        secret, ciphertext = self._private.public_key().encapsulate()
        return bytes(secret), bytes(ciphertext)

    def decapsulate(self, ciphertext: bytes) -> bytes:
        if len(ciphertext) != self.ciphertext_length:
            raise InvalidCiphertextException(
                f"An {self.key_spec} ciphertext is {self.ciphertext_length} bytes, "
                f"not {len(ciphertext)}."
            )
        if self._private is None:
            return bytes(ML_KEM_512.decaps(self._decapsulation_key, ciphertext))
        return bytes(self._private.decapsulate(ciphertext))

    def public_key(self) -> bytes:
        if self._private is None:
            return der.ml_kem_spki(self.key_spec, bytes(self._encapsulation_key))
        return bytes(self._private.public_key().public_bytes(*SPKI))

    def sign(self, message: bytes, signing_algorithm: str) -> bytes:
        raise InvalidKeyUsageException("ML-KEM keys do not sign.")

    def verify(self, message: bytes, signature: bytes, signing_algorithm: str) -> bool:
        raise InvalidKeyUsageException("ML-KEM keys do not verify.")


class Sm2Curve(Sm2Parameters):
    """The SM2 curve's arithmetic: `cryptography` does not offer the curve, so it is here."""

    @classmethod
    def add(cls, left: tuple[int, int] | None, right: tuple[int, int] | None) -> Any:
        p = cls.p
        if left is None:
            return right
        if right is None:
            return left
        (x1, y1), (x2, y2) = left, right
        if x1 == x2 and (y1 + y2) % p == 0:
            return None
        if left == right:
            slope = (3 * x1 * x1 + cls.a) * pow(2 * y1, -1, p) % p
        else:
            slope = (y2 - y1) * pow(x2 - x1, -1, p) % p
        x3 = (slope * slope - x1 - x2) % p
        return (x3, (slope * (x1 - x3) - y1) % p)

    @classmethod
    def multiply(cls, scalar: int, point: tuple[int, int]) -> tuple[int, int] | None:
        result: tuple[int, int] | None = None
        addend: tuple[int, int] | None = point
        while scalar:
            if scalar & 1:
                result = cls.add(result, addend)
            addend = cls.add(addend, addend)
            scalar >>= 1
        return result


class Sm2Key(AbstractPrivateKey):
    """SM2 key material with its real public key. SM2 operations need SM2DSA/SM2PKE, not offered."""

    def __init__(self) -> None:
        self.key_spec = "SM2"
        self.secret = 1 + secrets.randbelow(Sm2Curve.n - 2)
        point = Sm2Curve.multiply(self.secret, Sm2Curve.g)
        assert point is not None
        self.point = point

    def public_key(self) -> bytes:
        x, y = self.point
        size = Sm2Curve.coordinate_bytes
        return der.sm2_spki(b"\x04" + x.to_bytes(size, "big") + y.to_bytes(size, "big"))

    def sign(self, message: bytes, signing_algorithm: str) -> bytes:
        raise NotImplementedError("SM2DSA")

    def verify(self, message: bytes, signature: bytes, signing_algorithm: str) -> bool:
        raise NotImplementedError("SM2DSA")


class LazyKey(AbstractPrivateKey):
    """What moto would have made, made the first time something asks for it, once.

    For moto's own key specs (symmetric, HMAC, RSA, NIST and SECG curves): a key that is only
    created, described, tagged and deleted never pays for its material (an RSA_4096 key pair
    takes about a second to generate). Nobody can tell the difference: the material is fixed
    at its first use and never changes.
    """

    def __init__(self, make: Callable[[], AbstractPrivateKey]) -> None:
        self._make = make
        self._made: AbstractPrivateKey | None = None
        self._lock = threading.Lock()  # the server answers requests in threads

    @property
    def made(self) -> AbstractPrivateKey:
        with self._lock:
            if self._made is None:
                self._made = self._make()
            return self._made

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.made, name)

    def sign(self, message: bytes, signing_algorithm: str) -> bytes:
        signature: bytes = self.made.sign(message, signing_algorithm)
        return signature

    def verify(self, message: bytes, signature: bytes, signing_algorithm: str) -> bool:
        valid: bool = self.made.verify(message, signature, signing_algorithm)
        return valid

    def public_key(self) -> bytes:
        public: bytes = self.made.public_key()
        return public


_NO_MATERIAL: ContextVar[bool] = ContextVar("no_material", default=False)


@contextmanager
def no_material() -> Iterator[None]:
    """Keys made meanwhile get no key material (``NoMaterial``): it will be imported."""
    token = _NO_MATERIAL.set(True)
    try:
        yield
    finally:
        _NO_MATERIAL.reset(token)


def imported_key(key_spec: str, private: Any) -> AbstractPrivateKey:
    """What moto's Key holds for an imported private key of that key spec."""
    if key_spec.startswith("ML_KEM_"):
        return MlKemKey(key_spec, private)
    return ImportedKey(key_spec, private)


def private_key_factory(
    moto_factory: Callable[[str], AbstractPrivateKey],
) -> Callable[[str], AbstractPrivateKey]:
    """Wrap moto's ``generate_private_key`` so that every key spec gets the right material."""

    def generate_private_key(key_spec: str) -> AbstractPrivateKey:
        if _NO_MATERIAL.get():
            return NoMaterial(key_spec)
        if key_spec == "ECC_NIST_EDWARDS25519":
            return Ed25519Key()
        if key_spec in ML_DSA:
            return MlDsaKey(key_spec)
        if key_spec in ML_KEM:
            return MlKemKey(key_spec)
        if key_spec == "SM2":
            return Sm2Key()
        return LazyKey(lambda: moto_factory(key_spec))

    generate_private_key.wraps_moto = moto_factory  # type: ignore[attr-defined]
    return generate_private_key
