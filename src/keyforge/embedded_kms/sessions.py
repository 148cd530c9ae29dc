"""Role sessions of the embedded account (reads and writes moto's IAM and STS state).

``role_session`` gives credentials of a session of a role whose only policy allows exactly the
actions asked for: what CloudFormation hands a resource type's handler, scoped to the
permissions the handler declares. The role is made (or its policy put back) when it is missing,
as after ``forget_everything()`` or a server reset; a session is reused while STS still knows it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence

from moto.iam.exceptions import NotFoundException
from moto.iam.models import IAMBackend, iam_backends
from moto.sts.models import AssumedRole, sts_backends
from moto.utilities.utils import get_partition

POLICY_NAME = "declared-permissions"
# Who assumes a resource type's execution role: CloudFormation's resource handlers.
TRUST_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "resources.cloudformation.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)
SESSION_SECONDS = 3600
_lock = threading.Lock()
_sessions: dict[tuple[str, str, str, str], AssumedRole] = {}


def policy_allowing(actions: Sequence[str]) -> str:
    """An identity policy that allows exactly these actions on every resource."""
    statement = {"Effect": "Allow", "Action": sorted(set(actions)), "Resource": "*"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def role_session(
    role_name: str, actions: Sequence[str], account: str, region: str
) -> dict[str, str]:
    """Credentials (accessKeyId, secretAccessKey, sessionToken) of a session of `role_name`,
    allowed exactly `actions`, in the partition of `region`."""
    partition = get_partition(region)
    policy = policy_allowing(actions) if actions else ""
    iam = iam_backends[account][partition]
    sts = sts_backends[account][partition]
    key = (account, partition, role_name, policy)
    with _lock:
        session = _sessions.get(key)
        if session is None or not _still_valid(session, sts.assumed_roles, iam, role_name, policy):
            try:
                role = iam.get_role(role_name)
            except NotFoundException:
                role = iam.create_role(
                    role_name, TRUST_POLICY, "/", None, "", [], str(SESSION_SECONDS)
                )
            for name in list(role.policies):
                role.delete_policy(name)
            if policy:
                iam.put_role_policy(role_name, POLICY_NAME, policy)
            session = sts.assume_role(
                region_name=region,
                role_session_name=role_name,
                role_arn=role.arn,
                policy="",
                duration=SESSION_SECONDS,
                external_id="",
            )
            _sessions[key] = session
    return {
        "accessKeyId": session.access_key_id,
        "secretAccessKey": session.secret_access_key,
        "sessionToken": session.session_token,
    }


def _still_valid(
    session: AssumedRole, assumed: list[AssumedRole], iam: IAMBackend, role_name: str, policy: str
) -> bool:
    """STS still knows the session, and its role still has exactly the policy it was made with."""
    if not any(known is session for known in assumed):
        return False
    try:
        role = iam.get_role(role_name)
    except NotFoundException:
        return False
    wanted = {POLICY_NAME: policy} if policy else {}
    return dict(role.policies) == wanted
