"""The contract input sets say what they mean: valid creates and updates, refused invalid models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from keyforge import embedded_kms
from keyforge.contract.project import InputSet, find_input_sets
from keyforge_kms_key.principals import parse, principals_named_in
from keyforge_kms_key.validation import validate
from tests.embedded import Provider

PROJECT = Path(__file__).resolve().parents[2]
SETS = find_input_sets(PROJECT / "inputs")
IMMUTABLE = ("KeySpec", "KeyUsage", "Origin", "MultiRegion")
KINDS = {
    1: ("RSA_2048", "ENCRYPT_DECRYPT"),
    2: ("ECC_NIST_P521", "SIGN_VERIFY"),
    3: ("ECC_NIST_P256", "KEY_AGREEMENT"),
    4: ("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"),
    5: ("HMAC_256", "GENERATE_VERIFY_MAC"),
    6: ("ML_KEM_768", "ENCAPSULATE_DECAPSULATE"),
    7: ("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"),
}


def load(input_set: InputSet, kind: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(input_set.files[kind].read_text())
    return document


def test_one_set_per_key_kind() -> None:
    assert {found.number: sorted(found.files) for found in SETS} == {
        number: ["create", "invalid", "update"] for number in KINDS
    }
    for found in SETS:
        create = load(found, "create")
        assert (create["KeySpec"], create["KeyUsage"]) == KINDS[found.number]
        assert create["AliasName"].startswith("alias/keyforge/contract/")
        assert create["Tags"]


@pytest.mark.parametrize("input_set", SETS, ids=lambda found: found.label)
def test_create_and_update_are_valid_and_the_update_keeps_what_cannot_change(
    input_set: InputSet,
) -> None:
    create, update = load(input_set, "create"), load(input_set, "update")

    assert validate(create, "us-east-1") == []
    assert validate({**create, **update}, "us-east-1") == []
    assert {name: update.get(name) for name in IMMUTABLE} == {
        name: create.get(name) for name in IMMUTABLE
    }
    assert update != create


@pytest.mark.parametrize("input_set", SETS, ids=lambda found: found.label)
def test_the_invalid_model_is_refused(input_set: InputSet, provider: Provider) -> None:
    answer = provider.run("CREATE", load(input_set, "invalid"))

    assert answer["status"] == "FAILED"
    assert answer["errorCode"] == "InvalidRequest"
    assert embedded_kms.recorded_operations().count("CreateKey") == 0


def test_the_principals_the_models_name_can_all_be_created_in_the_test_account() -> None:
    """The runner creates them before each pass: the embedded KMS refuses missing ones."""
    documents = [json.loads((PROJECT / "overrides.json").read_text())]
    documents += [json.loads(path.read_text()) for found in SETS for path in found.files.values()]
    principals = [parse(text) for text in principals_named_in(documents)]
    assert principals, "the models name roles and users"
    assert {principal.account for principal in principals} == {Provider.account}
    by_name: dict[tuple[str, str | None], set[str]] = {}
    for principal in principals:
        by_name.setdefault((principal.kind.value, principal.name), set()).add(principal.text)
    assert [arns for arns in by_name.values() if len(arns) > 1] == [], "one ARN for each name"
