"""The only module that talks to KMS: calls, pagination, and KMS errors as handler error codes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ParamValidationError,
)
from botocore.exceptions import (
    ConnectionError as BotoConnectionError,
)
from cloudformation_cli_python_lib.interface import HandlerErrorCode

# Throttling is retried inside one invocation, a few times; longer waits are CloudFormation's.
CLIENT_CONFIG = Config(retries={"mode": "standard", "total_max_attempts": 3})

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
GONE_STATES = frozenset({"PendingDeletion", "PendingReplicaDeletion"})
LIST_PAGE_SIZE = 20


class KmsError(Exception):
    """A failed KMS call, already translated for CloudFormation."""

    def __init__(self, code: HandlerErrorCode, message: str, kms_code: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.kms_code = kms_code

    @property
    def retriable(self) -> bool:
        return self.code in RETRIABLE_CODES


def translate(error: Exception) -> KmsError:
    if isinstance(error, KmsError):
        return error
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        kms_code = str(details.get("Code", ""))
        message = str(details.get("Message") or kms_code)
        code = _ERROR_CODES.get(kms_code, HandlerErrorCode.GeneralServiceException)
        operation = error.operation_name
        return KmsError(code, f"KMS {operation} failed: {kms_code}: {message}", kms_code)
    if isinstance(error, BotoConnectionError):
        return KmsError(HandlerErrorCode.NetworkFailure, f"Could not reach KMS: {error}")
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


@dataclass(frozen=True)
class KeyPage:
    key_ids: list[str]
    next_marker: str | None


class KmsGateway:
    """KMS operations on one key at a time, by key id. Every call raises KmsError on failure."""

    def __init__(self, client: Any):
        self._client = client

    @classmethod
    def from_session(cls, session: Any, region: str) -> KmsGateway:
        return cls(session.client("kms", region_name=region, config=CLIENT_CONFIG))

    def _call(self, operation: str, **params: Any) -> dict[str, Any]:
        with kms_errors():
            response: dict[str, Any] = getattr(self._client, operation)(**params)
        return response

    def create_key(self, **params: Any) -> dict[str, Any]:
        metadata: dict[str, Any] = self._call("create_key", **params)["KeyMetadata"]
        return metadata

    def describe_key(self, key_id: str) -> dict[str, Any]:
        metadata: dict[str, Any] = self._call("describe_key", KeyId=key_id)["KeyMetadata"]
        return metadata

    def describe_live_key(self, key_id: str) -> dict[str, Any]:
        """DescribeKey, where a key pending deletion is NotFound, as CloudFormation expects."""
        metadata = self.describe_key(key_id)
        if metadata.get("KeyState") in GONE_STATES:
            raise KmsError(
                HandlerErrorCode.NotFound,
                f"Key {key_id} is {metadata['KeyState']}: it no longer exists for CloudFormation.",
            )
        return metadata

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
