"""The AWS a contract run talks to: an embedded KMS (which answers STS too) and a Lambda endpoint.

Run as `python -m keyforge.contract.standin --entrypoint package.module.resource`. It
starts the embedded KMS on a free loopback port, points this process's boto3
at it through AWS_ENDPOINT_URL, loads the entrypoint, serves it through the
Lambda Invoke API on another free port, and prints one JSON line with both
URLs. It runs until its standard input closes (its parent went away) or it is
sent SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from keyforge import embedded_kms
from keyforge.embedded_kms import FAKE_CREDENTIALS, EmbeddedKmsServer
from keyforge.local.invoker import load_entrypoint
from keyforge.local.lambda_endpoint import DEFAULT_FUNCTION_NAME, LambdaEndpoint, Recorder


@contextmanager
def kms_server() -> Iterator[str]:
    """The embedded KMS on a free loopback port; yields its endpoint URL."""
    with EmbeddedKmsServer() as server:
        yield server.endpoint_url


def _recorder(path: Path) -> Recorder:
    def record(outcome: dict[str, Any]) -> None:
        with path.open("a") as lines:
            lines.write(json.dumps(outcome) + "\n")

    return record


def _stop_on_signal(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def _serve_until_stdin_closes() -> None:
    while sys.stdin.buffer.read(4096):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m keyforge.contract.standin", description=__doc__
    )
    parser.add_argument("--entrypoint", required=True, help="package.module.attribute")
    parser.add_argument(
        "--schema",
        type=Path,
        help="the resource schema: each invocation gets a role session allowed exactly the "
        "permissions it declares for the invocation's handler, as CloudFormation scopes them",
    )
    parser.add_argument("--function-name", default=DEFAULT_FUNCTION_NAME)
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument(
        "--record", type=Path, help="append each invocation's outcome to this file, as JSON lines"
    )
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING"])
    args = parser.parse_args(argv)

    signal.signal(signal.SIGTERM, _stop_on_signal)
    logging.basicConfig(
        level=args.log_level, format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    for chatty in ("werkzeug", "botocore"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    with kms_server() as kms_url:
        # The handlers build their boto3 sessions in this process: all go to the embedded KMS.
        os.environ["AWS_ENDPOINT_URL"] = kms_url
        os.environ.setdefault("AWS_DEFAULT_REGION", args.region)
        for name, value in FAKE_CREDENTIALS.items():
            os.environ.setdefault(name, value)
        entrypoint = load_entrypoint(args.entrypoint)
        if args.schema is not None:
            schema = json.loads(args.schema.read_text())
            entrypoint = embedded_kms.with_declared_permissions(entrypoint, schema)
        record = _recorder(args.record) if args.record else None
        with LambdaEndpoint(entrypoint, args.function_name, record=record) as endpoint:
            ready = {"lambda_endpoint": endpoint.url, "kms_endpoint": kms_url}
            print(json.dumps(ready), flush=True)
            # Handlers may print: from now on stdout goes where stderr goes, nobody has to drain it.
            os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
            try:
                _serve_until_stdin_closes()
            except KeyboardInterrupt:
                return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
