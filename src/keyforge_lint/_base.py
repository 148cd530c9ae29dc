"""What every Keyforge rule shares: the rule metadata and the walk over resolved variants."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch
from cfnlint.template import Template

from keyforge_kms_key import rules as registry
from keyforge_kms_key.keyspecs import KEY_RESOURCE_TYPES
from keyforge_kms_key.validation import Problem
from keyforge_lint._resolve import TemplatePath, Variant, resource_variants

TAGS = ["resources", "kms", "keyforge"]
# The checks that take the Region: called once for each Region a variant is linted for.
_REGIONAL = frozenset(
    {registry.Inputs.PROPERTIES_IN_REGION, registry.Inputs.PROPERTIES_IN_ANY_REGION}
)


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


class RegistryRule(VariantRule):
    """A rule of the rule registry (`keyforge_kms_key.rules`), as lint carries it.

    A subclass names the registry rule by its `id` and adds lint's `description`; its title
    (shortdesc), documentation (source_url), resource types and problems are the registry
    rule's. Each of the rule's checks runs on each variant: once, or once for each Region the
    variant is linted for when the check takes the Region.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        rule = registry.rule(cls.id)
        cls.shortdesc = rule.title
        cls.source_url = rule.documentation
        cls.resource_types = rule.resource_types

    @property
    def registry_rule(self) -> registry.Rule:
        return registry.rule(self.id)

    def problems(self, variant: Variant, resource_type: str) -> Iterator[Problem]:
        checks = self.registry_rule.checks
        properties = variant.properties
        for check in checks:
            if check.inputs not in _REGIONAL:
                yield from check.problems(properties)
        for region in variant.regions:
            for check in checks:
                if check.inputs in _REGIONAL:
                    yield from check.problems(properties, region)
