"""Nothing secret in any log at any level; each KMS call signed with its own request's keys."""

from __future__ import annotations

import base64
import logging
from typing import Any

import pytest

from keyforge import embedded_kms
from keyforge.embedded_kms.access import ROOT_ACCESS_KEY_ID
from keyforge.local.invoker import Credentials, load_entrypoint
from keyforge.local.scoping import declared_permissions, handler_role_name
from keyforge_kms_key import kms
from keyforge_kms_key.validation import resource_schema
from tests.embedded import ACCOUNT, REGION, Provider, role_session

from .conftest import on_every_client

DESCRIPTION = "description-value-6c1f"
TAG_VALUE = "tag-value-9e2a"
ALIAS = "alias/alias-value-41bd"
POLICY_SID = "policy-sid-77d0"


@pytest.fixture
def unscoped(provider: Provider) -> Provider:
    """The handlers called with the credentials each test sets, not their handler role's."""
    provider.entrypoint = load_entrypoint()
    return provider


def _everything_logged(records: list[logging.LogRecord]) -> str:
    handler = logging.Handler()
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    return "\n".join(handler.format(record) for record in records)


def test_a_debug_capture_of_a_whole_lifecycle_holds_no_value_or_credential(
    provider: Provider, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # the root logger, as a function's log level setting does
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": POLICY_SID,
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ],
    }
    model = provider.create(
        {
            "KeySpec": "ECC_NIST_P256",
            "KeyUsage": "SIGN_VERIFY",
            "Description": DESCRIPTION,
            "Tags": [{"Key": "k", "Value": TAG_VALUE}],
            "AliasName": ALIAS,
            "KeyPolicy": policy,
        }
    )
    public_key = model["PublicKey"]
    provider.read(model["KeyId"])
    updated = {
        **model,
        "Description": DESCRIPTION + "-2",
        "Tags": [{"Key": "k2", "Value": TAG_VALUE}],
    }
    assert provider.run("UPDATE", updated, previous=model)["status"] == "SUCCESS"
    provider.invoke("CREATE", {"Description": None, "Tags": [{"Key": TAG_VALUE, "Value": 5}]})
    assert provider.run("DELETE", updated)["status"] == "SUCCESS"

    logged = _everything_logged(caplog.records)
    assert "CREATE made key" in logged, "the handlers still say what they do"
    der = base64.b64decode(public_key)
    secrets = [DESCRIPTION, TAG_VALUE, ALIAS, POLICY_SID, public_key[:40], der.hex()[:40]]
    for action, permissions in declared_permissions(resource_schema()).items():
        role = handler_role_name(action)
        secrets += embedded_kms.role_session(role, permissions, ACCOUNT, REGION).values()
    assert [secret for secret in secrets if secret in logged] == []


def test_each_kms_call_carries_its_own_requests_access_key(
    unscoped: Provider, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = unscoped
    signed_with: list[str] = []

    def record(request: Any, **_: Any) -> None:
        authorization = request.headers["Authorization"]
        text = authorization.decode() if isinstance(authorization, bytes) else authorization
        signed_with.append(text.split("Credential=", 1)[1].split("/", 1)[0])

    on_every_client(monkeypatch, lambda c: c.meta.events.register("before-send.kms", record))
    first, second = role_session("first-caller"), role_session("second-caller")
    provider.credentials = first
    model = provider.create({})
    made_by_first = len(signed_with)
    provider.credentials = second
    provider.read(model["KeyId"])
    provider.credentials = first
    provider.read(model["KeyId"])
    reads = len(signed_with) - made_by_first
    assert signed_with[:made_by_first] == [first.access_key_id] * made_by_first
    assert signed_with[made_by_first:] == (
        [second.access_key_id] * (reads // 2) + [first.access_key_id] * (reads // 2)
    )


def test_a_kept_client_serves_only_the_very_same_credentials(
    unscoped: Provider, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same access key id, another session token: another client, which sends its own token.

    The account root's access key id, which the embedded KMS lets through whatever the secret.
    """
    provider = unscoped
    tokens: list[str] = []
    made = 0
    session = kms._process_session()
    create_client = session.create_client

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal made
        made += 1
        return create_client(*args, **kwargs)

    monkeypatch.setattr(session, "create_client", counted)
    on_every_client(
        monkeypatch,
        lambda c: c.meta.events.register(
            "before-send.kms",
            lambda request, **_: tokens.append(request.headers["X-Amz-Security-Token"].decode()),
        ),
    )
    first = Credentials(ROOT_ACCESS_KEY_ID, "secret-one", "token-one")
    second = Credentials(ROOT_ACCESS_KEY_ID, "secret-two", "token-two")
    provider.credentials = first
    key_id = provider.create({})["KeyId"]
    provider.read(key_id)
    made_by_first = made
    provider.read(key_id)
    assert made == made_by_first  # the same credentials again: the kept client
    first_calls = len(tokens)
    provider.credentials = second
    provider.read(key_id)

    assert made > made_by_first
    assert set(tokens[:first_calls]) == {"token-one"}
    assert set(tokens[first_calls:]) == {"token-two"}
