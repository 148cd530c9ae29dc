"""cfn-lint rules for KMS keys (AWS::KMS::Key and Keyforge::KMS::Key).

Load them with ``cfn-lint TEMPLATE -a keyforge_lint`` or ``append_rules:
[keyforge_lint]`` in ``.cfnlintrc``. cfn-lint instantiates every rule class
this module exposes.
"""

from keyforge_lint.alias_name import AliasName
from keyforge_lint.broad_grants import BroadGrants
from keyforge_lint.confidential_text import ConfidentialText
from keyforge_lint.encryption_key_size import EncryptionKeySize
from keyforge_lint.grants_for_aws_resources import GrantsForAwsResources
from keyforge_lint.key_policy_risks import KeyPolicyRisks
from keyforge_lint.key_policy_tags import KeyPolicyTags
from keyforge_lint.key_rotation import KeyRotation
from keyforge_lint.key_spec_region import KeySpecRegion
from keyforge_lint.key_spec_usage import KeySpecUsage
from keyforge_lint.keyforge_properties import KeyforgeProperties
from keyforge_lint.principal_creation_order import PrincipalCreationOrder
from keyforge_lint.refused_principal import RefusedPrincipal
from keyforge_lint.rotation_advice import RotationAdvice
from keyforge_lint.service_encryption_key import ServiceEncryptionKey
from keyforge_lint.service_principal_scope import ServicePrincipalScope

__all__ = [
    "AliasName",
    "BroadGrants",
    "ConfidentialText",
    "EncryptionKeySize",
    "GrantsForAwsResources",
    "KeyPolicyRisks",
    "KeyPolicyTags",
    "KeyRotation",
    "KeySpecRegion",
    "KeySpecUsage",
    "KeyforgeProperties",
    "PrincipalCreationOrder",
    "RefusedPrincipal",
    "RotationAdvice",
    "ServiceEncryptionKey",
    "ServicePrincipalScope",
]
