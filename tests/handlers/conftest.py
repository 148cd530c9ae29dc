"""Handlers driven through the real Lambda entrypoint, against the embedded KMS."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import EndpointConnectionError

from keyforge import embedded_kms
from keyforge.provider import LocalProvider
from keyforge_kms_key.kms import KmsGateway

ACCOUNT = "123456789012"
REGION = "us-east-1"
WRITE_OPERATIONS = frozenset(
    {
        "CreateKey",
        "CreateAlias",
        "DeleteAlias",
        "UpdateAlias",
        "DisableKey",
        "EnableKey",
        "EnableKeyRotation",
        "DisableKeyRotation",
        "PutKeyPolicy",
        "TagResource",
        "UntagResource",
        "UpdateKeyDescription",
        "ScheduleKeyDeletion",
    }
)


@dataclass
class Provider(LocalProvider):
    """The handlers as CloudFormation calls them, with a KMS client to look behind them."""

    kms: Any = None

    def in_region(self, region: str) -> Provider:
        return replace(self, region=region)

    def create(self, properties: dict[str, Any]) -> dict[str, Any]:
        answer = self.run("CREATE", properties)
        assert answer["status"] == "SUCCESS", answer
        model: dict[str, Any] = answer["resourceModel"]
        return model

    def read(self, key_id: str, **extra: Any) -> dict[str, Any]:
        return self.run("READ", {"KeyId": key_id, **extra})


@pytest.fixture
def kms() -> Iterator[Any]:
    with embedded_kms.mock_kms():
        embedded_kms.clear_recorded_operations()
        yield boto3.client("kms", region_name=REGION)


@pytest.fixture
def provider(kms: Any) -> Provider:
    return Provider(region=REGION, account=ACCOUNT, kms=kms, sleep=lambda _: None)


@pytest.fixture
def operations() -> Callable[[], list[str]]:
    """The KMS operations made since the last call (and since the test began)."""

    def since_last() -> list[str]:
        made = list(embedded_kms.recorded_operations())
        embedded_kms.clear_recorded_operations()
        return made

    embedded_kms.clear_recorded_operations()
    return since_last


InjectedError = tuple[str, str] | Exception


@pytest.fixture
def inject(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Make KMS operations fail: inject("CreateAlias", "ThrottlingException", times=1)."""
    failures: dict[str, list[InjectedError]] = {}

    def before_call(model: Any, **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        pending = failures.get(model.name)
        if not pending:
            return None
        failure = pending.pop(0)
        if isinstance(failure, Exception):
            raise failure
        code, message = failure
        status = 500 if code in ("KMSInternalException", "DependencyTimeoutException") else 400
        response = AWSResponse("https://kms.invalid", status, {}, None)
        return response, {
            "Error": {"Code": code, "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": status, "MaxAttemptsReached": True},
        }

    original = KmsGateway.from_session.__func__  # type: ignore[attr-defined]

    def from_session(cls: type[KmsGateway], session: Any, region: str) -> KmsGateway:
        gateway: KmsGateway = original(cls, session, region)
        gateway._client.meta.events.register("before-call.kms", before_call)
        return gateway

    monkeypatch.setattr(KmsGateway, "from_session", classmethod(from_session))

    def add(operation: str, code: str | Exception, times: int = 1, message: str = "") -> None:
        failure: InjectedError = code if isinstance(code, Exception) else (code, message or code)
        failures.setdefault(operation, []).extend([failure] * times)

    return add


def network_error() -> Exception:
    return EndpointConnectionError(endpoint_url="https://kms.us-east-1.amazonaws.com")


def assert_deletion_in_days(metadata: dict[str, Any], days: int) -> None:
    """KeyMetadata tells the deletion date of a key pending deletion."""
    remaining = metadata["DeletionDate"] - datetime.now(UTC)
    assert timedelta(days=days - 1) < remaining <= timedelta(days=days), remaining
