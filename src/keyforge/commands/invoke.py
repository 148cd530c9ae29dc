"""`keyforge invoke ACTION REQUEST.json`: one handler call through the Lambda entrypoint.

The Docker-free equivalent of `cfn invoke`: the request file holds
`desiredResourceState` (and, for UPDATE, `previousResourceState`), as cfn
invoke's do. The handler is re-invoked while it answers IN_PROGRESS, as
CloudFormation does, and every progress event is printed as one JSON line.
KMS is the embedded one unless --endpoint-url names another or --aws asks for
the account of the standard AWS environment or profile. The embedded KMS, like
KMS, refuses key policies naming roles or users that do not exist: the roles
and users of its account that the request file names are created in its IAM
first (--no-principals leaves them out, to see the refusal).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3

from keyforge.command import EXIT_FAILED, EXIT_OK, CommandError
from keyforge.local.invoker import ACTIONS, Credentials, LocalInvoker
from keyforge_kms_key.validation import resource_schema


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", metavar="ACTION", help="one of " + ", ".join(ACTIONS))
    parser.add_argument("request", metavar="REQUEST.json", type=Path, help="the request file")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--endpoint-url", help="a KMS endpoint to use instead of the embedded KMS")
    where.add_argument(
        "--aws", action="store_true", help="use real KMS with the standard AWS credentials"
    )
    parser.add_argument("--region", default=None, help="the Region (default: us-east-1)")
    parser.add_argument(
        "--no-principals",
        dest="principals",
        action="store_false",
        help="embedded KMS: do not create the IAM roles and users the request names",
    )


def read_request(path: Path) -> dict[str, Any]:
    try:
        request = json.loads(path.read_text())
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"{path}: cannot be read ({error})") from None
    except json.JSONDecodeError as error:
        raise CommandError(f"{path}: invalid JSON at line {error.lineno}: {error.msg}") from None
    except RecursionError:
        raise CommandError(f"{path}: JSON nested too deeply to be a request") from None
    if not isinstance(request, dict) or not isinstance(
        request.get("desiredResourceState", {}), dict
    ):
        raise CommandError(f"{path}: expected an object with desiredResourceState")
    return request


def run(args: argparse.Namespace) -> int:
    action = str(args.action).upper()
    if action not in ACTIONS:
        raise CommandError(f"unknown action {args.action}: expected one of {', '.join(ACTIONS)}")
    request = read_request(args.request)
    region = args.region or os.environ.get("AWS_REGION") or "us-east-1"
    named = request if args.principals else None
    with kms_target(args.endpoint_url, args.aws, named, region) as credentials:
        provider = LocalInvoker(region=region, credentials=credentials)
        if not (args.aws or args.endpoint_url):
            from keyforge import embedded_kms

            # As CloudFormation calls them: each handler with exactly its declared permissions.
            provider.entrypoint = embedded_kms.with_declared_permissions(
                provider.entrypoint, resource_schema()
            )
        if args.aws:
            provider.account = boto3.client("sts", region_name=region).get_caller_identity()[
                "Account"
            ]
        final: dict[str, Any] = {}
        for final in provider.progress(
            action,
            request.get("desiredResourceState") or {},
            request.get("previousResourceState"),
        ):
            print(json.dumps(final, sort_keys=True, default=str))
    return EXIT_OK if final.get("status") == "SUCCESS" else EXIT_FAILED


@contextlib.contextmanager
def kms_target(
    endpoint_url: str | None, real: bool, principals_of: Any = None, region: str = "us-east-1"
) -> Iterator[Credentials]:
    """Credentials for the KMS to use; the embedded one, with the IAM roles and users that
    `principals_of` names, unless an endpoint or real AWS is asked for."""
    if real:
        found = boto3.Session().get_credentials()
        if found is None:
            raise CommandError("--aws: no AWS credentials in the environment or profile")
        frozen = found.get_frozen_credentials()
        yield Credentials(frozen.access_key, frozen.secret_key, frozen.token)
    elif endpoint_url:
        previous = os.environ.get("AWS_ENDPOINT_URL_KMS")
        os.environ["AWS_ENDPOINT_URL_KMS"] = endpoint_url
        try:
            yield Credentials()
        finally:
            if previous is None:
                os.environ.pop("AWS_ENDPOINT_URL_KMS", None)
            else:
                os.environ["AWS_ENDPOINT_URL_KMS"] = previous
    else:
        from keyforge import embedded_kms

        with embedded_kms.mock_kms():
            iam = boto3.client("iam", region_name=region)
            embedded_kms.create_principals(iam, principals_of, LocalInvoker.account)
            yield Credentials()
