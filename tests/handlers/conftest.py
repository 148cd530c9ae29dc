"""Handlers driven through the real Lambda entrypoint, against the embedded KMS."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import botocore.session
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import EndpointConnectionError

from keyforge import embedded_kms
from keyforge.local.invoker import LocalInvoker
from keyforge_kms_key import handlers
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
class Provider(LocalInvoker):
    """The handlers as CloudFormation calls them, with a KMS client to look behind them."""

    kms: Any = None

    def in_region(self, region: str) -> Provider:
        return replace(self, region=region)

    def create(self, properties: dict[str, Any]) -> dict[str, Any]:
        answer = self.run("CREATE", properties)
        assert answer["status"] == "SUCCESS", answer
        model: dict[str, Any] = answer["resourceModel"]
        return model

    def made(self, properties: dict[str, Any]) -> dict[str, Any]:
        """CREATE's invocations up to the one that answers with the new key's id."""
        token = "made"
        answer = self.invoke("CREATE", properties, token=token)
        while "KeyId" not in (answer.get("callbackContext") or {}):
            assert answer["status"] == "IN_PROGRESS", answer
            answer = self.invoke(
                "CREATE", properties, callback_context=answer["callbackContext"], token=token
            )
        return answer

    def read(self, key_id: str, **extra: Any) -> dict[str, Any]:
        return self.run("READ", {"KeyId": key_id, **extra})


_TEST_SESSION = botocore.session.Session()


def kms_client(region: str = REGION) -> Any:
    """A client to look behind the handlers; one botocore session serves them all, for speed."""
    return _TEST_SESSION.create_client("kms", region_name=region)


def make_principals(*named_in: Any) -> list[str]:
    """Create the roles and users these values name in the embedded KMS's IAM (KMS checks them)."""
    iam = _TEST_SESSION.create_client("iam", region_name=REGION)
    return embedded_kms.create_principals(iam, list(named_in), ACCOUNT)


@pytest.fixture
def kms() -> Iterator[Any]:
    with embedded_kms.mock_kms():
        embedded_kms.clear_recorded_operations()
        yield kms_client()


@pytest.fixture(autouse=True)
def no_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    """The handlers' waits between CreateKey attempts take no time in tests."""
    monkeypatch.setattr(handlers, "pause", lambda attempt: None)


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

    def for_request(cls: type[KmsGateway], credentials: Any, region: str) -> KmsGateway:
        gateway: KmsGateway = original(cls, credentials, region)
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
