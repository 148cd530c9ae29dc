"""Run the CloudFormation CLI (`cfn`) with its STS calls sent to a local endpoint.

`cfn test` asks STS who the caller is before any contract test, at an endpoint
it builds itself (`rpdk.core.boto_helpers.get_service_endpoint`), which ignores
AWS_ENDPOINT_URL. Usage: `python -m keyforge.contract.cfn_local STS_URL test --region ...`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


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


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or not args[0].startswith(("http://", "https://")):
        print(
            "usage: python -m keyforge.contract.cfn_local STS_URL CFN_ARGUMENTS...", file=sys.stderr
        )
        return 2
    return run_cfn(args[0], args[1:])


if __name__ == "__main__":
    sys.exit(main())
