"""Template values resolved as a deploy with the parameters' defaults would see them."""

from __future__ import annotations

from typing import Any

import pytest
from cfnlint.decode.cfn_yaml import loads

from keyforge.template import Resolver, Unresolvable

TEMPLATE = """
Parameters:
  RoleName: {Type: String, Default: KeyAdmin}
  Environment: {Type: String, Default: prod, AllowedValues: [test, prod]}
  Undecided: {Type: String, AllowedValues: [one, two]}
Conditions:
  IsProduction: !Equals [!Ref Environment, prod]
Mappings:
  Windows: {us-east-1: {Days: "7"}, cn-north-1: {Days: "30"}}
Resources:
  Key:
    Type: Keyforge::KMS::Key
    Properties:
      Administrator: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${RoleName}
      Description: !If [IsProduction, production key, test key]
      Window: !FindInMap [Windows, !Ref "AWS::Region", Days]
      Name: !Join ["-", [!Ref "AWS::StackName", !Select [1, !Split [",", "a,b"]]]]
      Tags:
        - {Key: region, Value: !Ref "AWS::Region"}
  Other:
    Type: AWS::KMS::Key
"""


def resolve(value: Any, **options: Any) -> Any:
    template = loads(TEMPLATE)
    return Resolver(template, **options).resolve(value)


def properties() -> Any:
    return loads(TEMPLATE)["Resources"]["Key"]["Properties"]


def test_defaults_and_pseudo_parameters_resolve_through_every_function() -> None:
    assert resolve(properties(), account="210987654321", stack_name="demo") == {
        "Administrator": "arn:aws:iam::210987654321:role/KeyAdmin",
        "Description": "production key",
        "Window": "7",
        "Name": "demo-b",
        "Tags": [{"Key": "region", "Value": "us-east-1"}],
    }


def test_given_parameters_win_over_defaults_and_the_region_picks_the_partition() -> None:
    resolved = resolve(
        properties(), region="cn-north-1", parameters={"Environment": "test", "RoleName": "Ops"}
    )

    assert resolved["Administrator"] == "arn:aws-cn:iam::123456789012:role/Ops"
    assert resolved["Description"] == "test key"
    assert resolved["Window"] == "30"
    assert resolved["Tags"] == [{"Key": "region", "Value": "cn-north-1"}]


@pytest.mark.parametrize(
    "value",
    [
        pytest.param({"Ref": "Other"}, id="resource-ref"),
        pytest.param({"Fn::GetAtt": ["Other", "Arn"]}, id="attribute"),
        pytest.param({"Ref": "Undecided"}, id="parameter-without-default"),
        pytest.param({"Ref": "Nowhere"}, id="undeclared"),
    ],
)
def test_what_only_a_deploy_knows_is_unresolvable(value: Any) -> None:
    with pytest.raises(Unresolvable):
        resolve({"Wrapped": [value]})


def test_values_without_functions_come_back_as_they_are() -> None:
    value = {"KeySpec": "RSA_2048", "Enabled": True, "Days": 7, "List": ["a", {"b": None}]}

    assert resolve(value) == value
