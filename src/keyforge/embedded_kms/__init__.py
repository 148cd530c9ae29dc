"""An embedded KMS: moto's KMS made as strict as KMS, with the key specs and operations it lacks.

- ``install()`` patches moto (idempotent); ``mock_kms()`` is ``install()`` plus ``mock_aws()``;
  ``forget_everything()`` empties it again.
- ``EmbeddedKmsServer`` serves it over HTTP on 127.0.0.1 (STS too, as moto does).
- ``create_principals()`` makes the IAM roles and users that key policies name: the embedded
  KMS, like KMS, refuses a key policy whose principals do not exist.
- ``recorded_operations()`` lists the KMS operations answered, for tests that count calls.
- ``clock`` is the time import tokens and imported key material expire by; a test moves it on.
"""

from __future__ import annotations

from . import clock
from .patches import FAKE_CREDENTIALS, forget_everything, install, is_installed, mock_kms
from .principals import create_principals
from .record import clear_recorded_operations, recorded_operations
from .server import EmbeddedKmsServer

__all__ = [
    "FAKE_CREDENTIALS",
    "EmbeddedKmsServer",
    "clear_recorded_operations",
    "clock",
    "create_principals",
    "forget_everything",
    "install",
    "is_installed",
    "mock_kms",
    "recorded_operations",
]
