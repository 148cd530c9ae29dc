"""Handler credentials as CloudFormation scopes them (pure but for the session maker it is given).

CloudFormation calls each handler with credentials that allow exactly the permissions the
resource type's schema declares for that handler (``handlers.<action>.permissions``).
``scoped_entrypoint`` does the same in front of an entrypoint: the caller credentials of every
event are replaced by those of a session of the handler's own role, so that a call the handler
makes but does not declare is refused, as it would be in an account.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from keyforge.local.invoker import Entrypoint

# (role name, actions, account, Region) -> caller credentials (accessKeyId, ...).
SessionMaker = Callable[[str, Sequence[str], str, str], Mapping[str, str]]


def declared_permissions(schema: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """Each handler's permissions, by action: {"CREATE": ("kms:CreateKey", ...), ...}."""
    handlers: Mapping[str, Any] = schema.get("handlers") or {}
    return {
        action.upper(): tuple(handler.get("permissions") or ())
        for action, handler in handlers.items()
    }


def handler_role_name(action: str) -> str:
    """The role the `action` handler's sessions belong to: keyforge-create-handler, ..."""
    return f"keyforge-{action.lower()}-handler"


def action_of_role(role_name: str) -> str | None:
    """The handler action a role of ``handler_role_name`` serves; None for any other role."""
    prefix, suffix = "keyforge-", "-handler"
    if role_name.startswith(prefix) and role_name.endswith(suffix):
        return role_name[len(prefix) : -len(suffix)].upper() or None
    return None


def scoped_entrypoint(
    entrypoint: Entrypoint,
    permissions: Mapping[str, Sequence[str]],
    sessions: SessionMaker,
) -> Entrypoint:
    """`entrypoint`, called with the credentials of the event's own handler.

    An event that carries no caller credentials, whose action declares none, or that names no
    account or Region goes through as it is: the handler must answer it as it is.
    """

    def run(event: dict[str, Any], context: Any) -> dict[str, Any]:
        action = event.get("action") if isinstance(event, dict) else None
        data = event.get("requestData") if isinstance(event, dict) else None
        account = event.get("awsAccountId") if isinstance(event, dict) else None
        region = event.get("region") if isinstance(event, dict) else None
        if (
            isinstance(action, str)
            and action in permissions
            and isinstance(data, dict)
            and isinstance(data.get("callerCredentials"), dict)
            and isinstance(account, str)
            and re.fullmatch(r"\d{12}", account)
            and isinstance(region, str)
            and re.fullmatch(r"[a-z]{2}(-[a-z]+)+-\d+", region)
        ):
            role = handler_role_name(action)
            credentials = dict(sessions(role, permissions[action], account, region))
            event = {**event, "requestData": {**data, "callerCredentials": credentials}}
        return entrypoint(event, context)

    return run
