"""The embedded KMS as the tests use it: clients in this process, and the handlers' invoker.

The fixtures that give each test an embedded KMS of its own (``kms``, ``kms_in``,
``kms_server``, ``served_kms``, ``provider``) are in tests/conftest.py; these are the
plain values and helpers the tests import.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

import botocore.session
from botocore.config import Config

from keyforge import embedded_kms
from keyforge.local.invoker import Credentials, Entrypoint, LocalInvoker, load_entrypoint
from keyforge.local.scoping import declared_permissions
from keyforge_kms_key.validation import resource_schema

ACCOUNT = "123456789012"
REGION = "us-east-1"
NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"})
_SESSION = botocore.session.Session()


@cache
def client(service: str, region: str = REGION, config: Config = NO_RETRIES) -> Any:
    """A client of the in-process embedded KMS (or of moto's IAM beside it).

    One botocore session makes them all and each is kept, for speed (moto answers whichever
    mock is active). No retries: a test sees each answer once.
    """
    return _SESSION.create_client(service, region_name=region, config=config)


def kms_client(region: str = REGION) -> Any:
    """A KMS client to look behind the code under test."""
    return client("kms", region)


def scoped_handlers() -> Entrypoint:
    """The handlers' entrypoint, each invocation with exactly its handler's declared permissions."""
    return embedded_kms.with_declared_permissions(load_entrypoint(), resource_schema())


def every_declared_permission() -> list[str]:
    """What the handlers declare, all together (what resource-role.yaml grants)."""
    declared = declared_permissions(resource_schema()).values()
    return sorted({permission for permissions in declared for permission in permissions})


def role_session(role_name: str, actions: list[str] | None = None) -> Credentials:
    """Credentials of a session of a role of the embedded account allowed `actions` (by default
    every permission the handlers declare)."""
    found = embedded_kms.role_session(
        role_name, every_declared_permission() if actions is None else actions, ACCOUNT, REGION
    )
    return Credentials(found["accessKeyId"], found["secretAccessKey"], found["sessionToken"])


def make_principals(*named_in: Any) -> list[str]:
    """Create the roles and users these values name in the embedded KMS's IAM (KMS checks them)."""
    return embedded_kms.create_principals(client("iam"), list(named_in), ACCOUNT)


def key_state(kms: Any, key_id: str) -> str:
    """The KeyState KMS reports for the key."""
    return str(kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"])


@dataclass
class Provider(LocalInvoker):
    """The handlers as CloudFormation calls them (each with the permissions schema.json declares
    for it), with a KMS client to look behind them."""

    entrypoint: Entrypoint = field(default_factory=scoped_handlers)
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
