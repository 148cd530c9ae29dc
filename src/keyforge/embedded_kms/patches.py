"""What ``install()`` changes in moto, and the in-process mock."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import moto.kms.models
import moto.kms.urls
from moto import mock_aws
from moto.core.base_backend import BackendDict

from . import access
from .keys import private_key_factory
from .responses import EmbeddedKmsResponse

# The account root's: allowed everything (access.py).
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": access.ROOT_ACCESS_KEY_ID,
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_SECURITY_TOKEN": "testing",
}
_KMS_PATH = "{0}/$"
_lock = threading.Lock()


def install() -> None:
    """Make moto's KMS behave like KMS (idempotent).

    Requests to moto's KMS endpoint are answered by EmbeddedKmsResponse, in process and in
    server mode alike, moto's key factory makes the right key material for every key spec, and
    every request moto answers is checked against the caller's IAM policies (access.py).
    """
    with _lock:
        access.install()
        handler = moto.kms.urls.url_paths.get(_KMS_PATH)
        if getattr(handler, "__self__", None) is not EmbeddedKmsResponse:
            moto.kms.urls.url_paths[_KMS_PATH] = EmbeddedKmsResponse.dispatch
        factory = getattr(moto.kms.models, "generate_private_key")  # noqa: B009
        if not hasattr(factory, "wraps_moto"):
            setattr(moto.kms.models, "generate_private_key", private_key_factory(factory))  # noqa: B010


def is_installed() -> bool:
    handler = moto.kms.urls.url_paths.get(_KMS_PATH)
    factory = getattr(moto.kms.models, "generate_private_key")  # noqa: B009
    return (
        getattr(handler, "__self__", None) is EmbeddedKmsResponse
        and hasattr(factory, "wraps_moto")
        and access.is_installed()
    )


@contextmanager
def mock_kms() -> Iterator[None]:
    """``install()`` and moto's ``mock_aws()``, with fake credentials in the environment."""
    install()
    saved = {name: os.environ.get(name) for name in FAKE_CREDENTIALS}
    try:
        with mock_aws():
            # After mock_aws() has put its own fake keys in the environment: these are root's.
            os.environ.update(FAKE_CREDENTIALS)
            yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def forget_everything() -> None:
    """Inside ``mock_kms()``: every key, alias, IAM role and user gone, as in a new mock.

    Much cheaper than a new mock, which also patches the HTTP layer again.
    """
    BackendDict.reset()
