"""An embedded KMS: moto's KMS made as strict as KMS, with the key specs and operations it lacks.

- ``install()`` patches moto (idempotent); ``mock_kms()`` is ``install()`` plus ``mock_aws()``;
  ``forget_everything()`` empties it again.
- ``EmbeddedKmsServer`` serves it over HTTP on 127.0.0.1 (STS too, as moto does).
- ``create_principals()`` makes the IAM roles and users that key policies name: the embedded
  KMS, like KMS, refuses a key policy whose principals do not exist.
- ``recorded_operations()`` lists the KMS operations answered, for tests that count calls.
- IAM is enforced on every request (``access``): the fake credentials are the account root's,
  any other caller needs a policy allowing the action; ``decisions()`` counts what was asked.
- ``with_declared_permissions()`` calls a resource type's handlers as CloudFormation does, each
  with a role session allowed exactly what the schema declares for it (``role_session``).
- ``clock`` is the time import tokens and imported key material expire by; a test moves it on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from keyforge.local.invoker import Entrypoint
from keyforge.local.scoping import declared_permissions, scoped_entrypoint

from . import clock
from .access import Decision, clear_decisions, decisions
from .patches import FAKE_CREDENTIALS, forget_everything, install, is_installed, mock_kms
from .principals import create_principals
from .record import clear_recorded_operations, recorded_operations
from .server import EmbeddedKmsServer
from .sessions import role_session


def with_declared_permissions(entrypoint: Entrypoint, schema: Mapping[str, Any]) -> Entrypoint:
    """`entrypoint` called as CloudFormation calls a resource type's handlers: each invocation
    with credentials of a role session of this embedded account allowed exactly the permissions
    `schema` declares for its handler."""
    return scoped_entrypoint(entrypoint, declared_permissions(schema), role_session)


__all__ = [
    "FAKE_CREDENTIALS",
    "Decision",
    "EmbeddedKmsServer",
    "clear_decisions",
    "clear_recorded_operations",
    "clock",
    "create_principals",
    "decisions",
    "forget_everything",
    "install",
    "is_installed",
    "mock_kms",
    "recorded_operations",
    "role_session",
    "with_declared_permissions",
]
