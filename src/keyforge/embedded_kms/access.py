"""IAM as the embedded account enforces it: who may call what, on every request (reads and
writes moto's IAM and STS state).

moto can evaluate a caller's IAM policies (``moto.iam.access_control``), but only once a count
of unchecked requests has run out. ``install()`` puts ``authorize`` in place of that switch, so
that every request moto answers, KMS, IAM and STS alike, in-process or in server mode, is
checked:

- the account root's access key (``ROOT_ACCESS_KEY_ID``, the one in ``FAKE_CREDENTIALS``, which
  tests, the demo and contract runs set things up with) may do anything, as an account's root
  user may;
- any other caller must hold an IAM user's access key or an STS role session, sign the request
  with it, and have a policy that allows the action (moto's evaluation: Action and NotAction,
  Resource, an explicit Deny over any Allow); otherwise the answer is AccessDenied naming the
  caller and the action, and nothing is done;
- each decision about a caller other than root is counted (``decisions()``), so that tests can
  hold what the handlers call to what they declare; with ``KEYFORGE_IAM_DECISIONS`` set to a
  file, a process appends its decisions there when it ends (``save_decisions``), so that those
  of child processes (a contract run's stand-in, the demo) are counted too.

KMS also requires permissions that none of the caller's calls names. ``require`` checks one of
those for the request being answered, with the same evaluation; the operations that need one
call it (see responses.py, CreateKey and ReplicateKey).
"""

from __future__ import annotations

import atexit
import fcntl
import json
import logging
import os
import threading
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from moto.core.authorization import ActionAuthenticatorMixin
from moto.core.exceptions import (
    AccessDeniedError,
    InvalidClientTokenIdError,
    SignatureDoesNotMatchError,
)
from moto.iam.access_control import (
    CreateAccessKeyFailure,
    IAMPolicy,
    PermissionResult,
    create_access_key,
)
from moto.utilities.utils import get_partition

from .errors import AccessDeniedException, InvalidSignatureException, UnrecognizedClientException

ROOT_ACCESS_KEY_ID = "testing"
DECISIONS_FILE_VARIABLE = "KEYFORGE_IAM_DECISIONS"
_lock = threading.Lock()
# What tests and the demo look at (``decisions()``, ``clear_decisions()``), and apart from it
# what the process has not saved yet, which clearing the first never loses.
_decisions: Counter[Decision] = Counter()
_unsaved: Counter[Decision] = Counter()


@dataclass(frozen=True)
class Decision:
    """One caller asked for one action: allowed or not."""

    caller: str  # the caller's ARN: a user, or a role session (sts::...:assumed-role/Role/session)
    action: str  # "kms:CreateKey"
    allowed: bool

    @property
    def role_name(self) -> str | None:
        """The role of a role session; None for a user."""
        kind, _, rest = self.caller.rpartition(":")[2].partition("/")
        return rest.split("/")[0] if kind == "assumed-role" else None


def decisions() -> Counter[Decision]:
    """Every decision since the last ``clear_decisions()``, with how often it was made."""
    with _lock:
        return Counter(_decisions)


def clear_decisions() -> None:
    with _lock:
        _decisions.clear()


def save_decisions(path: str | Path, counted: Counter[Decision] | None = None) -> None:
    """Append decisions to `path` (JSON lines, under a lock: processes save at once): by default
    every decision this process made and has not saved yet, which are then forgotten."""
    with _lock:
        if counted is None:
            counted = Counter(_unsaved)
            _unsaved.clear()
    lines = [json.dumps({**asdict(decision), "count": n}) + "\n" for decision, n in counted.items()]
    if lines:
        with open(path, "a") as file:
            fcntl.flock(file, fcntl.LOCK_EX)
            file.write("".join(lines))


def load_decisions(path: str | Path) -> Counter[Decision]:
    """What ``save_decisions`` appended to `path`, by any number of processes."""
    found: Counter[Decision] = Counter()
    if Path(path).is_file():
        for line in Path(path).read_text().splitlines():
            fields = json.loads(line)
            count = fields.pop("count")
            found[Decision(**fields)] += count
    return found


def _save_at_exit() -> None:
    path = os.environ.get(DECISIONS_FILE_VARIABLE)
    if path:
        save_decisions(path)


def _count(caller: str, action: str, allowed: bool) -> None:
    decision = Decision(caller, action, allowed)
    with _lock:
        _decisions[decision] += 1
        _unsaved[decision] += 1


def access_key_id(headers: Any) -> str | None:
    """The access key id a request was signed with (SigV4 ``Credential=KEY/date/...``)."""
    authorization = str(headers.get("Authorization") or "")
    credential = authorization.partition("Credential=")[2]
    return credential.partition("/")[0] or None


def authorize(response: Any, iam_request_cls: type, resource: str = "*") -> None:
    """In place of ``ActionAuthenticatorMixin._authenticate_and_authorize_action``."""
    if access_key_id(response.headers) == ROOT_ACCESS_KEY_ID:
        return
    if response.headers.get("X-Amz-Target") in ActionAuthenticatorMixin.PUBLIC_OPERATIONS:
        return
    path = response.raw_path
    query = response.uri.partition("?")[2]
    try:
        request = iam_request_cls(
            account_id=response.current_account,
            method=response.method,
            path=f"{path}?{query}" if query else path,
            data=response.data,
            body=response.raw_body,
            headers=response.headers,
            action=response._get_action(),
        )
        request.check_signature()
    except (InvalidClientTokenIdError, SignatureDoesNotMatchError) as error:
        if getattr(response, "service_name", None) != "kms":
            raise
        # KMS, a JSON service, answers these as other JSON services do.
        if isinstance(error, InvalidClientTokenIdError):
            raise UnrecognizedClientException(
                "The security token included in the request is invalid."
            ) from None
        raise InvalidSignatureException(
            "The request signature we calculated does not match the signature you provided."
        ) from None
    caller = request._access_key.arn
    try:
        request.check_action_permitted(resource)
    except AccessDeniedError:
        _count(caller, request._action, False)
        if request._service == "kms":
            raise _denied(caller, request._action, None) from None
        raise
    _count(caller, request._action, True)


def caller_arn(response: Any) -> str | None:
    """The ARN of the user or role session that signed the request; None for root (or none)."""
    key_id = access_key_id(response.headers)
    if key_id is None or key_id == ROOT_ACCESS_KEY_ID:
        return None
    partition = get_partition(response.region)
    try:
        found = create_access_key(response.current_account, partition, key_id, response.headers)
    except CreateAccessKeyFailure:
        return None
    return str(found.arn)


def require(response: Any, action: str, resource: str) -> None:
    """Refuse the request being answered unless its caller may also do `action` on `resource`.

    For permissions KMS requires without a call that names them. Root may; so may a request
    that reached the embedded KMS without a signature moto can attribute (none does once
    ``authorize`` is installed).
    """
    key_id = access_key_id(response.headers)
    if key_id is None or key_id == ROOT_ACCESS_KEY_ID:
        return
    region = resource.split(":")[3] or response.region
    access_key = create_access_key(
        account_id=response.current_account,
        partition=get_partition(region),
        access_key_id=key_id,
        headers=response.headers,
    )
    results = [
        IAMPolicy(policy).is_action_permitted(action, resource)
        for policy in access_key.collect_policies()
    ]
    allowed = PermissionResult.PERMITTED in results and PermissionResult.DENIED not in results
    _count(access_key.arn, action, allowed)
    if not allowed:
        raise _denied(access_key.arn, action, resource)


def _denied(caller: str, action: str, resource: str | None) -> AccessDeniedException:
    on = f" on resource: {resource}" if resource else ""
    return AccessDeniedException(
        f"User: {caller} is not authorized to perform: {action}{on} because no "
        f"identity-based policy allows the {action} action"
    )


def install() -> None:
    """Every request moto answers is checked by ``authorize`` (idempotent)."""
    # At DEBUG it logs each request's body and signed headers: policies, tags, credentials.
    logging.getLogger("moto.iam.access_control").setLevel(logging.INFO)
    if not is_installed():
        atexit.register(_save_at_exit)
    ActionAuthenticatorMixin._authenticate_and_authorize_action = authorize  # type: ignore[method-assign,assignment]


def is_installed() -> bool:
    return ActionAuthenticatorMixin._authenticate_and_authorize_action is authorize
