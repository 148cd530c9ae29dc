"""Run the provider's handlers as CloudFormation does: through the Lambda entrypoint.

Builds the HandlerRequest event CloudFormation sends, calls the entrypoint
named in `.rpdk-config` in-process, and re-invokes while a handler answers
IN_PROGRESS, passing back the callback context and the returned model.
"""

from __future__ import annotations

import copy
import importlib
import json
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from keyforge_kms_key.keyspecs import RESOURCE_TYPE

ACTIONS = ("CREATE", "READ", "UPDATE", "DELETE", "LIST")
DEFAULT_ENTRYPOINT = "keyforge_kms_key.handlers.resource"
Entrypoint = Callable[[dict[str, Any], Any], dict[str, Any]]


def load_entrypoint(dotted: str = DEFAULT_ENTRYPOINT) -> Entrypoint:
    module_name, _, attribute = dotted.rpartition(".")
    entrypoint: Entrypoint = getattr(importlib.import_module(module_name), attribute)
    return entrypoint


def entrypoint_from_rpdk_config(project: Path) -> str:
    config = json.loads((project / ".rpdk-config").read_text())
    return str(config["entrypoint"])


@dataclass(frozen=True)
class Credentials:
    access_key_id: str = "testing"
    secret_access_key: str = "testing"
    session_token: str | None = "testing"

    def as_caller_credentials(self) -> dict[str, str]:
        credentials = {"accessKeyId": self.access_key_id, "secretAccessKey": self.secret_access_key}
        if self.session_token:
            credentials["sessionToken"] = self.session_token
        return credentials


def handler_request(
    action: str,
    properties: dict[str, Any] | None,
    *,
    previous: dict[str, Any] | None = None,
    callback_context: dict[str, Any] | None = None,
    next_token: str | None = None,
    region: str = "us-east-1",
    account: str = "123456789012",
    credentials: Credentials | None = None,
    logical_id: str = "Key",
    token: str | None = None,
    stack_tags: dict[str, str] | None = None,
    previous_stack_tags: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The event CloudFormation sends to a resource type's Lambda function.

    `token` (the bearer token, the handlers' clientRequestToken) is the same for every
    invocation of one operation; a new one is drawn when none is given.
    """
    return {
        "action": action,
        "awsAccountId": account,
        "bearerToken": token or str(uuid.uuid4()),
        "region": region,
        "resourceType": RESOURCE_TYPE,
        "resourceTypeVersion": "00000001",
        "callbackContext": callback_context,
        "nextToken": next_token,
        "stackId": f"arn:aws:cloudformation:{region}:{account}:stack/keyforge/1",
        "requestData": {
            "callerCredentials": (credentials or Credentials()).as_caller_credentials(),
            "resourceProperties": copy.deepcopy(properties),
            "previousResourceProperties": copy.deepcopy(previous),
            "logicalResourceId": logical_id,
            "systemTags": None,
            "stackTags": copy.deepcopy(stack_tags),
            "previousStackTags": copy.deepcopy(previous_stack_tags),
            "previousSystemTags": None,
            "typeConfiguration": None,
        },
    }


@dataclass
class LocalInvoker:
    """Calls the handlers in-process, re-invoking on IN_PROGRESS as CloudFormation does."""

    entrypoint: Entrypoint = field(default_factory=load_entrypoint)
    region: str = "us-east-1"
    account: str = "123456789012"
    credentials: Credentials = field(default_factory=Credentials)
    max_invocations: int = 20
    max_delay_seconds: float = 10.0
    sleep: Callable[[float], None] = time.sleep
    stack_tags: dict[str, str] | None = None  # the stack's tags, sent with every request
    previous_stack_tags: dict[str, str] | None = None

    def invoke(
        self,
        action: str,
        properties: dict[str, Any] | None,
        previous: dict[str, Any] | None = None,
        callback_context: dict[str, Any] | None = None,
        next_token: str | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        """One invocation: exactly one ProgressEvent."""
        event = handler_request(
            action,
            properties,
            previous=previous,
            callback_context=callback_context,
            next_token=next_token,
            region=self.region,
            account=self.account,
            credentials=self.credentials,
            token=token,
            stack_tags=self.stack_tags,
            previous_stack_tags=self.previous_stack_tags,
        )
        return self.entrypoint(event, None)

    def progress(
        self,
        action: str,
        properties: dict[str, Any] | None,
        previous: dict[str, Any] | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Every ProgressEvent of one operation, until it is no longer IN_PROGRESS."""
        context: dict[str, Any] | None = None
        token = str(uuid.uuid4())
        for _ in range(self.max_invocations):
            answer = self.invoke(action, properties, previous, context, token=token)
            yield answer
            if answer.get("status") != "IN_PROGRESS":
                return
            context = answer.get("callbackContext")
            properties = answer.get("resourceModel", properties)
            self.sleep(min(float(answer.get("callbackDelaySeconds", 0)), self.max_delay_seconds))
        raise RuntimeError(f"{action} still IN_PROGRESS after {self.max_invocations} invocations")

    def run(
        self,
        action: str,
        properties: dict[str, Any] | None,
        previous: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The final ProgressEvent of one operation."""
        return list(self.progress(action, properties, previous))[-1]
