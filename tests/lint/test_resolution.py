"""Values the rules resolve (parameters, mappings, Fn::If branches) and values they leave alone."""

from __future__ import annotations

from collections.abc import Callable

from tests.lint.conftest import Finding
from tests.messages import LOCK_OUT

Lint = Callable[..., list[Finding]]

HMAC_SIGN = (
    "KeyUsage SIGN_VERIFY is not valid for KeySpec HMAC_256: "
    "HMAC_256 keys allow only GENERATE_VERIFY_MAC"
)


def test_each_allowed_value_of_a_parameter_is_checked(lint: Lint) -> None:
    findings = lint(
        """
Parameters:
  Spec:
    Type: String
    Default: RSA_2048
    AllowedValues: [RSA_2048, HMAC_256, ECC_NIST_P256]
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeySpec: !Ref Spec
      KeyUsage: SIGN_VERIFY
"""
    )
    assert findings == [Finding("E9101", 12, f"{HMAC_SIGN} (when parameter Spec is HMAC_256).")]


def test_the_default_of_a_parameter_is_checked(lint: Lint) -> None:
    findings = lint(
        """
Parameters:
  Usage:
    Type: String
    Default: SIGN_VERIFY
Resources:
  Key:
    Type: Keyforge::KMS::Key
    Properties:
      KeySpec: HMAC_256
      KeyUsage: !Ref Usage
"""
    )
    assert findings == [Finding("E9101", 11, f"{HMAC_SIGN} (when parameter Usage is SIGN_VERIFY).")]


def test_a_parameter_without_default_or_allowed_values_gives_no_finding(lint: Lint) -> None:
    assert (
        lint(
            """
Parameters:
  Usage:
    Type: String
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeySpec: HMAC_256
      KeyUsage: !Ref Usage
      EnableKeyRotation: !GetAtt Other.Enabled
      Origin: !ImportValue shared-origin
"""
        )
        == []
    )


def test_boolean_parameters_are_converted_as_cloudformation_does(lint: Lint) -> None:
    findings = lint(
        """
Parameters:
  Rotate:
    Type: String
    Default: "false"
    AllowedValues: ["false", "true"]
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeySpec: RSA_2048
      KeyUsage: SIGN_VERIFY
      EnableKeyRotation: !Ref Rotate
"""
    )
    assert findings == [
        Finding(
            "E9102",
            13,
            "EnableKeyRotation true is not allowed for KeySpec RSA_2048: automatic rotation "
            "exists only for SYMMETRIC_DEFAULT keys with Origin AWS_KMS "
            "(when parameter Rotate is true).",
        )
    ]


def test_find_in_map_is_resolved(lint: Lint) -> None:
    findings = lint(
        """
Mappings:
  Keys:
    signing:
      Spec: HMAC_256
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeySpec: !FindInMap [Keys, signing, Spec]
      KeyUsage: SIGN_VERIFY
"""
    )
    assert findings == [Finding("E9101", 11, f"{HMAC_SIGN}.")]


REGION_MAPPING = """
Metadata:
  cfn-lint:
    config:
      regions: [us-east-1, cn-north-1]
Mappings:
  RegionKeys:
    us-east-1:
      Spec: {east}
    cn-north-1:
      Spec: SM2
    eu-west-1:
      Spec: SM2
Resources:
  Key:
    Type: Keyforge::KMS::Key
    Properties:
      KeySpec: !FindInMap [RegionKeys, !Ref "AWS::Region", Spec]
      KeyUsage: SIGN_VERIFY
"""


def test_a_region_keyed_mapping_row_applies_only_to_its_region(lint: Lint) -> None:
    assert lint(REGION_MAPPING.format(east="ECC_NIST_P256")) == []
    assert lint(REGION_MAPPING.format(east="SM2")) == [
        Finding(
            "E9103",
            18,
            "KeySpec SM2 is not available in us-east-1: SM2 keys exist only in the China "
            "Regions (cn-north-1, cn-northwest-1).",
        )
    ]


def test_each_branch_of_fn_if_is_checked_at_its_own_line(lint: Lint) -> None:
    findings = lint(
        """
Conditions:
  Signing: !Equals [!Ref "AWS::Region", us-east-1]
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeySpec: HMAC_256
      KeyUsage: !If
        - Signing
        - SIGN_VERIFY
        - ENCRYPT_DECRYPT
""",
        ["us-east-1", "eu-west-1"],
    )
    assert findings == [
        Finding("E9101", 11, f"{HMAC_SIGN}."),
        Finding(
            "E9101",
            12,
            "KeyUsage ENCRYPT_DECRYPT is not valid for KeySpec HMAC_256: "
            "HMAC_256 keys allow only GENERATE_VERIFY_MAC.",
        ),
    ]


def test_branches_of_one_condition_are_not_mixed(lint: Lint) -> None:
    assert (
        lint(
            """
Parameters:
  Env:
    Type: String
    AllowedValues: [prod, dev]
Conditions:
  Mac: !Equals [!Ref Env, prod]
  Encrypt: !Equals [!Ref Env, dev]
Resources:
  Key:
    Type: Keyforge::KMS::Key
    Properties:
      KeySpec: !If [Mac, HMAC_256, SYMMETRIC_DEFAULT]
      KeyUsage: !If [Encrypt, ENCRYPT_DECRYPT, GENERATE_VERIFY_MAC]
      EnableKeyRotation: !If [Mac, false, true]
"""
        )
        == []
    )


def test_no_value_removes_the_property_and_defaults_apply(lint: Lint) -> None:
    findings = lint(
        """
Parameters:
  Agreement:
    Type: String
    Default: "no"
Conditions:
  UseAgreement: !Equals [!Ref Agreement, "yes"]
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeySpec: ECC_NIST_P256
      KeyUsage: !If [UseAgreement, KEY_AGREEMENT, !Ref "AWS::NoValue"]
"""
    )
    assert findings == [
        Finding(
            "E9101",
            12,
            "KeyUsage (not set, so ENCRYPT_DECRYPT) is not valid for KeySpec ECC_NIST_P256: "
            "ECC_NIST_P256 keys allow SIGN_VERIFY or KEY_AGREEMENT.",
        )
    ]


def test_a_resource_condition_limits_the_regions_it_is_checked_for(lint: Lint) -> None:
    template = """
Conditions:
  InChina: !Equals [!Ref "AWS::Region", cn-north-1]
Resources:
  Key:
    Type: Keyforge::KMS::Key
    {condition}
    Properties:
      KeySpec: SM2
      KeyUsage: SIGN_VERIFY
"""
    regions = ["us-east-1", "cn-north-1"]
    assert lint(template.format(condition="Condition: InChina"), regions) == []
    assert [f.rule for f in lint(template.format(condition=""), regions)] == ["E9103"]


CONDITIONAL = """
Parameters:
  Env:
    Type: String
    AllowedValues: [prod, dev]
Conditions:
  Prod: !Equals [!Ref Env, prod]
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Statement:
          - !If
            - Prod
            - Effect: Allow
              Principal:
                AWS: arn:aws:iam::123456789012:root
              Action: kms:*
              Resource: "*"
            - !Ref AWS::NoValue
          - Sid: Readers
            Effect: Allow
            Principal:
              AWS: !If [Prod, arn:aws:iam::123456789012:role/Reader, "*"]
            Action: kms:DescribeKey
            Resource: "*"
      Tags:
        - !If [Prod, {Key: owner, Value: ops@example.com}, !Ref AWS::NoValue]
      EnableKeyRotation: true
"""


def test_fn_if_inside_a_policy_or_tags_is_followed_to_the_line_written(lint: Lint) -> None:
    # Without Prod the first statement is gone: nobody may change the policy, and the
    # second statement (first of the deployed policy) is open to "*". With Prod, the
    # owner tag holds an e-mail address. Each finding is on the line as written.
    assert lint(CONDITIONAL) == [
        Finding("E9109", 13, LOCK_OUT),
        Finding(
            "W9106",
            29,
            "Tags[0].Value contains what looks like an e-mail address: key descriptions, tags "
            "and alias names appear in plain text in CloudTrail logs; keep secrets and personal "
            "data out of them.",
        ),
        Finding(
            "W9107",
            25,
            "KeyPolicy statement 'Readers' allows Principal \"*\" without a Condition: any "
            "principal of any AWS account may read the key's metadata (kms:DescribeKey). Name "
            "the principals, or add a Condition such as kms:CallerAccount or aws:PrincipalOrgID.",
        ),
    ]


def test_a_branch_no_region_can_take_gives_no_finding(lint: Lint) -> None:
    text = CONDITIONAL.replace(
        "!Equals [!Ref Env, prod]", '!Equals [!Ref "AWS::Region", us-east-1]'
    )
    findings = lint(text.replace("  Env:\n    Type: String\n    AllowedValues: [prod, dev]\n", ""))
    assert [f.rule for f in findings] == ["W9106"]  # us-east-1 only: Prod holds
