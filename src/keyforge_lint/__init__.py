"""cfn-lint rules for KMS keys (AWS::KMS::Key and Keyforge::KMS::Key).

Load them with ``cfn-lint TEMPLATE -a keyforge_lint`` or ``append_rules:
[keyforge_lint]`` in ``.cfnlintrc``. cfn-lint instantiates every rule class
this module exposes.
"""

from keyforge_lint.alias_name import AliasName
from keyforge_lint.confidential_text import ConfidentialText
from keyforge_lint.key_policy_risks import KeyPolicyRisks
from keyforge_lint.key_policy_tags import KeyPolicyTags
from keyforge_lint.key_rotation import KeyRotation
from keyforge_lint.key_spec_region import KeySpecRegion
from keyforge_lint.key_spec_usage import KeySpecUsage
from keyforge_lint.keyforge_properties import KeyforgeProperties
from keyforge_lint.principal_creation_order import PrincipalCreationOrder
from keyforge_lint.service_encryption_key import ServiceEncryptionKey

__all__ = [
    "AliasName",
    "ConfidentialText",
    "KeyPolicyRisks",
    "KeyPolicyTags",
    "KeyRotation",
    "KeySpecRegion",
    "KeySpecUsage",
    "KeyforgeProperties",
    "PrincipalCreationOrder",
    "ServiceEncryptionKey",
]
