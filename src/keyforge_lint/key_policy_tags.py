"""E9109: an AWS::KMS::Key key policy or tags that KMS refuses."""

from __future__ import annotations

import keyforge_lint._base as base


class KeyPolicyTags(base.RegistryRule):
    """cfn-lint's own schema for AWS::KMS::Key already reports a tag key twice and keys under
    aws: (E3024); only the count is left to this rule (the registry rule keeps only it)."""

    id = "E9109"
    description = (
        "On AWS::KMS::Key, what KMS refuses and cfn-lint's schema does not check: a "
        "KeyPolicy over 32768 bytes or not a JSON object, a policy statement without "
        'Action or NotAction, a Resource other than "*", a policy that lets no '
        "principal change it (KMS's lock-out safety check), more than 50 tags."
    )
