"""W9106: confidential-looking text in a key's Description, Tags or alias name."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import keyforge_lint._base as base
from keyforge_kms_key.keyspecs import AWS_ALIAS_TYPE, KEY_RESOURCE_TYPES
from keyforge_kms_key.validation import Problem, PropertyPath
from keyforge_lint._resolve import Variant
from keyforge_lint._text import confidential_kinds, names_a_secret

_WHY = (
    "key descriptions, tags and alias names appear in plain text in CloudTrail logs; "
    "keep secrets and personal data out of them."
)


class ConfidentialText(base.VariantRule):
    id = "W9106"
    shortdesc = "No confidential text in Description, Tags or alias names"
    description = (
        "Warns on Description, Tags and alias names that look like they hold secrets "
        "(access key ids, tokens, passwords, private key blocks) or e-mail addresses: "
        "KMS writes them in plain text to CloudTrail."
    )
    source_url = "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html"
    resource_types = (*KEY_RESOURCE_TYPES, AWS_ALIAS_TYPE)

    def problems(self, variant: Variant, resource_type: str) -> Iterator[Problem]:
        properties = variant.properties
        for name in ("Description", "AliasName"):
            yield from _text_problems((name,), properties.get(name))
        tags = properties.get("Tags")
        if not isinstance(tags, list):
            return
        for index, tag in enumerate(tags):
            if not isinstance(tag, Mapping):
                continue
            key, value = tag.get("Key"), tag.get("Value")
            yield from _text_problems(("Tags", index, "Key"), key)
            if isinstance(key, str) and names_a_secret(key) and isinstance(value, str) and value:
                yield Problem(
                    ("Tags", index, "Value"),
                    None,
                    f"Tags[{index}] has the key {key!r}, so its value looks like a secret: " + _WHY,
                )
            else:
                yield from _text_problems(("Tags", index, "Value"), value)


def _text_problems(path: PropertyPath, text: Any) -> Iterator[Problem]:
    if not isinstance(text, str):
        return
    where = path[0] if len(path) == 1 else f"Tags[{path[1]}].{path[2]}"
    for kind in confidential_kinds(text):
        yield Problem(path, None, f"{where} contains what looks like {kind}: {_WHY}")
