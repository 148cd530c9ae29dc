"""Values as the checks read them: plain JSON, described short, written out or not."""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping, Sequence
from typing import Any

from ..policy_grammar import is_literal

_DESCRIBE_LIMIT = 60


def describe(value: object) -> str:
    """A short rendering of a value for a message (long text is cut, never echoed whole)."""
    plain = json_value(value)
    text = plain if isinstance(plain, str) else json.dumps(plain, sort_keys=True)
    return text if len(text) <= _DESCRIBE_LIMIT else text[: _DESCRIBE_LIMIT - 3] + "..."


def json_value(value: object) -> Any:
    """A value as the plain JSON CloudFormation makes of it.

    A YAML template gives more than JSON has: an unquoted ``2012-10-17`` is a
    date, a key can be a number or a boolean. CloudFormation reads them as their
    text, and so does this. A value that is plain JSON already is returned as it
    is (the same object), so this costs little on ordinary templates.
    """
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        items = [(_json_key(key), json_value(item)) for key, item in value.items()]
        unchanged = all(
            new_key is key and new_item is item
            for (new_key, new_item), (key, item) in zip(items, value.items(), strict=True)
        )
        return value if unchanged and isinstance(value, dict) else dict(items)
    if isinstance(value, list | tuple):
        converted = [json_value(item) for item in value]
        unchanged = all(new is old for new, old in zip(converted, value, strict=True))
        return value if unchanged and isinstance(value, list) else converted
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _json_key(key: object) -> str:
    if isinstance(key, str):
        return key
    plain = json_value(key)
    return plain if isinstance(plain, str) else json.dumps(plain)


def literal_value(properties: Mapping[str, Any], name: str) -> Any:
    """A property's value when it is written out; None when absent or an intrinsic function."""
    value = properties.get(name)
    return value if is_literal(value) else None


def is_set(properties: Mapping[str, Any], name: str) -> bool:
    """Whether the property is given (written out or not)."""
    return properties.get(name) is not None


def or_list(items: Sequence[str]) -> str:
    """ "A", "A or B", "A, B or C"."""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]
