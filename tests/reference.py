"""The KMS key specs as the AWS KMS documentation describes them, written out by hand.

The tests check the key-spec catalogue (src/keyforge_kms_key/keyspecs.py), the validation and
the embedded KMS against these tables. Nothing here is read or derived from src/, so a wrong
row in the catalogue fails a test rather than agreeing with itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ENC = "ENCRYPT_DECRYPT"
SIGN = "SIGN_VERIFY"
MAC = "GENERATE_VERIFY_MAC"
AGREE = "KEY_AGREEMENT"
KEM = "ENCAPSULATE_DECAPSULATE"
ALL_USAGES = (ENC, SIGN, MAC, AGREE, KEM)
"""The five KeyUsage values, in the order the project's messages list them."""

# The algorithms of every RSA key spec (RSA_2048, RSA_3072, RSA_4096), per usage.
RSA_ENCRYPTION = ("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256")
RSA_SIGNING = (
    "RSASSA_PSS_SHA_256",
    "RSASSA_PSS_SHA_384",
    "RSASSA_PSS_SHA_512",
    "RSASSA_PKCS1_V1_5_SHA_256",
    "RSASSA_PKCS1_V1_5_SHA_384",
    "RSASSA_PKCS1_V1_5_SHA_512",
)

CHINA_REGIONS = ("cn-north-1", "cn-northwest-1")
EVERYWHERE = "everywhere"
CHINA_ONLY = "china only"
OUTSIDE_CHINA = "outside china"


@dataclass(frozen=True)
class Row:
    """One key spec as the reference describes it."""

    algorithms: dict[str, set[str]]
    public_key: bool = True
    rotation: bool = False
    external: bool = True  # Origin EXTERNAL allowed outside the China Regions
    external_in_china: bool = False  # in the China Regions only symmetric keys can be imported
    regions: str = EVERYWHERE
    multi_region: bool = True
    kind: str = "asymmetric"
    usages: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "usages", frozenset(self.algorithms))


def _rsa() -> Row:
    return Row({ENC: set(RSA_ENCRYPTION), SIGN: set(RSA_SIGNING)})


def _hmac(bits: int) -> Row:
    return Row({MAC: {f"HMAC_SHA_{bits}"}}, public_key=False, kind="hmac")


KEY_SPECS: dict[str, Row] = {
    "SYMMETRIC_DEFAULT": Row(
        {ENC: {"SYMMETRIC_DEFAULT"}},
        public_key=False,
        rotation=True,
        external_in_china=True,
        kind="symmetric",
    ),
    "RSA_2048": _rsa(),
    "RSA_3072": _rsa(),
    "RSA_4096": _rsa(),
    "ECC_NIST_P256": Row({SIGN: {"ECDSA_SHA_256"}, AGREE: {"ECDH"}}),
    "ECC_NIST_P384": Row({SIGN: {"ECDSA_SHA_384"}, AGREE: {"ECDH"}}),
    "ECC_NIST_P521": Row({SIGN: {"ECDSA_SHA_512"}, AGREE: {"ECDH"}}),
    "ECC_SECG_P256K1": Row({SIGN: {"ECDSA_SHA_256"}}),
    "ECC_NIST_EDWARDS25519": Row({SIGN: {"ED25519_SHA_512", "ED25519_PH_SHA_512"}}),
    "ML_DSA_44": Row({SIGN: {"ML_DSA_SHAKE_256"}}, external=False),
    "ML_DSA_65": Row({SIGN: {"ML_DSA_SHAKE_256"}}, external=False),
    "ML_DSA_87": Row({SIGN: {"ML_DSA_SHAKE_256"}}, external=False),
    "ML_KEM_512": Row({KEM: {"ML_KEM"}}, regions=OUTSIDE_CHINA),
    "ML_KEM_768": Row({KEM: {"ML_KEM"}}, regions=OUTSIDE_CHINA),
    "ML_KEM_1024": Row({KEM: {"ML_KEM"}}, regions=OUTSIDE_CHINA),
    "HMAC_224": _hmac(224),
    "HMAC_256": _hmac(256),
    "HMAC_384": _hmac(384),
    "HMAC_512": _hmac(512),
    "SM2": Row({ENC: {"SM2PKE"}, SIGN: {"SM2DSA"}, AGREE: {"ECDH"}}, regions=CHINA_ONLY),
}
"""Every key spec, in the order the project's messages list them."""


def allowed_usages(spec: str) -> tuple[str, ...]:
    """The usages the reference allows for the key spec, in the order the messages list them."""
    return tuple(usage for usage in ALL_USAGES if usage in KEY_SPECS[spec].usages)
