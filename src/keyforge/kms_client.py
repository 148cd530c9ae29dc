"""The KMS client of the keyforge subcommands that call KMS, and its errors as one line. I/O.

``add_key_argument`` adds the KMS key a subcommand is about (KEY_ID_OR_ALIAS);
``add_aws_arguments`` gives it --region, --profile and --endpoint-url;
``kms_client`` builds the boto3 client from them and the usual AWS environment and
profile; ``kms_errors`` turns what botocore raises into a CommandError: exit status 2
when the request named something wrong, 1 when KMS could not be reached or refused.
"""

from __future__ import annotations

import argparse
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from keyforge.command import EXIT_FAILED, EXIT_USAGE, CommandError
from keyforge_kms_key.keyspecs import DEFAULT_KEY_SPEC

INPUT_ERRORS = ("NotFoundException", "InvalidArnException", "ValidationException")
"""KMS errors that say the request named something wrong, rather than that KMS failed."""


def add_key_argument(parser: argparse.ArgumentParser) -> None:
    """The KMS key a subcommand is about, named as KMS accepts it."""
    parser.add_argument(
        "key",
        metavar="KEY_ID_OR_ALIAS",
        type=key_argument,
        help="key id, key ARN, alias/NAME or alias ARN",
    )


KEY_ID_MAX_LENGTH = 2048  # KMS's limit on KeyId, whichever form it takes


def key_argument(text: str) -> str:
    """A key id, ARN or alias as KMS could take it; never echoed back when it is not."""
    if not text.strip():
        raise argparse.ArgumentTypeError("is empty: name a key id, key ARN or alias")
    if len(text) > KEY_ID_MAX_LENGTH:
        raise argparse.ArgumentTypeError(
            f"is {len(text)} characters long: KMS takes at most {KEY_ID_MAX_LENGTH}"
        )
    if any(character.isspace() for character in text):
        raise argparse.ArgumentTypeError("contains white space: no key id or alias does")
    return text


def add_aws_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--region", help="AWS Region (default: from the environment or profile)")
    parser.add_argument("--profile", help="AWS profile (default: from the environment)")
    parser.add_argument("--endpoint-url", metavar="URL", help="KMS endpoint, e.g. a local KMS")


def kms_client(args: argparse.Namespace) -> Any:
    import boto3
    import botocore.config
    import botocore.exceptions

    try:
        session = boto3.Session(profile_name=args.profile, region_name=args.region)
        return session.client(
            "kms",
            endpoint_url=args.endpoint_url,
            config=botocore.config.Config(retries={"mode": "standard", "max_attempts": 3}),
        )
    except botocore.exceptions.ProfileNotFound as error:
        raise CommandError(str(error)) from None
    except botocore.exceptions.NoRegionError:
        raise CommandError("no AWS Region: pass --region or set AWS_DEFAULT_REGION") from None
    except ValueError as error:  # a malformed --endpoint-url
        raise CommandError(str(error)) from None


def error_code(error: Exception) -> str:
    """The KMS error code of a botocore ClientError ("" for anything else)."""
    response: Mapping[str, Any] = getattr(error, "response", {}) or {}
    return str(response.get("Error", {}).get("Code", ""))


@contextmanager
def kms_errors(key: str, input_errors: Collection[str] = INPUT_ERRORS) -> Iterator[None]:
    """KMS calls about ``key`` inside this block fail as one CommandError line."""
    import botocore.exceptions

    try:
        yield
    except botocore.exceptions.ClientError as error:
        code = error_code(error)
        message = error.response.get("Error", {}).get("Message", str(error))
        exit_code = EXIT_USAGE if code in input_errors else EXIT_FAILED
        raise CommandError(f"{key}: KMS {code}: {message}", exit_code) from None
    except botocore.exceptions.NoCredentialsError:
        raise CommandError("no AWS credentials: set a profile or AWS_ACCESS_KEY_ID") from None
    except botocore.exceptions.EndpointConnectionError as error:
        raise CommandError(f"cannot reach KMS: {error}", EXIT_FAILED) from None
    except botocore.exceptions.BotoCoreError as error:
        raise CommandError(f"{key}: {error}", EXIT_FAILED) from None


def describe(client: Any, key: str) -> dict[str, Any]:
    """DescribeKey's KeyMetadata, with KeySpec filled from CustomerMasterKeySpec (older answers)."""
    with kms_errors(key):
        metadata: dict[str, Any] = client.describe_key(KeyId=key)["KeyMetadata"]
    metadata.setdefault("KeySpec", metadata.get("CustomerMasterKeySpec", DEFAULT_KEY_SPEC))
    return metadata
