"""Lint and the handler refuse a key for the same reasons.

The handler's CREATE refuses a model exactly when ``validate()`` returns
problems; here every (KeySpec, KeyUsage) pair, every rotation setting and
every origin, in a Region outside China and in one inside, is linted and
compared with ``validate()``: the same keys are flagged, with the same messages.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from keyforge_kms_key.keyspecs import KEY_SPECS, KEY_USAGES
from keyforge_kms_key.validation import validate
from tests.lint.conftest import lint_text

REGIONS = ("us-east-1", "cn-north-1")
Properties = dict[str, Any]


def _pairs() -> Iterator[Properties]:
    for spec, usage in itertools.product(KEY_SPECS, KEY_USAGES):
        yield {"KeySpec": spec, "KeyUsage": usage}
    for usage in KEY_USAGES:
        yield {"KeyUsage": usage}
    for spec in KEY_SPECS:
        yield {"KeySpec": spec}


def _rotation_and_origin() -> Iterator[Properties]:
    settings = itertools.product(
        KEY_SPECS, (None, True, False), (None, 90, 365), (None, "AWS_KMS", "EXTERNAL")
    )
    for spec, rotation, period, origin in settings:
        properties: Properties = {"KeySpec": spec, "KeyUsage": str(KEY_SPECS[spec].usages[0])}
        for name, value in (
            ("EnableKeyRotation", rotation),
            ("RotationPeriodInDays", period),
            ("Origin", origin),
        ):
            if value is not None:
                properties[name] = value
        yield properties


def _lint_errors(keys: Mapping[str, Properties], region: str) -> dict[str, set[str]]:
    resources = {
        name: {"Type": "Keyforge::KMS::Key", "Properties": properties}
        for name, properties in keys.items()
    }
    found: dict[str, set[str]] = defaultdict(set)
    for finding in lint_text(json.dumps({"Resources": resources}), [region]):
        if finding.rule.startswith("E"):
            found[finding.resource].add(finding.message)
    return found


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize(
    "cases", [_pairs, _rotation_and_origin], ids=["key-spec-and-usage", "rotation-and-origin"]
)
def test_lint_flags_exactly_what_the_handler_refuses(cases: Any, region: str) -> None:
    keys = {f"Key{index}": properties for index, properties in enumerate(cases())}
    flagged = _lint_errors(keys, region)
    refused = 0
    for name, properties in keys.items():
        expected = {problem.message for problem in validate(properties, region)}
        assert flagged.get(name, set()) == expected, (name, properties)
        refused += bool(expected)
    assert 0 < refused < len(keys)


def test_the_pairs_cover_the_whole_catalogue() -> None:
    pairs = [p for p in _pairs() if "KeySpec" in p and "KeyUsage" in p]
    assert len(pairs) == 20 * 5
    valid = [p for p in pairs if not validate(p)]
    assert len(valid) == sum(len(info.usages) for info in KEY_SPECS.values())
