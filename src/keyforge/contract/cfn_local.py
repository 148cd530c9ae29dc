"""Run the CloudFormation CLI (`cfn`) with its STS calls sent to a local endpoint. I/O.

`cfn test` asks STS who the caller is before any contract test, at an endpoint
it builds itself (`rpdk.core.boto_helpers.get_service_endpoint`), which ignores
AWS_ENDPOINT_URL.

    python -m keyforge.contract.cfn_local STS_URL test --region ...     # one cfn run
    python -m keyforge.contract.cfn_local --serve REPLY_FD STS_URL      # one run a request

Serving, each line on standard input is a request, `{"cwd": FOLDER, "args": [...],
"log": FILE or null}`: `cfn ARGS` runs in FOLDER with its output appended to FILE
(or on this process's output), and `{"exit": STATUS}` is written to file
descriptor REPLY_FD. One process serves every pass of a contract run, so the CLI,
pytest and the contract suite are loaded and compiled once, not once a pass.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

USAGE = (
    "usage: python -m keyforge.contract.cfn_local STS_URL CFN_ARGUMENTS...\n"
    "       python -m keyforge.contract.cfn_local --serve REPLY_FD STS_URL"
)


def run_cfn(sts_endpoint: str, cfn_args: Sequence[str]) -> int:
    """Run `cfn` with `cfn_args`; its exit status."""
    import rpdk.core.boto_helpers as boto_helpers
    from rpdk.core.cli import main as cfn_main

    def local_endpoint(service: str, region: str) -> str:
        return sts_endpoint

    boto_helpers.get_service_endpoint = local_endpoint
    try:
        cfn_main(args_in=list(cfn_args))
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or 0
        print(stop.code, file=sys.stderr)
        return 1
    return 0


def serve(sts_endpoint: str, reply_fd: int) -> int:
    """Run one `cfn` a request line on standard input until it closes; see the module's doc."""
    with os.fdopen(reply_fd, "w", buffering=1) as replies:
        for line in sys.stdin:
            if not line.strip():
                continue
            request = json.loads(line)
            os.chdir(request["cwd"])
            with _output_to(request.get("log")):
                status = run_cfn(sts_endpoint, request["args"])
            replies.write(json.dumps({"exit": status}) + "\n")
    return 0


@contextmanager
def _output_to(path: str | None) -> Iterator[None]:
    """This process's standard output and error (file descriptors 1 and 2) appended to `path`."""
    if path is None:
        yield
        return
    sys.stdout.flush()
    sys.stderr.flush()
    kept = os.dup(1), os.dup(2)
    log = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.dup2(log, 1)
        os.dup2(log, 2)
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(kept[0], 1)
        os.dup2(kept[1], 2)
        for descriptor in (log, *kept):
            os.close(descriptor)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--serve"] and len(args) == 3 and args[1].isdigit():
        return serve(args[2], int(args[1]))
    if not args or not args[0].startswith(("http://", "https://")):
        print(USAGE, file=sys.stderr)
        return 2
    return run_cfn(args[0], args[1:])


if __name__ == "__main__":
    sys.exit(main())
