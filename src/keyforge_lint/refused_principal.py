"""E9114: a principal KMS refuses in any account: an IAM group, a wildcard in an ARN, another
partition's."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import keyforge_lint._base as base
from keyforge_kms_key.keyspecs import RESOURCE_TYPE, partition_of
from keyforge_kms_key.refused_principals import refusal
from keyforge_kms_key.validation import PRINCIPAL_LISTS, Problem, format_path
from keyforge_lint._resolve import Variant
from keyforge_lint._statements import Entry, principal_entries, statements, text_in


class RefusedPrincipal(base.VariantRule):
    id = "E9114"
    shortdesc = "Key policies name only principals KMS accepts"
    description = (
        "A principal that KMS refuses whatever the account holds, in an AWS::KMS::Key or "
        "Keyforge::KMS::Key KeyPolicy or in Keyforge::KMS::Key's KeyAdministrators and "
        "KeyUsers: an IAM group, a wildcard inside an ARN, or an ARN of another partition "
        "than the Regions linted for. KMS refuses such a key policy at deploy time "
        "(MalformedPolicyDocumentException)."
    )
    source_url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html"

    def problems(self, variant: Variant, resource_type: str) -> Iterator[Problem]:
        regions: dict[str, str] = {}
        for region in variant.regions:
            regions.setdefault(partition_of(region), region)
        for partition, region in sorted(regions.items()):
            for statement in statements(variant.properties):
                for entry in principal_entries(statement, "AWS"):
                    yield from _refused(entry, f"{statement.name} names", partition, region)
            if resource_type == RESOURCE_TYPE:
                for name in PRINCIPAL_LISTS:
                    for entry in _listed(variant.properties, name):
                        yield from _refused(entry, format_path(entry.path), partition, region)


def _listed(properties: Mapping[str, Any], name: str) -> Iterator[Entry]:
    entries = properties.get(name)
    if isinstance(entries, list):
        for index, entry in enumerate(entries):
            yield Entry(name, (name, index), entry)


def _refused(entry: Entry, where: str, partition: str, region: str) -> Iterator[Problem]:
    text = text_in(entry.value, region)
    refused = refusal(text, partition) if text is not None else None
    if refused is not None:
        yield Problem(entry.path, entry.value, f"{where} {entry.written}: {refused.reason}")
