"""IAM enforced by the embedded KMS, and the permissions KMS requires without a call of their own.

Written from the KMS documentation, not from the code under test:
- developer guide, "Authorizing AWS KMS to synchronize multi-Region keys": KMS creates the
  service-linked role AWSServiceRoleForKeyManagementServiceMultiRegionKeys (trusting
  mrk.kms.amazonaws.com) when a multi-Region key is created and the role does not exist yet;
  users who create multi-Region keys need iam:CreateServiceLinkedRole;
- API reference, CreateKey, "Required permissions": kms:CreateKey, and kms:TagResource to use
  the Tags parameter;
- API reference, ReplicateKey, "Required permissions": kms:ReplicateKey on the primary key,
  kms:CreateKey in an IAM policy in the replica Region, and kms:TagResource there to use Tags.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from keyforge import embedded_kms
from tests.embedded import ACCOUNT, NO_RETRIES, REGION, client

OTHER = "eu-west-1"
SERVICE_ROLE = "AWSServiceRoleForKeyManagementServiceMultiRegionKeys"
TAGS = [{"TagKey": "team", "TagValue": "data"}]


def kms_as(role: str, actions: list[str], region: str = REGION, policy: str | None = None) -> Any:
    """A KMS client signing as a session of `role`, allowed `actions` (or given `policy`)."""
    credentials = embedded_kms.role_session(role, actions, ACCOUNT, REGION)
    if policy is not None:
        iam = client("iam")
        for name in iam.list_role_policies(RoleName=role)["PolicyNames"]:
            iam.delete_role_policy(RoleName=role, PolicyName=name)
        iam.put_role_policy(RoleName=role, PolicyName="custom", PolicyDocument=policy)
    return session_client("kms", credentials, region)


def session_client(service: str, credentials: dict[str, str], region: str = REGION) -> Any:
    import boto3

    return boto3.client(
        service,
        region_name=region,
        aws_access_key_id=credentials["accessKeyId"],
        aws_secret_access_key=credentials["secretAccessKey"],
        aws_session_token=credentials["sessionToken"],
        config=NO_RETRIES,
    )


def denied(call: Callable[..., Any], **params: Any) -> str:
    """The AccessDenied message of a refused call; fails the test when the call succeeds."""
    with pytest.raises(ClientError) as raised:
        call(**params)
    error = raised.value.response["Error"]
    assert error["Code"] in ("AccessDeniedException", "AccessDenied"), error
    return str(error["Message"])


def key_count(kms: Any) -> int:
    return len(kms.list_keys()["Keys"])


def service_role_exists() -> bool:
    roles = client("iam").list_roles(PathPrefix="/aws-service-role/")["Roles"]
    return any(role["RoleName"] == SERVICE_ROLE for role in roles)


def test_an_action_the_policy_does_not_allow_is_refused_and_changes_nothing(
    kms_in: Callable[[str], Any],
) -> None:
    root = kms_in(REGION)
    key_id = root.create_key()["KeyMetadata"]["KeyId"]
    reader = kms_as("reader", ["kms:DescribeKey"])
    assert reader.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"
    message = denied(reader.schedule_key_deletion, KeyId=key_id, PendingWindowInDays=7)
    assert "assumed-role/reader/" in message
    assert "kms:ScheduleKeyDeletion" in message
    assert root.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"


def test_an_explicit_deny_wins_over_an_allow(kms_in: Callable[[str], Any]) -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "kms:*", "Resource": "*"},
            {"Effect": "Deny", "Action": "kms:CreateKey", "Resource": "*"},
        ],
    }
    caller = kms_as("denied-creator", [], policy=json.dumps(policy))
    assert caller.list_keys()["Keys"] == []
    assert "kms:CreateKey" in denied(caller.create_key)
    assert key_count(kms_in(REGION)) == 0


def test_iam_is_enforced_too(kms: Any) -> None:
    credentials = embedded_kms.role_session("no-iam", ["kms:DescribeKey"], ACCOUNT, REGION)
    iam = session_client("iam", credentials)
    assert "iam:GetRole" in denied(iam.get_role, RoleName="no-iam")


def test_a_signature_made_with_another_secret_is_refused(kms: Any) -> None:
    credentials = embedded_kms.role_session("signer", ["kms:ListKeys"], ACCOUNT, REGION)
    forged = session_client("kms", {**credentials, "secretAccessKey": "not-the-secret"})
    with pytest.raises(ClientError) as raised:
        forged.list_keys()
    assert raised.value.response["Error"]["Code"] == "InvalidSignatureException"


def test_an_access_key_nobody_issued_is_refused(kms: Any) -> None:
    unknown = {"accessKeyId": "ASIAUNKNOWN", "secretAccessKey": "s", "sessionToken": "t"}
    with pytest.raises(ClientError) as raised:
        session_client("kms", unknown).list_keys()
    assert raised.value.response["Error"]["Code"] == "UnrecognizedClientException"


def test_the_first_multi_region_key_needs_iam_create_service_linked_role(
    kms_in: Callable[[str], Any],
) -> None:
    caller = kms_as("creator", ["kms:CreateKey"])
    assert not service_role_exists()

    message = denied(caller.create_key, MultiRegion=True)
    assert "iam:CreateServiceLinkedRole" in message
    assert SERVICE_ROLE in message
    assert key_count(kms_in(REGION)) == 0
    assert not service_role_exists()

    assert caller.create_key()["KeyMetadata"]["MultiRegion"] is False  # single-Region: no role


def test_kms_creates_its_service_linked_role_with_the_first_multi_region_key(
    kms_in: Callable[[str], Any],
) -> None:
    allowed = kms_as("mrk-creator", ["kms:CreateKey", "iam:CreateServiceLinkedRole"])
    allowed.create_key(MultiRegion=True)
    role = client("iam").get_role(RoleName=SERVICE_ROLE)["Role"]
    assert role["Path"] == "/aws-service-role/mrk.kms.amazonaws.com/"
    trusted = role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]
    assert trusted == {"Service": "mrk.kms.amazonaws.com"}

    # Once the role exists, creating another multi-Region key does not need the permission.
    later = kms_as("later-creator", ["kms:CreateKey"])
    later.create_key(MultiRegion=True)
    assert key_count(kms_in(REGION)) == 2


def test_create_key_with_tags_needs_kms_tag_resource(kms_in: Callable[[str], Any]) -> None:
    caller = kms_as("untagging-creator", ["kms:CreateKey"])
    assert "kms:TagResource" in denied(caller.create_key, Tags=TAGS)
    assert key_count(kms_in(REGION)) == 0


def test_replicate_key_needs_kms_create_key_in_the_replica_region(
    kms_in: Callable[[str], Any],
) -> None:
    key_id = kms_in(REGION).create_key(MultiRegion=True)["KeyMetadata"]["KeyId"]
    replicator = kms_as("replicator", ["kms:ReplicateKey"])
    message = denied(replicator.replicate_key, KeyId=key_id, ReplicaRegion=OTHER)
    assert f"kms:CreateKey on resource: arn:aws:kms:{OTHER}:{ACCOUNT}:key/*" in message
    assert key_count(kms_in(OTHER)) == 0


def test_create_key_allowed_only_in_the_primary_region_does_not_replicate(
    kms_in: Callable[[str], Any],
) -> None:
    key_id = kms_in(REGION).create_key(MultiRegion=True)["KeyMetadata"]["KeyId"]
    here_only = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "kms:ReplicateKey", "Resource": "*"},
            {
                "Effect": "Allow",
                "Action": "kms:CreateKey",
                "Resource": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/*",
            },
        ],
    }
    replicator = kms_as("home-replicator", [], policy=json.dumps(here_only))
    assert "kms:CreateKey" in denied(replicator.replicate_key, KeyId=key_id, ReplicaRegion=OTHER)
    assert key_count(kms_in(OTHER)) == 0


def test_replicate_key_with_tags_needs_kms_tag_resource(kms_in: Callable[[str], Any]) -> None:
    key_id = kms_in(REGION).create_key(MultiRegion=True)["KeyMetadata"]["KeyId"]
    replicator = kms_as("plain-replicator", ["kms:ReplicateKey", "kms:CreateKey"])
    message = denied(replicator.replicate_key, KeyId=key_id, ReplicaRegion=OTHER, Tags=TAGS)
    assert "kms:TagResource" in message
    assert key_count(kms_in(OTHER)) == 0
    replicator.replicate_key(KeyId=key_id, ReplicaRegion=OTHER)
    assert key_count(kms_in(OTHER)) == 1


def test_decisions_about_callers_other_than_root_are_counted(kms_in: Callable[[str], Any]) -> None:
    embedded_kms.clear_decisions()
    reader = kms_as("counted", ["kms:ListKeys"])
    reader.list_keys()
    reader.list_keys()
    denied(reader.create_key)
    kms_in(REGION).list_keys()  # root: not counted
    counted = {
        (decision.role_name, decision.action, decision.allowed): count
        for decision, count in embedded_kms.decisions().items()
    }
    assert counted == {("counted", "kms:ListKeys", True): 2, ("counted", "kms:CreateKey", False): 1}


def test_a_role_session_follows_the_policy_it_is_asked_for(kms: Any) -> None:
    first = kms_as("changing", ["kms:ListKeys"])
    first.list_keys()
    second = kms_as("changing", ["kms:CreateKey"])
    second.create_key()
    assert "kms:ListKeys" in denied(second.list_keys)
