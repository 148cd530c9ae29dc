"""The embedded KMS over HTTP: a moto server on 127.0.0.1, for clients that need an endpoint."""

from __future__ import annotations

import urllib.request
from types import TracebackType
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

from .patches import FAKE_CREDENTIALS, install


class EmbeddedKmsServer:
    """A moto server (KMS made strict, STS and the rest as moto has them) on a free local port.

    All servers of a process share moto's state: ``reset()`` clears it for every one of them.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host = host
        self._port = port
        self._server: ThreadedMotoServer | None = None
        self._address: tuple[str, int] | None = None

    @property
    def endpoint_url(self) -> str:
        if self._address is None:
            raise RuntimeError("The embedded KMS server is not running; call start() first.")
        host, port = self._address
        return f"http://{host}:{port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> EmbeddedKmsServer:
        if self._server is None:
            install()
            server = ThreadedMotoServer(ip_address=self._host, port=self._port, verbose=False)
            server.start()
            self._server = server
            self._address = server.get_host_and_port()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
            self._address = None

    def reset(self) -> None:
        """Forget every key, alias and other resource (POST /moto-api/reset)."""
        request = urllib.request.Request(f"{self.endpoint_url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()

    def client(self, service_name: str = "kms", region_name: str = "us-east-1") -> Any:
        """A boto3 client for this server, with fake credentials and no retries."""
        return boto3.client(
            service_name,
            region_name=region_name,
            endpoint_url=self.endpoint_url,
            aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            aws_session_token=FAKE_CREDENTIALS["AWS_SESSION_TOKEN"],
            config=botocore_config(),
        )

    def __enter__(self) -> EmbeddedKmsServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def botocore_config() -> Any:
    from botocore.config import Config

    return Config(retries={"max_attempts": 1, "mode": "standard"})
