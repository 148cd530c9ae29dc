"""A local stand-in for the Lambda Invoke API that runs a handler entrypoint in-process.

`cfn test` invokes the resource type's function through the Lambda API
(`POST /2015-03-31/functions/{name}/invocations`), which `sam local start-lambda`
normally answers from a Docker container. This endpoint answers it from the same
process instead: the request body is the event, the entrypoint's JSON answer is
the response body, and an exception is answered 200 with the header
`X-Amz-Function-Error: Unhandled`, as Lambda does.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

from keyforge.local.invoker import Entrypoint

LOG = logging.getLogger(__name__)
DEFAULT_FUNCTION_NAME = "TypeFunction"
INVOKE_PATH = re.compile(r"^/2015-03-31/functions/(?P<name>[^/?]+)/invocations(?:\?.*)?$")
Recorder = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class InvocationContext:
    """The parts of a Lambda context object a handler may read."""

    function_name: str
    timeout_seconds: float
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    started: float = field(default_factory=time.monotonic)
    memory_limit_in_mb: int = 256
    function_version: str = "$LATEST"

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        elapsed = time.monotonic() - self.started
        return max(0, int((self.timeout_seconds - elapsed) * 1000))


def outcome(event: Any, answer: Any) -> dict[str, Any]:
    """What an invocation did, for the endpoint's log and record: action, status, error.

    For a hook, the action is the invocation point and the status the hook status.
    """
    action = None
    if isinstance(event, dict):
        action = event.get("action") or event.get("actionInvocationPoint")
    if not isinstance(answer, dict):
        return {"action": action, "status": "NOT_A_PROGRESS_EVENT"}
    summary = {"action": action, "status": answer.get("status") or answer.get("hookStatus")}
    summary.update({name: answer[name] for name in ("errorCode", "message") if answer.get(name)})
    return summary


class _InvokeServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        entrypoint: Entrypoint,
        function_name: str,
        timeout_seconds: float,
        record: Recorder | None,
    ) -> None:
        super().__init__(address, _InvokeRequestHandler)
        self.entrypoint = entrypoint
        self.function_name = function_name
        self.timeout_seconds = timeout_seconds
        self.invocations = 0
        self._record = record
        self._lock = threading.Lock()

    def counted(self) -> None:
        with self._lock:
            self.invocations += 1

    def recorded(self, what: dict[str, Any]) -> None:
        LOG.info("%s", " ".join(str(value) for value in what.values()))
        if self._record is not None:
            with self._lock:
                self._record(what)


class _InvokeRequestHandler(BaseHTTPRequestHandler):
    server: _InvokeServer
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        match = INVOKE_PATH.match(self.path)
        if match is None:
            self._error(HTTPStatus.NOT_FOUND, "UnknownOperationException", f"No route {self.path}")
            return
        name = match["name"]
        if name != self.server.function_name:
            self._error(
                HTTPStatus.NOT_FOUND,
                "ResourceNotFoundException",
                f"Function not found: {name} (this endpoint serves {self.server.function_name})",
            )
            return
        try:
            event = json.loads(body or b"{}")
        except ValueError as error:
            self._error(
                HTTPStatus.BAD_REQUEST,
                "InvalidRequestContentException",
                f"Could not parse request body into json: {error}",
            )
            return
        self.server.counted()
        context = InvocationContext(name, self.server.timeout_seconds)
        try:
            result = self.server.entrypoint(event, context)
            answer = json.dumps(result).encode()
        except Exception as error:  # a function error is an answer, not a server failure
            LOG.exception("Function %s raised %s", name, type(error).__name__)
            unhandled = {
                "errorMessage": str(error),
                "errorType": type(error).__name__,
                "stackTrace": traceback.format_exception(error),
            }
            failure = f"{type(error).__name__}: {error}"
            self.server.recorded({**outcome(event, {}), "status": "Unhandled", "message": failure})
            self._send(HTTPStatus.OK, json.dumps(unhandled).encode(), function_error="Unhandled")
            return
        self.server.recorded(outcome(event, result))
        self._send(HTTPStatus.OK, answer)

    def _error(self, status: HTTPStatus, error_type: str, message: str) -> None:
        body = json.dumps({"Type": "User", "message": message}).encode()
        self._send(status, body, error_type=error_type)

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        *,
        function_error: str | None = None,
        error_type: str | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Amzn-RequestId", str(uuid.uuid4()))
        self.send_header("X-Amz-Executed-Version", "$LATEST")
        if function_error:
            self.send_header("X-Amz-Function-Error", function_error)
        if error_type:
            self.send_header("X-Amzn-ErrorType", error_type)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        LOG.debug("%s " + format, self.address_string(), *args)


class LambdaEndpoint:
    """Serves the Lambda Invoke API for one function on a loopback port (free unless given)."""

    def __init__(
        self,
        entrypoint: Entrypoint,
        function_name: str = DEFAULT_FUNCTION_NAME,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        timeout_seconds: float = 900.0,
        record: Recorder | None = None,
    ) -> None:
        """`record` is called with `outcome(...)` of every invocation, one at a time."""
        self._server = _InvokeServer(
            (host, port), entrypoint, function_name, timeout_seconds, record
        )
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def invocations(self) -> int:
        return self._server.invocations

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever, name="lambda-endpoint", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
