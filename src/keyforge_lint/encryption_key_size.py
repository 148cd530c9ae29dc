"""I9115: an RSA key for encryption smaller than RSA_3072 (AWS Control Tower CT.KMS.PR.2)."""

from __future__ import annotations

from collections.abc import Iterator

import keyforge_lint._base as base
from keyforge_kms_key.keyspecs import KEY_SPECS, KeyUsage, effective_key_usage, key_spec
from keyforge_kms_key.validation import Problem
from keyforge_lint._resolve import Variant

# The smallest RSA modulus AWS Control Tower's CT.KMS.PR.2 accepts for encryption: NIST SP
# 800-57 Part 1 gives RSA-2048 112 bits of security, enough for new encryption only until 2030.
MIN_ENCRYPTION_MODULUS_BITS = 3072
_LARGER = [
    info.name
    for info in KEY_SPECS.values()
    if info.modulus_bits is not None
    and info.modulus_bits >= MIN_ENCRYPTION_MODULUS_BITS
    and KeyUsage.ENCRYPT_DECRYPT in info.algorithms
]


class EncryptionKeySize(base.VariantRule):
    id = "I9115"
    shortdesc = f"RSA encryption keys of {MIN_ENCRYPTION_MODULUS_BITS} bits or more"
    description = (
        f"An RSA key with KeyUsage {KeyUsage.ENCRYPT_DECRYPT} and a modulus under "
        f"{MIN_ENCRYPTION_MODULUS_BITS} bits: AWS Control Tower's control CT.KMS.PR.2 asks "
        f"for {' or '.join(_LARGER)} for encryption. Informational: cfn-lint shows it with "
        "--include-checks I."
    )
    source_url = (
        "https://docs.aws.amazon.com/kms/latest/developerguide/symm-asymm-choose-key-spec.html"
    )

    def problems(self, variant: Variant, resource_type: str) -> Iterator[Problem]:
        spec = variant.properties.get("KeySpec")
        usage = variant.properties.get("KeyUsage")
        info = key_spec(spec) if isinstance(spec, str) else None
        if info is None or info.modulus_bits is None:
            return
        if usage is not None and not isinstance(usage, str):
            return
        if effective_key_usage(usage) != KeyUsage.ENCRYPT_DECRYPT:
            return
        if info.modulus_bits >= MIN_ENCRYPTION_MODULUS_BITS:
            return
        yield Problem(
            ("KeySpec",),
            spec,
            f"KeySpec {spec} with KeyUsage {KeyUsage.ENCRYPT_DECRYPT}: a {info.modulus_bits}-bit "
            "RSA key gives 112 bits of security, which NIST SP 800-57 accepts for new "
            "encryption only until 2030, and AWS Control Tower's CT.KMS.PR.2 refuses it for "
            f"encryption. Choose {' or '.join(_LARGER)}: a key spec cannot change once the key "
            "exists.",
        )
