"""Handlers driven through the real Lambda entrypoint, against the embedded KMS."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import EndpointConnectionError

from keyforge import embedded_kms
from keyforge_kms_key import handlers
from keyforge_kms_key.kms import KmsGateway

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


@pytest.fixture(autouse=True)
def no_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    """The handlers' waits between CreateKey attempts take no time in tests."""
    monkeypatch.setattr(handlers, "pause", lambda attempt: None)


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

    on_every_client(
        monkeypatch, lambda client: client.meta.events.register("before-call.kms", before_call)
    )

    def add(operation: str, code: str | Exception, times: int = 1, message: str = "") -> None:
        failure: InjectedError = code if isinstance(code, Exception) else (code, message or code)
        failures.setdefault(operation, []).extend([failure] * times)

    return add


def on_every_client(monkeypatch: pytest.MonkeyPatch, prepare: Callable[[Any], None]) -> None:
    """Call `prepare` on every KMS client a handler's gateway makes."""
    original = KmsGateway.for_request.__func__  # type: ignore[attr-defined]
    # Clients are kept from one request to the next: each is prepared once.
    ready: list[Any] = []

    def once(client: Any) -> Any:
        if not any(client is seen for seen in ready):
            prepare(client)
            ready.append(client)
        return client

    def for_request(
        cls: type[KmsGateway], credentials: Any, region: str, budget: Any = None
    ) -> KmsGateway:
        gateway: KmsGateway = original(cls, credentials, region, budget)
        new_client = gateway._new_client

        def prepared(config: Any) -> Any:
            return once(new_client(config))

        gateway._new_client = prepared
        once(gateway._client)
        return gateway

    monkeypatch.setattr(KmsGateway, "for_request", classmethod(for_request))


def network_error() -> Exception:
    return EndpointConnectionError(endpoint_url="https://kms.us-east-1.amazonaws.com")


def assert_deletion_in_days(metadata: dict[str, Any], days: int) -> None:
    """KeyMetadata tells the deletion date of a key pending deletion."""
    remaining = metadata["DeletionDate"] - datetime.now(UTC)
    assert timedelta(days=days - 1) < remaining <= timedelta(days=days), remaining
