"""The only module that talks to IAM: whether the roles and users a key policy names exist.

The handlers ask only after KMS has refused a key policy for its principals, so a
deploy whose policy KMS accepts makes no IAM call. IAM's answer is cheap and
settles the common case at once: a role or user that does not exist (misspelt,
or not created yet) fails the request with its name, instead of a wait that
cannot succeed. When IAM says they all exist, or cannot say (no permission, a
principal of another account), the refusal is IAM still propagating them to
KMS, and the handlers try again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from .kms import client_for
from .principals import Principal, PrincipalKind

CLIENT_CONFIG = Config(
    retries={"mode": "standard", "total_max_attempts": 2}, connect_timeout=5, read_timeout=10
)
_NOT_FOUND = "NoSuchEntity"


class IamGateway:
    """GetRole and GetUser by name. Nothing here raises: what IAM cannot say is None."""

    def __init__(self, client: Any):
        self._client = client

    @classmethod
    def for_request(cls, credentials: Any, region: str) -> IamGateway:
        """A gateway acting with one request's caller credentials (accessKeyId, ...)."""
        return cls(client_for("iam", credentials, region, CLIENT_CONFIG))

    def _call(self, operation: str, **params: Any) -> dict[str, Any] | None:
        """The answer; None when the entity does not exist. Other failures raise."""
        try:
            answer: dict[str, Any] = getattr(self._client, operation)(**params)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == _NOT_FOUND:
                return None
            raise
        return answer

    def exists(self, principal: Principal) -> bool | None:
        """Whether the role or user exists under exactly this ARN; None when IAM cannot say."""
        try:
            if principal.kind is PrincipalKind.ROLE:
                found = self._call("get_role", RoleName=principal.name)
                entity = found["Role"] if found else None
            else:
                found = self._call("get_user", UserName=principal.name)
                entity = found["User"] if found else None
        except (ClientError, BotoCoreError):
            return None  # no permission, throttled, unreachable: not a reason to give up
        return entity is not None and entity.get("Arn") == principal.text

    def missing(self, principals: Iterable[Principal]) -> list[Principal]:
        """The principals IAM says do not exist (a role found under another path among them)."""
        return [principal for principal in principals if self.exists(principal) is False]
