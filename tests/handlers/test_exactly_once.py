"""Exactly one key per resource, whatever fails: a fault at every KMS call position.

Each lifecycle runs once without faults to count the HTTP requests it sends; then, for each
fault kind and each position, it runs again on a fresh embedded KMS with the fault injected at
that request (and, for transient faults, at the retries after it), re-driven as CloudFormation
does: re-invoked on IN_PROGRESS, and sent again unchanged when the process died. What counts
is what is left in KMS afterwards, not only the answer.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from types import SimpleNamespace
from typing import Any

import botocore.endpoint
import pytest
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError
from moto.core.botocore_stubber import MockRawResponse
from moto.core.models import botocore_stubber

from keyforge import embedded_kms
from keyforge_kms_key.keyspecs import CREATION_TOKEN_TAG
from tests.embedded import ACCOUNT, REGION, Provider, kms_client, make_principals

from .conftest import on_every_client


class Fault(StrEnum):
    THROTTLE = "throttle"  # refused before any work
    SERVER_ERROR = "server-error"  # 500, nothing done
    CONNECTION = "connection"  # never sent
    TIMEOUT_BEFORE = "read-timeout-before"  # sent, lost before KMS did anything
    TIMEOUT_AFTER = "read-timeout-after"  # KMS did the work, the answer was lost
    CRASH = "crash"  # KMS did the work, then the process died
    ACCESS_DENIED = "access-denied"
    UNEXPECTED = "unexpected"  # an exception no handler code expects


RETRIABLE = [f for f in Fault if f not in (Fault.ACCESS_DENIED, Fault.UNEXPECTED)]
# Three in a row outlast botocore's own retries, so the handler's callbacks take over.
REPEATED = [Fault.THROTTLE, Fault.SERVER_ERROR, Fault.CONNECTION, Fault.TIMEOUT_AFTER]


class Crash(BaseException):
    """The Lambda process dies: nothing the handler can catch."""


@dataclass
class FaultPlan:
    """Injects `kind` at the `position`-th HTTP request to KMS and the `times - 1` after it."""

    kind: Fault | None = None
    position: int = 0
    times: int = 1
    sent: int = 0
    crashed: bool = False
    faulted: str = ""  # the KMS operation the fault hit

    def before_send(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse | None:
        self.sent += 1
        if self.kind is None or not self.position <= self.sent < self.position + self.times:
            return None
        target = request.headers["X-Amz-Target"]
        target = target.decode() if isinstance(target, bytes) else target
        self.faulted = self.faulted or target.rpartition(".")[2]
        match self.kind:
            case Fault.THROTTLE:
                return _unprocessed(request, 400, "ThrottlingException")
            case Fault.SERVER_ERROR:
                return _unprocessed(request, 500, "KMSInternalException")
            case Fault.ACCESS_DENIED:
                return _unprocessed(request, 400, "AccessDeniedException")
            case Fault.CONNECTION:
                raise EndpointConnectionError(endpoint_url=request.url)
            case Fault.TIMEOUT_BEFORE:
                raise ReadTimeoutError(endpoint_url=request.url)
            case Fault.TIMEOUT_AFTER:
                botocore_stubber("before-send", request)
                raise ReadTimeoutError(endpoint_url=request.url)
            case Fault.CRASH:
                botocore_stubber("before-send", request)
                self.crashed = True
                raise Crash
            case Fault.UNEXPECTED:
                raise RuntimeError("a bug")


def _unprocessed(request: AWSPreparedRequest, status: int, code: str) -> AWSResponse:
    """An error answer for a request KMS never processed.

    botocore calls every before-send handler; moto's, which comes after this one, would
    process the request even though this answer wins. It is switched off for this request and
    on again as soon as botocore looks at the answer (`restore_kms`).
    """
    botocore_stubber.enabled = False
    body = json.dumps({"__type": code, "message": f"injected {code}"})
    headers = {"Content-Type": "application/x-amz-json-1.1"}
    return AWSResponse(request.url, status, headers, MockRawResponse(body))  # type: ignore[arg-type]


@dataclass
class Lab:
    """A fresh embedded KMS per run, the handlers wired to the fault plan."""

    plan: FaultPlan = field(default_factory=FaultPlan)
    provider: Provider = field(init=False)

    @property
    def kms(self) -> Any:
        return self.provider.kms

    def drive(
        self,
        action: str,
        properties: dict[str, Any],
        previous: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """One operation to its end, as CloudFormation drives it; the final answer."""
        token, context, model = str(uuid.uuid4()), None, properties
        for _ in range(80):
            answer = self.provider.invoke(action, model, previous, context, token=token)
            if self.plan.crashed:  # the answer never left the process: the same request again
                self.plan.crashed = False
                continue
            if answer["status"] != "IN_PROGRESS":
                return answer
            context = answer["callbackContext"]
            model = answer.get("resourceModel") or model
        raise AssertionError(f"{action} never ended")

    def all_keys(self) -> dict[str, str]:
        """Every key in KMS, whatever its state, with its state."""
        return {
            k["KeyId"]: self.kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyState"]
            for k in self.kms.list_keys()["Keys"]
        }

    def token_of(self, key_id: str) -> str | None:
        tags = self.kms.list_resource_tags(KeyId=key_id)["Tags"]
        return next((t["TagValue"] for t in tags if t["TagKey"] == CREATION_TOKEN_TAG), None)

    def live_keys(self) -> list[str]:
        return [key for key, state in self.all_keys().items() if state != "PendingDeletion"]

    def aliases(self) -> dict[str, str]:
        return {
            a["AliasName"]: a.get("TargetKeyId", "")
            for a in self.kms.list_aliases()["Aliases"]
            if not a["AliasName"].startswith("alias/aws/")
        }


def restore_kms(**_: Any) -> None:
    botocore_stubber.enabled = True


@pytest.fixture
def lab(monkeypatch: pytest.MonkeyPatch) -> Lab:
    lab = Lab()

    def prepare(client: Any) -> None:
        client.meta.events.register_first("before-send.kms", lab.plan.before_send)
        client.meta.events.register_first("needs-retry.kms", restore_kms)

    on_every_client(monkeypatch, prepare)
    # botocore's backoff between its own retries is real time; the handlers' waits are not.
    monkeypatch.setattr(botocore.endpoint, "time", SimpleNamespace(sleep=lambda _: None))
    return lab


@dataclass(frozen=True)
class Case:
    kind: Fault
    times: int

    def __str__(self) -> str:
        return f"{self.kind}x{self.times}"


CASES = [Case(kind, 1) for kind in Fault] + [Case(kind, 3) for kind in REPEATED]


def fresh_runs(lab: Lab, case: Case, requests: int) -> Iterator[int]:
    """Each fault position in turn, each on an empty embedded KMS."""
    with embedded_kms.mock_kms():
        for position in range(1, requests + 1):
            embedded_kms.forget_everything()
            make_principals(CREATED)
            lab.provider = Provider(region=REGION, account=ACCOUNT, kms=kms_client())
            lab.provider.sleep = lambda _: None
            lab.plan.kind = None
            yield position
            lab.plan.kind = None


def requests_of(lab: Lab, lifecycle: Callable[[], Any]) -> int:
    """How many HTTP requests to KMS the lifecycle's faulted step sends when nothing fails."""
    with embedded_kms.mock_kms():
        make_principals(CREATED)
        lab.provider = Provider(region=REGION, account=ACCOUNT, kms=kms_client())
        lab.provider.sleep = lambda _: None
        return int(lifecycle())


CREATED = {
    "Description": "exactly once",
    "AliasName": "alias/exactly-once",
    "EnableKeyRotation": True,
    "RotationPeriodInDays": 180,
    "Tags": [{"Key": "team", "Value": "platform"}],
    "KeyUsers": [f"arn:aws:iam::{ACCOUNT}:role/App"],
}
UPDATED = {
    "Description": "updated",
    "AliasName": "alias/renamed",
    "EnableKeyRotation": False,
    "Enabled": False,
    "Tags": [{"Key": "team", "Value": "data"}, {"Key": "cost", "Value": "42"}],
}


def assert_key_is(lab: Lab, key_id: str, expected: dict[str, Any]) -> None:
    model = lab.provider.read(key_id)["resourceModel"]
    for name, value in expected.items():
        if name == "Tags":
            assert sorted(model["Tags"], key=str) == sorted(value, key=str), (name, model)
        else:
            assert model.get(name) == value, (name, model)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_create(lab: Lab, case: Case) -> None:
    def measure() -> int:
        lab.plan.sent = 0
        assert lab.drive("CREATE", CREATED)["status"] == "SUCCESS"
        return lab.plan.sent

    expected = {k: v for k, v in CREATED.items() if k != "KeyUsers"}
    for position in fresh_runs(lab, case, requests_of(lab, measure)):
        lab.plan = _plan(lab, case, position)
        answer = lab.drive("CREATE", CREATED)
        where = f"{case} at request {position}: {answer}"
        assert all(lab.token_of(key) for key in lab.all_keys()), "every key has its token"
        if case.kind in RETRIABLE:
            assert answer["status"] == "SUCCESS", where
            key_id = answer["resourceModel"]["KeyId"]
            if case.kind is Fault.CRASH and lab.plan.faulted == "CreateKey":
                # The one window left (see the README): the process died between KMS making
                # the key and the handler answering, and CloudFormation sent the first
                # invocation again, which knows nothing of it. The key left behind carries
                # the same creation token, so it can be found.
                others = [key for key in lab.all_keys() if key != key_id]
                assert len(others) == 1, where
                assert lab.token_of(others[0]) == lab.token_of(key_id), where
            else:
                assert list(lab.all_keys()) == [key_id], where
            assert lab.aliases() == {"alias/exactly-once": key_id}, where
            assert_key_is(lab, key_id, expected)
        else:
            assert answer["status"] == "FAILED", where
            expected_code = (
                "AccessDenied" if case.kind is Fault.ACCESS_DENIED else "InternalFailure"
            )
            assert answer["errorCode"] == expected_code, where
            assert len(lab.all_keys()) <= 1 and lab.live_keys() == [], where
            assert lab.aliases() == {}, where


def runs_on_a_key(
    lab: Lab,
    case: Case,
    operate: Callable[[dict[str, Any]], dict[str, Any]],
    properties: dict[str, Any] | None = None,
) -> Iterator[tuple[dict[str, Any], dict[str, Any], str]]:
    """`operate` on a key made without faults (CREATED unless `properties` are given), with
    the fault at each position in turn."""

    def created() -> dict[str, Any]:
        lab.plan.kind = None
        model: dict[str, Any] = lab.provider.create(properties or CREATED)
        return model

    def measure() -> int:
        model = created()
        lab.plan.sent = 0
        assert operate(model)["status"] == "SUCCESS"
        return lab.plan.sent

    for position in fresh_runs(lab, case, requests_of(lab, measure)):
        model = created()
        _plan(lab, case, position)
        answer = operate(model)
        yield model, answer, f"{case} at request {position}: {answer}"


@pytest.mark.parametrize("case", CASES, ids=str)
def test_update(lab: Lab, case: Case) -> None:
    def update(model: dict[str, Any]) -> dict[str, Any]:
        return lab.drive("UPDATE", {**UPDATED, "KeyId": model["KeyId"]}, model)

    for model, answer, where in runs_on_a_key(lab, case, update):
        assert list(lab.all_keys()) == [model["KeyId"]], where
        if case.kind in RETRIABLE:
            assert answer["status"] == "SUCCESS", where
            assert lab.aliases() == {"alias/renamed": model["KeyId"]}, where
            assert_key_is(lab, model["KeyId"], UPDATED)
        else:
            assert answer["status"] == "FAILED", where
            assert lab.live_keys() == [model["KeyId"]], where
            # What the update had changed before KMS refused is put back: the key as made.
            assert lab.aliases() == {CREATED["AliasName"]: model["KeyId"]}, where
            as_made = {name: CREATED[name] for name in ("Description", "Tags", "KeyUsers")}
            assert_key_is(lab, model["KeyId"], {**as_made, "EnableKeyRotation": True})
            assert_key_is(lab, model["KeyId"], {"Enabled": True})


@pytest.mark.parametrize("case", CASES, ids=str)
def test_delete(lab: Lab, case: Case) -> None:
    for model, answer, where in runs_on_a_key(lab, case, lambda model: lab.drive("DELETE", model)):
        assert list(lab.all_keys()) == [model["KeyId"]], where
        if case.kind in RETRIABLE:
            # A DELETE sent again after its process died finds its own work done: NotFound,
            # which CloudFormation takes as deleted.
            gone = answer["status"] == "SUCCESS" or (
                case.kind is Fault.CRASH and answer.get("errorCode") == "NotFound"
            )
            assert gone, where
            assert lab.all_keys() == {model["KeyId"]: "PendingDeletion"}, where
            assert lab.aliases() == {}, where
        else:
            assert answer["status"] == "FAILED", where


def _plan(lab: Lab, case: Case, position: int) -> FaultPlan:
    plan = lab.plan
    plan.kind, plan.position, plan.times, plan.sent, plan.crashed, plan.faulted = (
        case.kind,
        position,
        case.times,
        0,
        False,
        "",
    )
    return plan
