"""The handlers under exactly the permissions schema.json declares, and under less.

Every Provider in the tests calls each handler as a session of its own role, allowed exactly
the handler's list (tests/embedded.py); tests/permissions_audit.py holds those lists to what
the whole suite saw the handlers use. Here: what a handler needs in a fresh account, and what
a permission taken away does to a request that needs it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from keyforge import embedded_kms
from keyforge.local.invoker import load_entrypoint
from keyforge.local.scoping import declared_permissions, scoped_entrypoint
from keyforge_kms_key.validation import resource_schema
from tests.embedded import REGION, Provider, client

REPLICA_REGION = "eu-west-1"
SERVICE_ROLE = "AWSServiceRoleForKeyManagementServiceMultiRegionKeys"


def without(provider: Provider, action: str, permission: str) -> Provider:
    """The provider's handlers, the `action` handler lacking `permission` (roles of their own)."""
    permissions = declared_permissions(resource_schema())
    permissions[action] = tuple(p for p in permissions[action] if p != permission)

    def sessions(role: str, actions: Sequence[str], account: str, region: str) -> Any:
        return embedded_kms.role_session(f"lacking-{role}", actions, account, region)

    provider.entrypoint = scoped_entrypoint(load_entrypoint(), permissions, sessions)
    return provider


def keys_in(kms_in: Callable[[str], Any], *regions: str) -> dict[str, int]:
    return {region: len(kms_in(region).list_keys()["Keys"]) for region in regions}


def service_role_exists() -> bool:
    roles = client("iam").list_roles(PathPrefix="/aws-service-role/")["Roles"]
    return any(role["RoleName"] == SERVICE_ROLE for role in roles)


def test_a_multi_region_create_in_a_fresh_account_works_with_the_declared_permissions(
    provider: Provider, kms_in: Callable[[str], Any]
) -> None:
    assert not service_role_exists()
    model = provider.create({"MultiRegion": True, "ReplicaRegions": [REPLICA_REGION]})
    assert service_role_exists()
    replica = kms_in(REPLICA_REGION).describe_key(KeyId=model["KeyId"])["KeyMetadata"]
    assert replica["MultiRegionConfiguration"]["MultiRegionKeyType"] == "REPLICA"


def test_without_iam_create_service_linked_role_a_multi_region_create_fails_and_leaves_nothing(
    provider: Provider, kms_in: Callable[[str], Any]
) -> None:
    lacking = without(provider, "CREATE", "iam:CreateServiceLinkedRole")
    answer = lacking.run("CREATE", {"MultiRegion": True, "ReplicaRegions": [REPLICA_REGION]})
    assert answer["status"] == "FAILED"
    assert answer["errorCode"] == "AccessDenied"
    assert "iam:CreateServiceLinkedRole" in answer["message"]
    assert SERVICE_ROLE in answer["message"]
    assert keys_in(kms_in, REGION, REPLICA_REGION) == {REGION: 0, REPLICA_REGION: 0}
    assert not service_role_exists()
    # A single-Region key needs no service-linked role.
    assert lacking.run("CREATE", {})["status"] == "SUCCESS"


def test_without_kms_create_key_replicas_cannot_be_made_and_the_key_is_given_up(
    provider: Provider, kms_in: Callable[[str], Any]
) -> None:
    """ReplicateKey needs kms:CreateKey (in the replica Region): a CREATE handler without it
    fails at CreateKey already; here UPDATE, which adds Regions, lacks it."""
    model = provider.create({"MultiRegion": True})
    lacking = without(provider, "UPDATE", "kms:CreateKey")
    desired = {**model, "ReplicaRegions": [REPLICA_REGION]}
    answer = lacking.run("UPDATE", desired, previous=model)
    assert answer["status"] == "FAILED"
    assert answer["errorCode"] == "AccessDenied"
    assert f"kms:CreateKey on resource: arn:aws:kms:{REPLICA_REGION}:" in answer["message"]
    assert keys_in(kms_in, REPLICA_REGION) == {REPLICA_REGION: 0}


def test_a_refused_description_change_changes_nothing(provider: Provider, kms: Any) -> None:
    model = provider.create({"Description": "before"})
    lacking = without(provider, "UPDATE", "kms:UpdateKeyDescription")
    answer = lacking.run("UPDATE", {**model, "Description": "after"}, previous=model)
    assert answer["status"] == "FAILED"
    assert answer["errorCode"] == "AccessDenied"
    assert "kms:UpdateKeyDescription" in answer["message"]
    assert kms.describe_key(KeyId=model["KeyId"])["KeyMetadata"]["Description"] == "before"


def test_without_iam_get_role_a_missing_role_cannot_be_named(provider: Provider) -> None:
    """IAM says which role is missing only to a handler that may ask it (iam:GetRole); without
    it the handler can only say that KMS does not see the principal."""
    missing = f"arn:aws:iam::{provider.account}:role/not-there"
    allowed = provider.run("CREATE", {"KeyUsers": [missing]})
    assert allowed["status"] == "FAILED"
    assert "does not exist" in allowed["message"]
    lacking = without(provider, "CREATE", "iam:GetRole").run("CREATE", {"KeyUsers": [missing]})
    assert lacking["status"] == "FAILED"
    assert "does not exist" not in lacking["message"]


def test_without_iam_get_role_an_update_cannot_name_a_missing_role(provider: Provider) -> None:
    model = provider.create({})
    missing = f"arn:aws:iam::{provider.account}:role/not-there"
    desired = {k: v for k, v in model.items() if k != "KeyPolicy"} | {"KeyUsers": [missing]}
    allowed = provider.run("UPDATE", desired, previous=model)
    assert allowed["status"] == "FAILED"
    assert "does not exist" in allowed["message"]
    lacking = without(provider, "UPDATE", "iam:GetRole").run("UPDATE", desired, previous=model)
    assert lacking["status"] == "FAILED"
    assert "does not exist" not in lacking["message"]
