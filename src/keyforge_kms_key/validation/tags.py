"""Tags that fit on a key: how many, each key once, none in a namespace KMS or Keyforge keeps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..keyspecs import CREATION_TOKEN_TAG, Limits
from .problems import Problem
from .values import describe

KEYFORGE_MAX_TAGS = Limits.MAX_TAGS - 1  # one is the creation token's


def tag_problems(properties: Mapping[str, Any], limit: int = KEYFORGE_MAX_TAGS) -> list[Problem]:
    """Too many tags, a tag key twice, or a key in a reserved namespace.

    A Keyforge::KMS::Key has room for one tag less than KMS allows: the creation token's.
    """
    tags = properties.get("Tags")
    if not isinstance(tags, list):
        return []
    problems: list[Problem] = []
    if len(tags) > limit:
        why = f"KMS allows at most {Limits.MAX_TAGS} per key"
        if limit < Limits.MAX_TAGS:
            why += f", and Keyforge keeps one of them for the tag {CREATION_TOKEN_TAG}"
        problems.append(Problem(("Tags",), len(tags), f"Tags has {len(tags)} tags: {why}."))
    seen: dict[str, int] = {}
    for index, tag in enumerate(tags):
        key = tag.get("Key") if isinstance(tag, Mapping) else None
        if not isinstance(key, str):
            continue
        if key in seen:
            problems.append(
                Problem(
                    ("Tags", index, "Key"),
                    key,
                    f"Tags[{index}].Key {describe(key)} is also the key of Tags[{seen[key]}]: "
                    "each tag key may appear once.",
                )
            )
        else:
            seen[key] = index
        if key == CREATION_TOKEN_TAG and limit < Limits.MAX_TAGS:
            problems.append(
                Problem(
                    ("Tags", index, "Key"),
                    key,
                    f"Tags[{index}].Key {describe(key)} is the tag Keyforge puts on every key "
                    "it makes: choose another key.",
                )
            )
        if key.lower().startswith(Limits.RESERVED_TAG_PREFIX):
            problems.append(
                Problem(
                    ("Tags", index, "Key"),
                    key,
                    f"Tags[{index}].Key {describe(key)} begins with "
                    f"{Limits.RESERVED_TAG_PREFIX}, which is reserved for AWS: "
                    "choose a key without that prefix.",
                )
            )
    return problems


def stack_tag_problems(
    properties: Mapping[str, Any], stack_tags: Mapping[str, str]
) -> list[Problem]:
    """The stack's tags and the resource's together must fit on the key."""
    tags = properties.get("Tags")
    own = (
        {tag.get("Key") for tag in tags if isinstance(tag, Mapping)}
        if isinstance(tags, list)
        else set()
    )
    count = len(own | set(stack_tags))
    if not stack_tags or count <= KEYFORGE_MAX_TAGS:
        return []
    return [
        Problem(
            ("Tags",),
            count,
            f"The stack's tags and Tags make {count} tags on the key: KMS allows at most "
            f"{Limits.MAX_TAGS} per key, and Keyforge keeps one of them for the tag "
            f"{CREATION_TOKEN_TAG}. Tag the stack or the resource with fewer.",
        )
    ]
