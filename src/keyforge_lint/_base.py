"""What every Keyforge rule shares: the rule metadata and the walk over resolved variants."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from cfnlint.rules import CloudFormationLintRule, RuleMatch
from cfnlint.template import Template

from keyforge_kms_key.keyspecs import KEY_RESOURCE_TYPES
from keyforge_kms_key.validation import Problem
from keyforge_lint._resolve import TemplatePath, Variant, resource_variants

TAGS = ["resources", "kms", "keyforge"]


class VariantRule(CloudFormationLintRule):  # type: ignore[misc]  # cfnlint ships no type information
    """A rule that checks each resolved variant of each resource of its types.

    Subclasses say which resource types they look at and return the problems
    of one variant; the same problem in several variants (or Regions) is
    reported once.
    """

    resource_types: tuple[str, ...] = KEY_RESOURCE_TYPES
    tags = TAGS

    def match(self, cfn: Template) -> list[RuleMatch]:
        matches: dict[tuple[str, str], RuleMatch] = {}
        for name, resource in cfn.get_resources(list(self.resource_types)).items():
            resource_type = str(resource.get("Type"))
            for variant in resource_variants(cfn, name):
                for path, message in self.findings(variant, resource_type):
                    match = RuleMatch(path, message)
                    matches.setdefault((match.path_string, message), match)
        return list(matches.values())

    def findings(self, variant: Variant, resource_type: str) -> Iterator[tuple[TemplatePath, str]]:
        for problem in self.problems(variant, resource_type):
            yield variant.path(problem.path), variant.explain(problem.message)

    def problems(self, variant: Variant, resource_type: str) -> Iterable[Problem]:
        return ()
