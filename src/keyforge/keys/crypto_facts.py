"""The cryptography behind KMS's asymmetric key specs and algorithm names, as pure data. No I/O.

What KMS documents about a key spec (its usages, algorithms, sizes) is in
keyforge_kms_key.keyspecs, which the Lambda bundle carries without `cryptography`. What the
command side needs to build, parse and use such keys is here, once: the ASN.1 object
identifiers of SubjectPublicKeyInfo and PKCS#8, the elliptic curves (SM2's parameters too),
the ML-KEM and ML-DSA parameter sets (FIPS 203 and 204) with their `cryptography` key types,
and the hash and RSA padding that each KMS algorithm name stands for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, mldsa, mlkem, padding

ID_RSA_ENCRYPTION = "1.2.840.113549.1.1.1"
ID_EC_PUBLIC_KEY = "1.2.840.10045.2.1"
ID_ED25519 = "1.3.101.112"
ID_SM2_CURVE = "1.2.156.10197.1.301"

# The elliptic curve of each ECC key spec `cryptography` has, with the curve's OID (the
# parameters of id-ecPublicKey).
EC_CURVES: Mapping[str, tuple[type[ec.EllipticCurve], str]] = {
    "ECC_NIST_P256": (ec.SECP256R1, "1.2.840.10045.3.1.7"),
    "ECC_NIST_P384": (ec.SECP384R1, "1.3.132.0.34"),
    "ECC_NIST_P521": (ec.SECP521R1, "1.3.132.0.35"),
    "ECC_SECG_P256K1": (ec.SECP256K1, "1.3.132.0.10"),
}


class Sm2Parameters:
    """The SM2 curve (GB/T 32918.5): y^2 = x^3 + a x + b over GF(p), generator g of order n.

    `cryptography` does not offer it.
    """

    p = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
    a = p - 3
    b = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
    n = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
    g = (
        0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7,
        0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0,
    )
    coordinate_bytes = 32
    point_bytes = 1 + 2 * coordinate_bytes
    """An uncompressed point: 0x04, then x and y."""


@dataclass(frozen=True)
class MlKemParameters:
    """One ML-KEM parameter set (FIPS 203) and its `cryptography` key types, if it has them."""

    name: str
    oid: str
    encapsulation_key_bytes: int
    """The public key, as the SubjectPublicKeyInfo's BIT STRING holds it."""
    ciphertext_bytes: int
    private_key_type: type[mlkem.MLKEM768PrivateKey | mlkem.MLKEM1024PrivateKey] | None
    public_key_type: type[mlkem.MLKEM768PublicKey | mlkem.MLKEM1024PublicKey] | None


ML_KEM: Mapping[str, MlKemParameters] = {
    # `cryptography` has no ML-KEM-512.
    "ML_KEM_512": MlKemParameters("ML-KEM-512", "2.16.840.1.101.3.4.4.1", 800, 768, None, None),
    "ML_KEM_768": MlKemParameters(
        "ML-KEM-768",
        "2.16.840.1.101.3.4.4.2",
        1184,
        1088,
        mlkem.MLKEM768PrivateKey,
        mlkem.MLKEM768PublicKey,
    ),
    "ML_KEM_1024": MlKemParameters(
        "ML-KEM-1024",
        "2.16.840.1.101.3.4.4.3",
        1568,
        1568,
        mlkem.MLKEM1024PrivateKey,
        mlkem.MLKEM1024PublicKey,
    ),
}
ML_KEM_SEED_BYTES = 64
"""FIPS 203's seed (d, z) from which a key pair is derived, for every parameter set."""
# PrivateKeyInfo { version 0, AlgorithmIdentifier { id-alg-ml-kem-512 }, OCTET STRING { [0] seed } }
# (the seed-only form of RFC 9935), up to the seed itself.
ML_KEM_512_SEED_PKCS8_PREFIX = bytes.fromhex("3054020100300b060960864801650304040104428040")


MlDsaPublicKey = mldsa.MLDSA44PublicKey | mldsa.MLDSA65PublicKey | mldsa.MLDSA87PublicKey


@dataclass(frozen=True)
class MlDsaParameters:
    """One ML-DSA parameter set (FIPS 204) and its `cryptography` key types."""

    name: str
    oid: str
    private_key_type: type[
        mldsa.MLDSA44PrivateKey | mldsa.MLDSA65PrivateKey | mldsa.MLDSA87PrivateKey
    ]
    public_key_type: type[MlDsaPublicKey]


ML_DSA: Mapping[str, MlDsaParameters] = {
    "ML_DSA_44": MlDsaParameters(
        "ML-DSA-44", "2.16.840.1.101.3.4.3.17", mldsa.MLDSA44PrivateKey, mldsa.MLDSA44PublicKey
    ),
    "ML_DSA_65": MlDsaParameters(
        "ML-DSA-65", "2.16.840.1.101.3.4.3.18", mldsa.MLDSA65PrivateKey, mldsa.MLDSA65PublicKey
    ),
    "ML_DSA_87": MlDsaParameters(
        "ML-DSA-87", "2.16.840.1.101.3.4.3.19", mldsa.MLDSA87PrivateKey, mldsa.MLDSA87PublicKey
    ),
}


def pem_block_pattern(label: str | None = None) -> str:
    """The regular expression of a PEM block (RFC 7468) with the base64 in the group `body`.

    With a label, only blocks of that label; without one, any block, its label in the group
    `label`.
    """
    begin, end = (
        ("(?P<label>[A-Z0-9 ]+)", "(?P=label)") if label is None else (re.escape(label),) * 2
    )
    return rf"-----BEGIN {begin}-----\s*(?P<body>[A-Za-z0-9+/=\s]*?)\s*-----END {end}-----"


# The hash a KMS algorithm name ends with: RSAES_OAEP_SHA_1, ECDSA_SHA_384, RSASSA_PSS_SHA_512.
_DIGESTS: Mapping[str, Callable[[], hashes.HashAlgorithm]] = {
    "SHA_1": hashes.SHA1,
    "SHA_256": hashes.SHA256,
    "SHA_384": hashes.SHA384,
    "SHA_512": hashes.SHA512,
}


def digest_of(algorithm: str) -> hashes.HashAlgorithm:
    """The hash of a KMS algorithm named ..._SHA_1, _SHA_256, _SHA_384 or _SHA_512."""
    return _DIGESTS["_".join(algorithm.split("_")[-2:])]()


def oaep_padding(digest: hashes.HashAlgorithm) -> padding.OAEP:
    """RSAES-OAEP as KMS uses it: MGF1 with the same hash, no label."""
    return padding.OAEP(mgf=padding.MGF1(digest), algorithm=digest, label=None)


def rsa_signature_padding(algorithm: str) -> padding.AsymmetricPadding:
    """The padding of an RSASSA_PSS_* or RSASSA_PKCS1_V1_5_* signing algorithm.

    KMS signs PSS with a salt as long as the digest, not the longest salt that fits.
    """
    if "_PSS_" in algorithm:
        digest = digest_of(algorithm)
        return padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size)
    return padding.PKCS1v15()
