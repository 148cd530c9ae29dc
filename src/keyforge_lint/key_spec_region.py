"""E9103: a key spec the Region does not have, or key material KMS cannot import."""

from __future__ import annotations

import keyforge_lint._base as base


class KeySpecRegion(base.RegistryRule):
    id = "E9103"
    description = (
        "SM2 keys in a template linted for a Region outside China, ML-KEM keys in one "
        "linted for a China Region (the Regions are cfn-lint's --regions), and Origin "
        "EXTERNAL for a key spec whose key material KMS cannot import (ML-DSA; in the "
        "China Regions anything but symmetric encryption keys)."
    )
