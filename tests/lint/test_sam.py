"""E9105 in SAM templates: a function's, table's or state machine's key, where the user wrote it.

cfn-lint lints a template with the AWS::Serverless-2016-10-31 transform as
written, its Globals merged into the resources; the finding is on the line of
the key reference, in the resource or in Globals.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.lint.conftest import Finding

Lint = Callable[..., list[Finding]]

KEYS = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  SigningKey:
    Type: AWS::KMS::Key
    Properties:
      KeySpec: ECC_NIST_P256
      KeyUsage: SIGN_VERIFY
  MacKey:
    Type: AWS::KMS::Key
    Properties:
      KeySpec: HMAC_256
      KeyUsage: GENERATE_VERIFY_MAC
  DataKey:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
"""
SIGNING = (
    "refers to SigningKey, an asymmetric key (KeySpec ECC_NIST_P256): AWS services accept "
    "only symmetric encryption keys (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT)."
)
MAC = (
    "refers to MacKey, an HMAC key (KeySpec HMAC_256): AWS services accept only symmetric "
    "encryption keys (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT)."
)


def _function(name: str, *lines: str) -> str:
    """A SAM function resource, with more property lines."""
    body = [
        f"  {name}:",
        "    Type: AWS::Serverless::Function",
        "    Properties:",
        "      Runtime: python3.12",
        "      Handler: index.handler",
        '      InlineCode: "def handler(event, context): pass"',
        *(f"      {line}" for line in lines),
    ]
    return "\n".join(body) + "\n"


def _queue_event(key: str) -> tuple[str, ...]:
    return (
        "Events:",
        "  Orders:",
        "    Type: SQS",
        "    Properties:",
        "      Queue: arn:aws:sqs:us-east-1:123456789012:orders",
        f"      KmsKeyArn: !GetAtt {key}.Arn",
    )


def test_a_function_with_an_asymmetric_key(lint: Lint) -> None:
    findings = lint(
        KEYS
        + _function(
            "Function",
            "KmsKeyArn: !GetAtt SigningKey.Arn",
            "SourceKMSKeyArn: !GetAtt MacKey.Arn",
            *_queue_event("MacKey"),
        )
    )
    assert findings == [
        Finding("E9105", 23, f"KmsKeyArn {SIGNING}"),
        Finding("E9105", 24, f"SourceKMSKeyArn {MAC}"),
        Finding("E9105", 30, f"KmsKeyArn {MAC}"),
    ]


def test_a_key_in_globals_is_reported_on_its_line_in_globals(lint: Lint) -> None:
    findings = lint(
        KEYS.replace(
            "Resources:\n",
            "Globals:\n  Function:\n    KmsKeyArn: !GetAtt SigningKey.Arn\nResources:\n",
        )
        + _function("First")
        + _function("Second")
    )
    assert set(findings) == {Finding("E9105", 4, f"KmsKeyArn {SIGNING}")}


def test_a_simple_table_and_a_state_machine_schedule(lint: Lint) -> None:
    findings = lint(
        KEYS
        + """\
  Table:
    Type: AWS::Serverless::SimpleTable
    Properties:
      SSESpecification:
        SSEEnabled: true
        SSEType: KMS
        KMSMasterKeyId: !Ref MacKey
  Machine:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition: {}
      Events:
        Nightly:
          Type: ScheduleV2
          Properties:
            ScheduleExpression: rate(1 day)
            KmsKeyArn: !GetAtt SigningKey.Arn
"""
    )
    assert findings == [
        Finding("E9105", 23, f"KMSMasterKeyId {MAC}"),
        Finding("E9105", 33, f"KmsKeyArn {SIGNING}"),
    ]


def test_symmetric_keys_in_sam_resources_give_no_finding(lint: Lint) -> None:
    function = _function("Function", "KmsKeyArn: !GetAtt DataKey.Arn", *_queue_event("DataKey"))
    table = """\
  Table:
    Type: AWS::Serverless::SimpleTable
    Properties:
      SSESpecification:
        SSEEnabled: true
        KMSMasterKeyId: !Ref DataKey
"""
    assert lint(KEYS + function + table) == []
