"""The next step of a multi-Region key with imported material, from what each Region lists."""

from __future__ import annotations

from keyforge.keys.material_set import (
    Action,
    HeldMaterial,
    KeySet,
    RegionalKey,
    guidance,
    names,
    next_steps,
    step_sentence,
)

KEY = "mrk-1234"
FIRST, SECOND = "a" * 64, "b" * 64


def held(material_id: str, state: str, imported: bool = True) -> HeldMaterial:
    return HeldMaterial(material_id, state, imported)


def key(
    region: str, *materials: HeldMaterial, primary: bool = False, state: str = "Enabled"
) -> RegionalKey:
    return RegionalKey(region, primary, state, materials)


def actions(keys: KeySet) -> list[tuple[Action, str]]:
    return [(step.action, step.key.region) for step in next_steps(keys)]


def test_a_primary_without_material_comes_first() -> None:
    keys = KeySet(KEY, True, (key("us-east-1", primary=True, state="PendingImport"),))
    assert actions(keys) == [(Action.FIRST_IMPORT, "us-east-1")]
    assert step_sentence(keys, next_steps(keys)[0]) == (
        "import key material into us-east-1 (primary) first "
        f"(keyforge import-key-material {KEY} --material FILE --region us-east-1)"
    )


def test_replicas_lacking_a_permanent_material_are_named() -> None:
    keys = KeySet(
        KEY,
        True,
        (
            key("us-east-1", held(FIRST, "NON_CURRENT"), held(SECOND, "CURRENT"), primary=True),
            key("eu-west-1", held(FIRST, "NON_CURRENT"), held(SECOND, "CURRENT")),
            key("ap-southeast-2", held(FIRST, "NON_CURRENT", False), held(SECOND, "CURRENT")),
        ),
    )
    assert actions(keys) == [(Action.IMPORT, "ap-southeast-2")]


def test_pending_material_goes_to_each_replica_then_the_rotation() -> None:
    primary = key(
        "us-east-1", held(FIRST, "CURRENT"), held(SECOND, "PENDING_ROTATION"), primary=True
    )
    lacking = key("eu-west-1", held(FIRST, "CURRENT"), held(SECOND, "PENDING_ROTATION", False))
    holding = key("eu-west-1", held(FIRST, "CURRENT"), held(SECOND, "PENDING_ROTATION"))
    assert actions(KeySet(KEY, True, (primary, lacking))) == [(Action.IMPORT_NEW, "eu-west-1")]
    done = KeySet(KEY, True, (primary, holding))
    assert actions(done) == [(Action.ROTATE, "us-east-1")]
    assert guidance(KEY, done) == [
        f"{KEY}: now rotate on demand in us-east-1 (primary) "
        f"(keyforge rotate {KEY} --region us-east-1)"
    ]


def test_keys_pending_deletion_are_left_out() -> None:
    primary = key(
        "us-east-1", held(FIRST, "CURRENT"), held(SECOND, "PENDING_ROTATION"), primary=True
    )
    leaving = key("eu-west-1", state="PendingDeletion")
    assert actions(KeySet(KEY, True, (primary, leaving))) == [(Action.ROTATE, "us-east-1")]
    gone = key("us-east-1", primary=True, state="PendingReplicaDeletion")
    assert next_steps(KeySet(KEY, True, (gone, key("eu-west-1", state="PendingImport")))) == []


def test_keys_of_one_material_for_life_go_by_their_key_state() -> None:
    keys = KeySet(
        KEY,
        False,
        (key("us-east-1", primary=True), key("eu-west-1", state="PendingImport")),
    )
    assert actions(keys) == [(Action.IMPORT, "eu-west-1")]
    whole = KeySet(KEY, False, (key("us-east-1", primary=True), key("eu-west-1")))
    assert guidance(KEY, whole) == [
        f"{KEY}: every key of the multi-Region key holds its key material: "
        "us-east-1 (primary), eu-west-1 (replica)"
    ]


def test_names_join_regions_in_words() -> None:
    one, two, three = key("a-1"), key("b-2"), key("c-3")
    assert names((one,)) == "a-1 (replica)"
    assert names((one, two, three)) == "a-1 (replica), b-2 (replica) and c-3 (replica)"
