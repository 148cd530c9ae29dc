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
class KeyforgeKmsKey(BaseModel):
    KeyId: Optional[str]
    Arn: Optional[str]
    Description: Optional[str]
    Enabled: Optional[bool]
    EnableKeyRotation: Optional[bool]
    RotationPeriodInDays: Optional[int]
    KeyPolicy: Optional[Any]
    KeyUsage: Optional[str]
    KeySpec: Optional[str]
    Origin: Optional[str]
    MultiRegion: Optional[bool]
    ReplicaRegions: Optional[Sequence[str]]
    PendingWindowInDays: Optional[int]
    Tags: Optional[Any]
    BypassPolicyLockoutSafetyCheck: Optional[bool]
    AliasName: Optional[str]
    KeyAdministrators: Optional[Sequence[str]]
    KeyUsers: Optional[Sequence[str]]
    ExternalAccounts: Optional[Sequence[str]]
    AllowKeyAdministratorsToDelete: Optional[bool]
    PublicKey: Optional[str]
    PublicKeyPem: Optional[str]
    EncryptionAlgorithms: Optional[Sequence[str]]
    SigningAlgorithms: Optional[Sequence[str]]
    KeyAgreementAlgorithms: Optional[Sequence[str]]
    MacAlgorithms: Optional[Sequence[str]]
    EncapsulationAlgorithms: Optional[Sequence[str]]
    ReplicaArns: Optional[Sequence[str]]

    @classmethod
    def _deserialize(
        cls: Type["_KeyforgeKmsKey"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_KeyforgeKmsKey"]:
        if not json_data:
            return None
        dataclasses = {n: o for n, o in getmembers(sys.modules[__name__]) if isclass(o)}
        recast_object(cls, json_data, dataclasses)
        return cls(
            KeyId=json_data.get("KeyId"),
            Arn=json_data.get("Arn"),
            Description=json_data.get("Description"),
            Enabled=json_data.get("Enabled"),
            EnableKeyRotation=json_data.get("EnableKeyRotation"),
            RotationPeriodInDays=json_data.get("RotationPeriodInDays"),
            KeyPolicy=json_data.get("KeyPolicy"),
            KeyUsage=json_data.get("KeyUsage"),
            KeySpec=json_data.get("KeySpec"),
            Origin=json_data.get("Origin"),
            MultiRegion=json_data.get("MultiRegion"),
            ReplicaRegions=json_data.get("ReplicaRegions"),
            PendingWindowInDays=json_data.get("PendingWindowInDays"),
            Tags=json_data.get("Tags"),
            BypassPolicyLockoutSafetyCheck=json_data.get("BypassPolicyLockoutSafetyCheck"),
            AliasName=json_data.get("AliasName"),
            KeyAdministrators=json_data.get("KeyAdministrators"),
            KeyUsers=json_data.get("KeyUsers"),
            ExternalAccounts=json_data.get("ExternalAccounts"),
            AllowKeyAdministratorsToDelete=json_data.get("AllowKeyAdministratorsToDelete"),
            PublicKey=json_data.get("PublicKey"),
            PublicKeyPem=json_data.get("PublicKeyPem"),
            EncryptionAlgorithms=json_data.get("EncryptionAlgorithms"),
            SigningAlgorithms=json_data.get("SigningAlgorithms"),
            KeyAgreementAlgorithms=json_data.get("KeyAgreementAlgorithms"),
            MacAlgorithms=json_data.get("MacAlgorithms"),
            EncapsulationAlgorithms=json_data.get("EncapsulationAlgorithms"),
            ReplicaArns=json_data.get("ReplicaArns"),
        )


# work around possible type aliasing issues when variable has same name as a model
_KeyforgeKmsKey = KeyforgeKmsKey


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


