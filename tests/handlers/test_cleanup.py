"""A failed CREATE cleans up whatever goes wrong while it does: its key never stays live."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.embedded import Provider

PROPERTIES = {"AliasName": "alias/cleaned", "EnableKeyRotation": True}


def the_only_key(kms: Any) -> dict[str, Any]:
    (key,) = kms.list_keys()["Keys"]
    metadata: dict[str, Any] = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    return metadata


def test_an_error_nobody_expects_during_cleanup_is_retried(
    provider: Provider, kms: Any, inject: Callable[..., None]
) -> None:
    inject("EnableKeyRotation", "AccessDeniedException", message="No rotation for you.")
    inject("DeleteAlias", RuntimeError("the emulator broke"))
    answer = provider.run("CREATE", PROPERTIES)
    assert (answer["status"], answer["errorCode"]) == ("FAILED", "AccessDenied")
    assert "No rotation for you." in answer["message"]
    assert the_only_key(kms)["KeyState"] == "PendingDeletion"
    assert kms.list_aliases(KeyId=the_only_key(kms)["KeyId"])["Aliases"] == []


def test_the_key_is_scheduled_for_deletion_even_when_its_alias_cannot_be_removed(
    provider: Provider, kms: Any, inject: Callable[..., None]
) -> None:
    provider.max_invocations = 30
    inject("EnableKeyRotation", "AccessDeniedException", message="No rotation for you.")
    inject("DeleteAlias", RuntimeError("the emulator broke"), times=40)
    answer = provider.run("CREATE", PROPERTIES)
    assert (answer["status"], answer["errorCode"]) == ("FAILED", "AccessDenied")
    assert "did not finish (InternalFailure): a rollback of the stack deletes" in answer["message"]
    assert "RuntimeError" not in answer["message"]
    assert the_only_key(kms)["KeyState"] == "PendingDeletion"


def test_a_refused_deletion_is_tried_again_until_it_succeeds(
    provider: Provider, kms: Any, inject: Callable[..., None]
) -> None:
    inject("EnableKeyRotation", "AccessDeniedException")
    inject("ScheduleKeyDeletion", "AccessDeniedException", times=3)
    answer = provider.run("CREATE", PROPERTIES)
    assert answer["status"] == "FAILED"
    assert the_only_key(kms)["KeyState"] == "PendingDeletion"
