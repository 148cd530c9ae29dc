"""The KMS key-spec catalogue: what each key spec allows, as pure data.

Everything the provider, the lint rules and the command know about key specs,
key usages, algorithms, rotation, origins, Regions and KMS limits lives here
and nowhere else. No I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import NamedTuple


class KeyUsage(StrEnum):
    ENCRYPT_DECRYPT = "ENCRYPT_DECRYPT"
    SIGN_VERIFY = "SIGN_VERIFY"
    GENERATE_VERIFY_MAC = "GENERATE_VERIFY_MAC"
    KEY_AGREEMENT = "KEY_AGREEMENT"
    ENCAPSULATE_DECAPSULATE = "ENCAPSULATE_DECAPSULATE"


class KeyKind(StrEnum):
    """The key types of the console's wizard."""

    SYMMETRIC = "symmetric"
    HMAC = "hmac"
    ASYMMETRIC = "asymmetric"


class Origin(StrEnum):
    """The origins of key material this resource offers."""

    AWS_KMS = "AWS_KMS"
    EXTERNAL = "EXTERNAL"


# The origins of keys in custom key stores: KMS has them, this resource does not offer them.
CUSTOM_KEY_STORE_ORIGINS: tuple[str, ...] = ("AWS_CLOUDHSM", "EXTERNAL_KEY_STORE")


class KeyState(StrEnum):
    """The states of a key (DescribeKey's KeyState) that Keyforge acts on."""

    ENABLED = "Enabled"
    DISABLED = "Disabled"
    PENDING_IMPORT = "PendingImport"
    PENDING_DELETION = "PendingDeletion"
    PENDING_REPLICA_DELETION = "PendingReplicaDeletion"
    # Both keys while the primary of a multi-Region key moves (UpdatePrimaryRegion).
    UPDATING = "Updating"


# A key in one of these states has its deletion scheduled: gone, as far as a resource goes.
PENDING_DELETION_STATES: frozenset[str] = frozenset(
    {KeyState.PENDING_DELETION, KeyState.PENDING_REPLICA_DELETION}
)


class RegionScope(StrEnum):
    """Where a key spec exists."""

    EVERYWHERE = "everywhere"
    CHINA_ONLY = "China Regions only"
    OUTSIDE_CHINA = "everywhere but the China Regions"


# The KeyMetadata / GetPublicKey field that lists a key's algorithms, per key usage.
ALGORITHM_FIELD: Mapping[KeyUsage, str] = {
    KeyUsage.ENCRYPT_DECRYPT: "EncryptionAlgorithms",
    KeyUsage.SIGN_VERIFY: "SigningAlgorithms",
    KeyUsage.GENERATE_VERIFY_MAC: "MacAlgorithms",
    KeyUsage.KEY_AGREEMENT: "KeyAgreementAlgorithms",
    KeyUsage.ENCAPSULATE_DECAPSULATE: "EncapsulationAlgorithms",
}
ALGORITHM_FIELDS: tuple[str, ...] = tuple(ALGORITHM_FIELD.values())

SYMMETRIC_KEY_SPEC = "SYMMETRIC_DEFAULT"
# KMS names the encryption algorithm of symmetric keys after their key spec.
SYMMETRIC_ENCRYPTION_ALGORITHM = SYMMETRIC_KEY_SPEC

DEFAULT_KEY_SPEC = SYMMETRIC_KEY_SPEC
DEFAULT_KEY_USAGE = KeyUsage.ENCRYPT_DECRYPT
DEFAULT_ORIGIN = Origin.AWS_KMS

# The properties KMS fixes when it creates a key, which no update may change, each with the
# value an omitted one stands for.
IMMUTABLE_PROPERTIES: Mapping[str, object] = {
    "KeySpec": DEFAULT_KEY_SPEC,
    "KeyUsage": DEFAULT_KEY_USAGE.value,
    "Origin": DEFAULT_ORIGIN.value,
    "MultiRegion": False,
}

CHINA_REGIONS: frozenset[str] = frozenset({"cn-north-1", "cn-northwest-1"})


class KeySpecInfo(NamedTuple):
    """One key spec: its usages (each with its algorithms) and its constraints."""

    name: str
    kind: KeyKind
    algorithms: Mapping[KeyUsage, tuple[str, ...]]
    regions: RegionScope = RegionScope.EVERYWHERE
    importable: bool = True
    """Whether Origin EXTERNAL (imported key material) is allowed outside the China Regions."""
    modulus_bits: int | None = None
    """The size of an RSA key spec's modulus; None for the others."""

    @property
    def usages(self) -> tuple[KeyUsage, ...]:
        return tuple(self.algorithms)

    @property
    def has_public_key(self) -> bool:
        return self.kind is KeyKind.ASYMMETRIC

    @property
    def can_rotate(self) -> bool:
        """Whether keys of this spec rotate at all: symmetric encryption keys only.

        See ``rotates_automatically`` and ``rotates_on_demand`` for what the origin adds.
        """
        return self.kind is KeyKind.SYMMETRIC

    @property
    def multi_region(self) -> bool:
        """Whether the key spec may be multi-Region.

        KMS makes multi-Region keys of every key type (symmetric, asymmetric, HMAC) and with
        either origin (AWS_KMS, EXTERNAL); only keys in custom key stores (Origin AWS_CLOUDHSM
        or EXTERNAL_KEY_STORE, which this resource does not offer) cannot be.
        """
        return True

    def exists_in(self, region: str) -> bool:
        china = is_china_region(region)
        if self.regions is RegionScope.CHINA_ONLY:
            return china
        if self.regions is RegionScope.OUTSIDE_CHINA:
            return not china
        return True

    def importable_in(self, region: str | None) -> bool:
        """Whether Origin EXTERNAL is allowed for this spec in the Region (None: any Region)."""
        if region is not None and is_china_region(region):
            return self.kind is KeyKind.SYMMETRIC
        return self.importable


_RSA_ENCRYPTION = ("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256")
_RSA_SIGNING = (
    "RSASSA_PSS_SHA_256",
    "RSASSA_PSS_SHA_384",
    "RSASSA_PSS_SHA_512",
    "RSASSA_PKCS1_V1_5_SHA_256",
    "RSASSA_PKCS1_V1_5_SHA_384",
    "RSASSA_PKCS1_V1_5_SHA_512",
)


def _rsa(bits: int) -> KeySpecInfo:
    return KeySpecInfo(
        f"RSA_{bits}",
        KeyKind.ASYMMETRIC,
        {KeyUsage.ENCRYPT_DECRYPT: _RSA_ENCRYPTION, KeyUsage.SIGN_VERIFY: _RSA_SIGNING},
        modulus_bits=bits,
    )


def _nist(curve: str, digest_bits: int) -> KeySpecInfo:
    return KeySpecInfo(
        f"ECC_NIST_{curve}",
        KeyKind.ASYMMETRIC,
        {
            KeyUsage.SIGN_VERIFY: (f"ECDSA_SHA_{digest_bits}",),
            KeyUsage.KEY_AGREEMENT: ("ECDH",),
        },
    )


def _ml_dsa(level: int) -> KeySpecInfo:
    return KeySpecInfo(
        f"ML_DSA_{level}",
        KeyKind.ASYMMETRIC,
        {KeyUsage.SIGN_VERIFY: ("ML_DSA_SHAKE_256",)},
        importable=False,
    )


def _ml_kem(level: int) -> KeySpecInfo:
    return KeySpecInfo(
        f"ML_KEM_{level}",
        KeyKind.ASYMMETRIC,
        {KeyUsage.ENCAPSULATE_DECAPSULATE: ("ML_KEM",)},
        regions=RegionScope.OUTSIDE_CHINA,
    )


def _hmac(bits: int) -> KeySpecInfo:
    return KeySpecInfo(
        f"HMAC_{bits}", KeyKind.HMAC, {KeyUsage.GENERATE_VERIFY_MAC: (f"HMAC_SHA_{bits}",)}
    )


_CATALOGUE: tuple[KeySpecInfo, ...] = (
    KeySpecInfo(
        SYMMETRIC_KEY_SPEC,
        KeyKind.SYMMETRIC,
        {KeyUsage.ENCRYPT_DECRYPT: (SYMMETRIC_ENCRYPTION_ALGORITHM,)},
    ),
    _rsa(2048),
    _rsa(3072),
    _rsa(4096),
    _nist("P256", 256),
    _nist("P384", 384),
    _nist("P521", 512),
    KeySpecInfo(
        "ECC_SECG_P256K1",
        KeyKind.ASYMMETRIC,
        {KeyUsage.SIGN_VERIFY: ("ECDSA_SHA_256",)},
    ),
    KeySpecInfo(
        "ECC_NIST_EDWARDS25519",
        KeyKind.ASYMMETRIC,
        {KeyUsage.SIGN_VERIFY: ("ED25519_SHA_512", "ED25519_PH_SHA_512")},
    ),
    _ml_dsa(44),
    _ml_dsa(65),
    _ml_dsa(87),
    _ml_kem(512),
    _ml_kem(768),
    _ml_kem(1024),
    _hmac(224),
    _hmac(256),
    _hmac(384),
    _hmac(512),
    KeySpecInfo(
        "SM2",
        KeyKind.ASYMMETRIC,
        {
            KeyUsage.ENCRYPT_DECRYPT: ("SM2PKE",),
            KeyUsage.SIGN_VERIFY: ("SM2DSA",),
            KeyUsage.KEY_AGREEMENT: ("ECDH",),
        },
        regions=RegionScope.CHINA_ONLY,
    ),
)

KEY_SPECS: Mapping[str, KeySpecInfo] = {info.name: info for info in _CATALOGUE}
KEY_USAGES: tuple[str, ...] = tuple(usage.value for usage in KeyUsage)


class Range(NamedTuple):
    minimum: int
    maximum: int

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and self.minimum <= value <= self.maximum

    def __str__(self) -> str:
        return f"{self.minimum} to {self.maximum}"


# The CloudFormation resource types of KMS keys: this project's (schema.json's typeName) and
# AWS's, and AWS's alias.
RESOURCE_TYPE = "Keyforge::KMS::Key"
AWS_KEY_TYPE = "AWS::KMS::Key"
AWS_ALIAS_TYPE = "AWS::KMS::Alias"
KEY_RESOURCE_TYPES: tuple[str, ...] = (AWS_KEY_TYPE, RESOURCE_TYPE)

# Keyforge's own convention, not a KMS fact: the tag CreateKey puts on every key it makes, whose
# value ties the key to the CloudFormation request that asked for it (see the README).
CREATION_TOKEN_TAG = "keyforge:creation-token"


class Limits:
    """KMS limits on the properties of a key."""

    DESCRIPTION_MAX_LENGTH = 8192
    ROTATION_PERIOD_DAYS = Range(90, 2560)
    DEFAULT_ROTATION_PERIOD_DAYS = 365
    PENDING_WINDOW_DAYS = Range(7, 30)
    DEFAULT_PENDING_WINDOW_DAYS = 30
    MAX_TAGS = 50
    TAG_KEY_LENGTH = Range(1, 128)
    TAG_VALUE_LENGTH = Range(0, 256)
    RESERVED_TAG_PREFIX = "aws:"
    POLICY_MAX_BYTES = 32768
    ALIAS_PREFIX = "alias/"
    RESERVED_ALIAS_PREFIX = "alias/aws/"
    ALIAS_MAX_LENGTH = 256
    ALIAS_PATTERN = r"^alias/[a-zA-Z0-9/_-]+$"


class MultiRegion:
    """KMS's rules for multi-Region keys and their replicas (ReplicateKey).

    A replica lives in another Region of the primary's partition, at most one per Region; it
    has the primary's key id, key spec, key usage, origin and key material (for Origin
    EXTERNAL the material is not copied: each replica starts PendingImport and takes the same
    material by its own import). The key spec must exist in the replica's Region (SM2 only in
    the China Regions, ML-KEM everywhere else), and imported material must be importable
    there. Description, tags, key policy and aliases are each replica's own.
    """

    KEY_ID_PREFIX = "mrk-"
    # Every partition's Region names: us-east-1, cn-north-1, us-gov-west-1, eusc-de-east-1.
    REGION_PATTERN = r"^[a-z]{2,4}(-[a-z]+)+-\d+$"
    # A primary whose deletion is scheduled while replicas remain waits in this state.
    PRIMARY_WAITING_STATE = KeyState.PENDING_REPLICA_DELETION
    # The first multi-Region key of an account makes KMS create this service-linked role, which
    # synchronizes shared properties; the caller needs iam:CreateServiceLinkedRole for it (KMS
    # developer guide, "Authorizing AWS KMS to synchronize multi-Region keys").
    SERVICE_LINKED_ROLE_NAME = "AWSServiceRoleForKeyManagementServiceMultiRegionKeys"
    SERVICE_LINKED_ROLE_SERVICE = "mrk.kms.amazonaws.com"


# Permissions KMS requires of the caller besides the one its operation names: CreateKey needs
# kms:TagResource to use Tags, and iam:CreateServiceLinkedRole for the first multi-Region key
# (KMS API reference, CreateKey, "Required permissions"; developer guide, "Authorizing AWS KMS to
# synchronize multi-Region keys"); ReplicateKey needs kms:CreateKey, and kms:TagResource to use
# Tags, in the replica Region (API reference, ReplicateKey, "Required permissions").
IMPLIED_PERMISSIONS: Mapping[str, tuple[str, ...]] = {
    "CreateKey": ("kms:TagResource", "iam:CreateServiceLinkedRole"),
    "ReplicateKey": ("kms:CreateKey", "kms:TagResource"),
}

CHINA_PARTITION = "aws-cn"
# The partitions other than "aws", by the prefix of their Region names.
_PARTITIONS_BY_REGION_PREFIX: tuple[tuple[str, str], ...] = (
    ("cn-", CHINA_PARTITION),
    ("us-gov-", "aws-us-gov"),
    ("us-isob-", "aws-iso-b"),
    ("us-isof-", "aws-iso-f"),
    ("eu-isoe-", "aws-iso-e"),
    ("us-iso-", "aws-iso"),
    ("eusc-", "aws-eusc"),
)


def is_china_region(region: str) -> bool:
    return region in CHINA_REGIONS or partition_of(region) == CHINA_PARTITION


def partition_of(region: str) -> str:
    """The AWS partition a Region belongs to."""
    for prefix, partition in _PARTITIONS_BY_REGION_PREFIX:
        if region.startswith(prefix):
            return partition
    return "aws"


def key_spec(name: str) -> KeySpecInfo | None:
    return KEY_SPECS.get(name)


def effective_key_spec(key_spec_value: str | None) -> str:
    return key_spec_value if key_spec_value is not None else DEFAULT_KEY_SPEC


def effective_key_usage(key_usage_value: str | None) -> str:
    return key_usage_value if key_usage_value is not None else DEFAULT_KEY_USAGE.value


def rotates_automatically(key_spec: str, origin: str) -> bool:
    """Whether KMS rotates such a key's material automatically (EnableKeyRotation).

    Symmetric encryption keys with Origin AWS_KMS only: KMS cannot make new material for a
    key whose material was imported.
    """
    info = KEY_SPECS.get(key_spec)
    return info is not None and info.can_rotate and origin == Origin.AWS_KMS


def rotates_on_demand(key_spec: str) -> bool:
    """Whether KMS rotates such a key on demand (RotateKeyOnDemand) and lists its rotations.

    Symmetric encryption keys of either origin: one with imported material rotates to new
    material imported for it.
    """
    info = KEY_SPECS.get(key_spec)
    return info is not None and info.can_rotate


def is_valid_pair(spec: str, usage: str) -> bool:
    info = KEY_SPECS.get(spec)
    return info is not None and usage in info.algorithms


def algorithms(spec: str, usage: str) -> Mapping[str, tuple[str, ...]]:
    """The algorithm lists of a key, by KeyMetadata field; empty for an invalid pair."""
    info = KEY_SPECS.get(spec)
    if info is None or usage not in info.algorithms:
        return {}
    key_usage = KeyUsage(usage)
    return {ALGORITHM_FIELD[key_usage]: info.algorithms[key_usage]}
