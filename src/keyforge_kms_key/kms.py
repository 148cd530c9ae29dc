"""The only module that talks to KMS: calls, pagination, and KMS errors as handler error codes."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache, lru_cache
from typing import Any, NamedTuple

import botocore.session
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    HTTPClientError,
    ParamValidationError,
)
from botocore.exceptions import (
    ConnectionError as BotoConnectionError,
)
from cloudformation_cli_python_lib.interface import HandlerErrorCode

from .keyspecs import PENDING_DELETION_STATES

# Throttling is retried inside one invocation, a few times; longer waits are CloudFormation's.
# Timeouts well inside the handler's own time limit: a KMS call that hangs ends as a read
# timeout the handler can act on, never as the process being killed in the middle of it.
TIMEOUTS = {"connect_timeout": 5, "read_timeout": 20}
CLIENT_CONFIG = Config(retries={"mode": "standard", "total_max_attempts": 3}, **TIMEOUTS)
# CreateKey has no idempotency token: a blind retry after a lost answer makes a second key, so
# botocore never retries it; the handler decides, and looks for the key first when in doubt.
CREATE_KEY_CONFIG = Config(retries={"mode": "standard", "total_max_attempts": 1}, **TIMEOUTS)

_ERROR_CODES: Mapping[str, HandlerErrorCode] = {
    "ThrottlingException": HandlerErrorCode.Throttling,
    "LimitExceededException": HandlerErrorCode.ServiceLimitExceeded,
    "NotFoundException": HandlerErrorCode.NotFound,
    "AccessDeniedException": HandlerErrorCode.AccessDenied,
    "KMSInternalException": HandlerErrorCode.ServiceInternalError,
    "DependencyTimeoutException": HandlerErrorCode.ServiceInternalError,
    "ValidationException": HandlerErrorCode.InvalidRequest,
    "KMSInvalidStateException": HandlerErrorCode.InvalidRequest,
    "MalformedPolicyDocumentException": HandlerErrorCode.InvalidRequest,
    "UnsupportedOperationException": HandlerErrorCode.InvalidRequest,
    "TagException": HandlerErrorCode.InvalidRequest,
    "DisabledException": HandlerErrorCode.InvalidRequest,
    "InvalidAliasNameException": HandlerErrorCode.InvalidRequest,
    "InvalidArnException": HandlerErrorCode.InvalidRequest,
    "AlreadyExistsException": HandlerErrorCode.AlreadyExists,
}
RETRIABLE_CODES = frozenset(
    {
        HandlerErrorCode.Throttling,
        HandlerErrorCode.ServiceInternalError,
        HandlerErrorCode.NetworkFailure,
    }
)
LIST_PAGE_SIZE = 20
LIST_PAGE_SIZE_MAX = 1000
# KMS calls one invocation makes at most, whatever the number of replicas: the handler contract
# gives an invocation 60 seconds, and cross-Region calls are slow and throttled. What is left
# goes on in the next invocation.
MAX_CALLS_PER_INVOCATION = 25


class BudgetSpent(Exception):
    """This invocation has made as many KMS calls as it may: the operation goes on in the next."""


class CallBudget:
    """The KMS calls one invocation may still make, shared by its gateways in every Region."""

    def __init__(self, limit: int = MAX_CALLS_PER_INVOCATION) -> None:
        self.limit = limit
        self.spent = 0

    @property
    def left(self) -> int:
        return self.limit - self.spent

    def take(self) -> None:
        if self.spent >= self.limit:
            raise BudgetSpent(f"{self.spent} KMS calls made in this invocation")
        self.spent += 1


class KmsError(Exception):
    """A failed KMS call, already translated for CloudFormation."""

    def __init__(
        self,
        code: HandlerErrorCode,
        message: str,
        kms_code: str | None = None,
        *,
        outcome_unknown: bool = False,
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.kms_code = kms_code
        # True when KMS may have done the work though the call failed (a lost answer, a 5xx).
        self.outcome_unknown = outcome_unknown

    @property
    def retriable(self) -> bool:
        return self.code in RETRIABLE_CODES

    @property
    def refuses_principals(self) -> bool:
        """KMS cannot see a principal of the key policy: missing, or IAM still propagating it."""
        return (
            self.kms_code == "MalformedPolicyDocumentException"
            and "invalid principal" in self.message.lower()
        )


def translate(error: Exception) -> KmsError:
    if isinstance(error, KmsError):
        return error
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        kms_code = str(details.get("Code", ""))
        message = str(details.get("Message") or kms_code)
        code = _ERROR_CODES.get(kms_code, HandlerErrorCode.GeneralServiceException)
        operation = error.operation_name
        status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
        return KmsError(
            code,
            f"KMS {operation} failed: {kms_code}: {message}",
            kms_code,
            outcome_unknown=status >= 500,
        )
    if isinstance(error, BotoConnectionError):  # failed while connecting: nothing was sent
        return KmsError(HandlerErrorCode.NetworkFailure, f"Could not reach KMS: {error}")
    if isinstance(error, HTTPClientError):
        # Sent, but no answer came back (a read timeout, a closed connection).
        return KmsError(
            HandlerErrorCode.NetworkFailure, f"No answer from KMS: {error}", outcome_unknown=True
        )
    if isinstance(error, ParamValidationError):
        return KmsError(HandlerErrorCode.InvalidRequest, str(error))
    if isinstance(error, BotoCoreError):
        return KmsError(HandlerErrorCode.GeneralServiceException, str(error))
    raise error


@contextmanager
def kms_errors() -> Iterator[None]:
    try:
        yield
    except (ClientError, BotoCoreError) as error:
        raise translate(error) from error


class KeyPage(NamedTuple):
    key_ids: list[str]
    next_marker: str | None


ClientFactory = Callable[[Config], Any]

_process_session_lock = threading.Lock()


@cache
def _process_session() -> botocore.session.Session:
    """One botocore session for the process, so its loaded data files serve every invocation.

    The runtime library makes a new boto3 session per request, and a new session reads
    botocore's endpoint, partition and service-model files again: most of a warm invocation.
    Clients made here carry the credentials of their own request, given explicitly; the
    session itself never holds any.
    """
    return botocore.session.Session()


def client_for(service: str, credentials: Any, region: str, config: Config) -> Any:
    """A botocore client of `service`, signing with one request's caller credentials.

    A client is kept for the next request that carries exactly the same credentials (the
    invocations of one stack operation do), Region and config; a request never gets a client
    made with other credentials.
    """
    return _client(
        service,
        region,
        credentials.accessKeyId,
        credentials.secretAccessKey,
        credentials.sessionToken,
        config,
    )


@lru_cache(maxsize=16)
def _client(
    service: str,
    region: str,
    access_key_id: str | None,
    secret_access_key: str | None,
    session_token: str | None,
    config: Config,
) -> Any:
    with _process_session_lock:
        return _process_session().create_client(
            service,
            region_name=region,
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            aws_session_token=session_token,
            config=config,
        )


def forget_clients() -> None:
    """Drop the clients kept for later requests (a test's event handlers live on them)."""
    _client.cache_clear()


class KmsGateway:
    """KMS operations on one key at a time, by key id. Every call raises KmsError on failure."""

    def __init__(
        self,
        new_client: ClientFactory,
        region: str = "",
        credentials: Any = None,
        budget: CallBudget | None = None,
    ):
        self._new_client = new_client
        self._client = new_client(CLIENT_CONFIG)
        self.region = region
        self._credentials = credentials
        self._regions: dict[str, KmsGateway] = {}
        self.budget = budget or CallBudget()

    @classmethod
    def for_request(
        cls, credentials: Any, region: str, budget: CallBudget | None = None
    ) -> KmsGateway:
        """A gateway acting with one request's caller credentials (accessKeyId, ...)."""

        def new_client(config: Config) -> Any:
            return client_for("kms", credentials, region, config)

        return cls(new_client, region, credentials, budget)

    def in_region(self, region: str) -> KmsGateway:
        """A gateway acting with the same credentials in another Region (a replica's)."""
        if region == self.region:
            return self
        if region not in self._regions:
            if self._credentials is None:
                raise KmsError(HandlerErrorCode.InvalidCredentials, f"No credentials for {region}.")
            self._regions[region] = type(self).for_request(self._credentials, region, self.budget)
        return self._regions[region]

    def _call(self, operation: str, *, single_attempt: bool = False, **params: Any) -> Any:
        self.budget.take()
        # client_for keeps the single-attempt client too: asking for it again costs nothing.
        client = self._new_client(CREATE_KEY_CONFIG) if single_attempt else self._client
        with kms_errors():
            return getattr(client, operation)(**params)

    def create_key(self, **params: Any) -> dict[str, Any]:
        """CreateKey, sent once: the caller decides what a failure means (see CREATE_KEY_CONFIG)."""
        metadata: dict[str, Any] = self._call("create_key", single_attempt=True, **params)[
            "KeyMetadata"
        ]
        return metadata

    def describe_key(self, key_id: str) -> dict[str, Any]:
        metadata: dict[str, Any] = self._call("describe_key", KeyId=key_id)["KeyMetadata"]
        return metadata

    def describe_live_key(self, key_id: str) -> dict[str, Any]:
        """DescribeKey, where a key pending deletion is NotFound, as CloudFormation expects."""
        metadata = self.describe_key(key_id)
        if metadata.get("KeyState") in PENDING_DELETION_STATES:
            raise KmsError(
                HandlerErrorCode.NotFound,
                f"Key {key_id} is {metadata['KeyState']}: it no longer exists for CloudFormation.",
            )
        return metadata

    def replicate_key(self, key_id: str, replica_region: str, **params: Any) -> dict[str, Any]:
        """ReplicateKey: the replica of a multi-Region primary key in `replica_region`, with
        ReplicateKey's Description, Policy, BypassPolicyLockoutSafetyCheck and Tags."""
        metadata: dict[str, Any] = self._call(
            "replicate_key", KeyId=key_id, ReplicaRegion=replica_region, **params
        )["ReplicaKeyMetadata"]
        return metadata

    def cancel_deletion(self, key_id: str) -> None:
        self._call("cancel_key_deletion", KeyId=key_id)

    def get_key_policy(self, key_id: str) -> str:
        return str(self._call("get_key_policy", KeyId=key_id, PolicyName="default")["Policy"])

    def put_key_policy(self, key_id: str, policy: str, bypass_lockout_check: bool) -> None:
        self._call(
            "put_key_policy",
            KeyId=key_id,
            PolicyName="default",
            Policy=policy,
            BypassPolicyLockoutSafetyCheck=bypass_lockout_check,
        )

    def rotation_status(self, key_id: str) -> tuple[bool, int | None]:
        response = self._call("get_key_rotation_status", KeyId=key_id)
        return bool(response.get("KeyRotationEnabled")), response.get("RotationPeriodInDays")

    def enable_rotation(self, key_id: str, period_in_days: int | None) -> None:
        params: dict[str, Any] = {"KeyId": key_id}
        if period_in_days is not None:
            params["RotationPeriodInDays"] = period_in_days
        self._call("enable_key_rotation", **params)

    def disable_rotation(self, key_id: str) -> None:
        self._call("disable_key_rotation", KeyId=key_id)

    def enable_key(self, key_id: str) -> None:
        self._call("enable_key", KeyId=key_id)

    def disable_key(self, key_id: str) -> None:
        self._call("disable_key", KeyId=key_id)

    def update_description(self, key_id: str, description: str) -> None:
        self._call("update_key_description", KeyId=key_id, Description=description)

    def list_tags(self, key_id: str) -> list[dict[str, str]]:
        tags: list[dict[str, str]] = []
        params: dict[str, Any] = {"KeyId": key_id}
        while True:
            response = self._call("list_resource_tags", **params)
            tags += [{"Key": t["TagKey"], "Value": t["TagValue"]} for t in response.get("Tags", [])]
            if not response.get("Truncated"):
                return tags
            params["Marker"] = response["NextMarker"]

    def tag(self, key_id: str, tags: Mapping[str, str]) -> None:
        kms_tags = [{"TagKey": key, "TagValue": value} for key, value in tags.items()]
        self._call("tag_resource", KeyId=key_id, Tags=kms_tags)

    def untag(self, key_id: str, keys: list[str]) -> None:
        self._call("untag_resource", KeyId=key_id, TagKeys=keys)

    def get_public_key(self, key_id: str) -> bytes:
        public_key: bytes = self._call("get_public_key", KeyId=key_id)["PublicKey"]
        return public_key

    def schedule_deletion(self, key_id: str, pending_window_in_days: int | None) -> None:
        params: dict[str, Any] = {"KeyId": key_id}
        if pending_window_in_days is not None:
            params["PendingWindowInDays"] = pending_window_in_days
        self._call("schedule_key_deletion", **params)

    def aliases_of(self, key_id: str) -> list[str]:
        names: list[str] = []
        params: dict[str, Any] = {"KeyId": key_id}
        while True:
            response = self._call("list_aliases", **params)
            names += [alias["AliasName"] for alias in response.get("Aliases", [])]
            if not response.get("Truncated"):
                return names
            params["Marker"] = response["NextMarker"]

    def create_alias(self, alias_name: str, key_id: str) -> None:
        self._call("create_alias", AliasName=alias_name, TargetKeyId=key_id)

    def delete_alias(self, alias_name: str) -> None:
        self._call("delete_alias", AliasName=alias_name)

    def list_keys(self, marker: str | None, limit: int = LIST_PAGE_SIZE) -> KeyPage:
        params: dict[str, Any] = {"Limit": limit}
        if marker:
            params["Marker"] = marker
        response = self._call("list_keys", **params)
        key_ids = [key["KeyId"] for key in response.get("Keys", [])]
        next_marker = response.get("NextMarker") if response.get("Truncated") else None
        return KeyPage(key_ids, next_marker)

    def all_key_ids(self) -> list[str]:
        """Every key id of the account in this Region, in pages as large as KMS allows."""
        key_ids: list[str] = []
        marker: str | None = None
        while True:
            page = self.list_keys(marker, limit=LIST_PAGE_SIZE_MAX)
            key_ids += page.key_ids
            if page.next_marker is None:
                return key_ids
            marker = page.next_marker
