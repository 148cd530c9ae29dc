"""E9109: an AWS::KMS::Key key policy or tags that KMS refuses."""

from __future__ import annotations

from collections.abc import Iterator

import keyforge_lint._base as base
from keyforge_kms_key.keyspecs import AWS_KEY_TYPE, Limits
from keyforge_kms_key.validation import Problem, policy_problems, tag_problems
from keyforge_lint._resolve import Variant


class KeyPolicyTags(base.VariantRule):
    id = "E9109"
    shortdesc = "AWS::KMS::Key key policy and tag count KMS accepts"
    description = (
        "On AWS::KMS::Key, what KMS refuses and cfn-lint's schema does not check: a "
        "KeyPolicy over 32768 bytes or not a JSON object, a policy statement without "
        'Action or NotAction, a Resource other than "*", a policy that lets no '
        "principal change it (KMS's lock-out safety check), more than 50 tags."
    )
    source_url = "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html"
    resource_types = (AWS_KEY_TYPE,)

    def problems(self, variant: Variant, resource_type: str) -> Iterator[Problem]:
        yield from policy_problems(variant.properties)
        # cfn-lint's own schema for AWS::KMS::Key already reports a tag key twice
        # and keys under aws: (E3024); only the count is left to this rule.
        tags = tag_problems(variant.properties, limit=Limits.MAX_TAGS)
        yield from (p for p in tags if p.path == ("Tags",))
