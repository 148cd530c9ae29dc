# DO NOT modify this file by hand, changes will be overwritten
from dataclasses import dataclass

from cloudformation_cli_python_lib.interface import BaseModel
from cloudformation_cli_python_lib.recast import recast_object
from cloudformation_cli_python_lib.utils import deserialize_list

import sys
from inspect import getmembers, isclass
from typing import (
    AbstractSet,
    Any,
    Generic,
    Mapping,
    MutableMapping,
    Optional,
    Sequence,
    Type,
    TypeVar,
)

T = TypeVar("T")


def set_or_none(value: Optional[Sequence[T]]) -> Optional[AbstractSet[T]]:
    if value:
        return set(value)
    return None


@dataclass
class AwsKmsKey(BaseModel):
    Arn: Optional[str]
    BypassPolicyLockoutSafetyCheck: Optional[bool]
    Description: Optional[str]
    EnableKeyRotation: Optional[bool]
    Enabled: Optional[bool]
    KeyId: Optional[str]
    KeyPolicy: Optional[Any]
    KeySpec: Optional[str]
    KeyUsage: Optional[str]
    MultiRegion: Optional[bool]
    Origin: Optional[str]
    PendingWindowInDays: Optional[int]
    RotationPeriodInDays: Optional[int]
    Tags: Optional[Any]

    @classmethod
    def _deserialize(
        cls: Type["_AwsKmsKey"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_AwsKmsKey"]:
        if not json_data:
            return None
        dataclasses = {n: o for n, o in getmembers(sys.modules[__name__]) if isclass(o)}
        recast_object(cls, json_data, dataclasses)
        return cls(
            Arn=json_data.get("Arn"),
            BypassPolicyLockoutSafetyCheck=json_data.get("BypassPolicyLockoutSafetyCheck"),
            Description=json_data.get("Description"),
            EnableKeyRotation=json_data.get("EnableKeyRotation"),
            Enabled=json_data.get("Enabled"),
            KeyId=json_data.get("KeyId"),
            KeyPolicy=json_data.get("KeyPolicy"),
            KeySpec=json_data.get("KeySpec"),
            KeyUsage=json_data.get("KeyUsage"),
            MultiRegion=json_data.get("MultiRegion"),
            Origin=json_data.get("Origin"),
            PendingWindowInDays=json_data.get("PendingWindowInDays"),
            RotationPeriodInDays=json_data.get("RotationPeriodInDays"),
            Tags=json_data.get("Tags"),
        )


# work around possible type aliasing issues when variable has same name as a model
_AwsKmsKey = AwsKmsKey


@dataclass
class Tag(BaseModel):
    Key: Optional[str]
    Value: Optional[str]

    @classmethod
    def _deserialize(
        cls: Type["_Tag"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_Tag"]:
        if not json_data:
            return None
        return cls(
            Key=json_data.get("Key"),
            Value=json_data.get("Value"),
        )


# work around possible type aliasing issues when variable has same name as a model
_Tag = Tag


