"""schema.json's validators, one function per check that schema_errors makes.

Generated from schema.json by `python -m keyforge.generate_validators` (make generate) with
fastjsonschema 2.22.3: do not edit. A test fails when it is not what schema.json makes.
"""

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

SPLIT_RE = re.compile(r"[\.\[\]]+")


class JsonSchemaValueException(ValueError):
    """A value that breaks a check, with the attributes of fastjsonschema's exception."""

    def __init__(
        self,
        message: str,
        value: Any = None,
        name: str | None = None,
        definition: Any = None,
        rule: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.value = value
        self.name = name
        self.definition = definition
        self.rule = rule

    @property
    def path(self) -> list[str]:
        return [item for item in SPLIT_RE.split(self.name or "") if item != ""]

    @property
    def rule_definition(self) -> Any:
        if not self.rule or not self.definition:
            return None
        return self.definition.get(self.rule)


class _Patterns(dict[str, re.Pattern[str]]):
    """Each pattern compiled when a value is first matched against it."""

    def __missing__(self, pattern: str) -> re.Pattern[str]:
        source, flags = _PATTERN_SOURCES[pattern]
        compiled = self[pattern] = re.compile(source, flags)
        return compiled


# Each pattern of the schema, and the regular expression fastjsonschema matches it with.
_PATTERN_SOURCES: dict[str, tuple[str, int]] = {
    '^(SYMMETRIC_DEFAULT|RSA_(2048|3072|4096)|ECC_NIST_(P256|P384|P521|EDWARDS25519)|ECC_SECG_P256K1|ML_DSA_(44|65|87)|ML_KEM_(512|768|1024)|HMAC_(224|256|384|512)|SM2)$': ('^(SYMMETRIC_DEFAULT|RSA_(2048|3072|4096)|ECC_NIST_(P256|P384|P521|EDWARDS25519)|ECC_SECG_P256K1|ML_DSA_(44|65|87)|ML_KEM_(512|768|1024)|HMAC_(224|256|384|512)|SM2)\\Z', re.NOFLAG),
    '^[0-9]{12}$': ('^[0-9]{12}\\Z', re.NOFLAG),
    '^[a-z]{2,4}(-[a-z]+)+-\\d+$': ('^[a-z]{2,4}(-[a-z]+)+-\\d+\\Z', re.NOFLAG),
    '^alias/[a-zA-Z0-9/_-]+$': ('^alias/[a-zA-Z0-9/_-]+\\Z', re.NOFLAG),
    '^arn:aws[a-z-]*:iam::[0-9]{12}:(root|user/[\\w+=,.@/-]+|role/[\\w+=,.@/-]+)$': ('^arn:aws[a-z-]*:iam::[0-9]{12}:(root|user/[\\w+=,.@/-]+|role/[\\w+=,.@/-]+)\\Z', re.NOFLAG),
}
REGEX_PATTERNS = _Patterns()
NoneType = type(None)


def _check_0(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "AliasName" in data_keys:
            data_keys.remove("AliasName")
            data__AliasName = data["AliasName"]
        if "AllowKeyAdministratorsToDelete" in data_keys:
            data_keys.remove("AllowKeyAdministratorsToDelete")
            data__AllowKeyAdministratorsToDelete = data["AllowKeyAdministratorsToDelete"]
        if "Arn" in data_keys:
            data_keys.remove("Arn")
            data__Arn = data["Arn"]
        if "BypassPolicyLockoutSafetyCheck" in data_keys:
            data_keys.remove("BypassPolicyLockoutSafetyCheck")
            data__BypassPolicyLockoutSafetyCheck = data["BypassPolicyLockoutSafetyCheck"]
        if "Description" in data_keys:
            data_keys.remove("Description")
            data__Description = data["Description"]
        if "EnableKeyRotation" in data_keys:
            data_keys.remove("EnableKeyRotation")
            data__EnableKeyRotation = data["EnableKeyRotation"]
        if "Enabled" in data_keys:
            data_keys.remove("Enabled")
            data__Enabled = data["Enabled"]
        if "EncapsulationAlgorithms" in data_keys:
            data_keys.remove("EncapsulationAlgorithms")
            data__EncapsulationAlgorithms = data["EncapsulationAlgorithms"]
        if "EncryptionAlgorithms" in data_keys:
            data_keys.remove("EncryptionAlgorithms")
            data__EncryptionAlgorithms = data["EncryptionAlgorithms"]
        if "ExternalAccounts" in data_keys:
            data_keys.remove("ExternalAccounts")
            data__ExternalAccounts = data["ExternalAccounts"]
        if "KeyAdministrators" in data_keys:
            data_keys.remove("KeyAdministrators")
            data__KeyAdministrators = data["KeyAdministrators"]
        if "KeyAgreementAlgorithms" in data_keys:
            data_keys.remove("KeyAgreementAlgorithms")
            data__KeyAgreementAlgorithms = data["KeyAgreementAlgorithms"]
        if "KeyId" in data_keys:
            data_keys.remove("KeyId")
            data__KeyId = data["KeyId"]
        if "KeyPolicy" in data_keys:
            data_keys.remove("KeyPolicy")
            data__KeyPolicy = data["KeyPolicy"]
        if "KeySpec" in data_keys:
            data_keys.remove("KeySpec")
            data__KeySpec = data["KeySpec"]
        if "KeyUsage" in data_keys:
            data_keys.remove("KeyUsage")
            data__KeyUsage = data["KeyUsage"]
        if "KeyUsers" in data_keys:
            data_keys.remove("KeyUsers")
            data__KeyUsers = data["KeyUsers"]
        if "MacAlgorithms" in data_keys:
            data_keys.remove("MacAlgorithms")
            data__MacAlgorithms = data["MacAlgorithms"]
        if "MultiRegion" in data_keys:
            data_keys.remove("MultiRegion")
            data__MultiRegion = data["MultiRegion"]
        if "Origin" in data_keys:
            data_keys.remove("Origin")
            data__Origin = data["Origin"]
        if "PendingWindowInDays" in data_keys:
            data_keys.remove("PendingWindowInDays")
            data__PendingWindowInDays = data["PendingWindowInDays"]
        if "PublicKey" in data_keys:
            data_keys.remove("PublicKey")
            data__PublicKey = data["PublicKey"]
        if "PublicKeyPem" in data_keys:
            data_keys.remove("PublicKeyPem")
            data__PublicKeyPem = data["PublicKeyPem"]
        if "ReplicaArns" in data_keys:
            data_keys.remove("ReplicaArns")
            data__ReplicaArns = data["ReplicaArns"]
        if "ReplicaRegions" in data_keys:
            data_keys.remove("ReplicaRegions")
            data__ReplicaRegions = data["ReplicaRegions"]
        if "RotationPeriodInDays" in data_keys:
            data_keys.remove("RotationPeriodInDays")
            data__RotationPeriodInDays = data["RotationPeriodInDays"]
        if "SigningAlgorithms" in data_keys:
            data_keys.remove("SigningAlgorithms")
            data__SigningAlgorithms = data["SigningAlgorithms"]
        if "Tags" in data_keys:
            data_keys.remove("Tags")
            data__Tags = data["Tags"]
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'additionalProperties': False, 'properties': {'AliasName': {}, 'AllowKeyAdministratorsToDelete': {}, 'Arn': {}, 'BypassPolicyLockoutSafetyCheck': {}, 'Description': {}, 'EnableKeyRotation': {}, 'Enabled': {}, 'EncapsulationAlgorithms': {}, 'EncryptionAlgorithms': {}, 'ExternalAccounts': {}, 'KeyAdministrators': {}, 'KeyAgreementAlgorithms': {}, 'KeyId': {}, 'KeyPolicy': {}, 'KeySpec': {}, 'KeyUsage': {}, 'KeyUsers': {}, 'MacAlgorithms': {}, 'MultiRegion': {}, 'Origin': {}, 'PendingWindowInDays': {}, 'PublicKey': {}, 'PublicKeyPem': {}, 'ReplicaArns': {}, 'ReplicaRegions': {}, 'RotationPeriodInDays': {}, 'SigningAlgorithms': {}, 'Tags': {}}}, rule='additionalProperties')
    return data


def _check_1(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "Key" in data_keys:
            data_keys.remove("Key")
            data__Key = data["Key"]
        if "Value" in data_keys:
            data_keys.remove("Value")
            data__Value = data["Value"]
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'additionalProperties': False, 'properties': {'Key': {}, 'Value': {}}}, rule='additionalProperties')
    return data


def _check_2(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    return data


def _check_3(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    if not (isinstance(data, str) and data == 'AWS_KMS' or isinstance(data, str) and data == 'EXTERNAL'):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be one of ['AWS_KMS', 'EXTERNAL']", value=data, name="" + (name_prefix or "data") + "", definition={'enum': ['AWS_KMS', 'EXTERNAL']}, rule='enum')
    return data


def _check_4(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    if not (isinstance(data, str) and data == 'ENCRYPT_DECRYPT' or isinstance(data, str) and data == 'SIGN_VERIFY' or isinstance(data, str) and data == 'GENERATE_VERIFY_MAC' or isinstance(data, str) and data == 'KEY_AGREEMENT' or isinstance(data, str) and data == 'ENCAPSULATE_DECAPSULATE'):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be one of ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT', 'ENCAPSULATE_DECAPSULATE']", value=data, name="" + (name_prefix or "data") + "", definition={'enum': ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT', 'ENCAPSULATE_DECAPSULATE']}, rule='enum')
    return data


def _check_5(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    return data


def _check_6(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    data_is_list = isinstance(data, (list, tuple))
    if data_is_list:
        data_len = len(data)
        if data_len > 30:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain less than or equal to 30 items", value=data, name="" + (name_prefix or "data") + "", definition={'maxItems': 30}, rule='maxItems')
    return data


def _check_7(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    data_is_list = isinstance(data, (list, tuple))
    if data_is_list:
        data_len = len(data)
        if data_len > 49:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain less than or equal to 49 items", value=data, name="" + (name_prefix or "data") + "", definition={'maxItems': 49}, rule='maxItems')
    return data


def _check_8(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    if isinstance(data, str):
        data_len = len(data)
        if data_len > 128:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be shorter than or equal to 128 characters", value=data, name="" + (name_prefix or "data") + "", definition={'maxLength': 128}, rule='maxLength')
    return data


def _check_9(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    if isinstance(data, str):
        data_len = len(data)
        if data_len > 2048:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be shorter than or equal to 2048 characters", value=data, name="" + (name_prefix or "data") + "", definition={'maxLength': 2048}, rule='maxLength')
    return data


def _check_10(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    if isinstance(data, str):
        data_len = len(data)
        if data_len > 256:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be shorter than or equal to 256 characters", value=data, name="" + (name_prefix or "data") + "", definition={'maxLength': 256}, rule='maxLength')
    return data


def _check_11(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    if isinstance(data, str):
        data_len = len(data)
        if data_len > 8192:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be shorter than or equal to 8192 characters", value=data, name="" + (name_prefix or "data") + "", definition={'maxLength': 8192}, rule='maxLength')
    return data


def _check_12(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    if isinstance(data, (int, float, Decimal)) and not isinstance(data, bool):
        if data > 2560:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be smaller than or equal to 2560", value=data, name="" + (name_prefix or "data") + "", definition={'maximum': 2560}, rule='maximum')
    return data


def _check_13(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    if isinstance(data, (int, float, Decimal)) and not isinstance(data, bool):
        if data > 30:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be smaller than or equal to 30", value=data, name="" + (name_prefix or "data") + "", definition={'maximum': 30}, rule='maximum')
    return data


def _check_14(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    if isinstance(data, str):
        data_len = len(data)
        if data_len < 0:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be longer than or equal to 0 characters", value=data, name="" + (name_prefix or "data") + "", definition={'minLength': 0}, rule='minLength')
    return data


def _check_15(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    if isinstance(data, str):
        data_len = len(data)
        if data_len < 1:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be longer than or equal to 1 characters", value=data, name="" + (name_prefix or "data") + "", definition={'minLength': 1}, rule='minLength')
    return data


def _check_16(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    if isinstance(data, str):
        data_len = len(data)
        if data_len < 7:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be longer than or equal to 7 characters", value=data, name="" + (name_prefix or "data") + "", definition={'minLength': 7}, rule='minLength')
    return data


def _check_17(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    if isinstance(data, (int, float, Decimal)) and not isinstance(data, bool):
        if data < 7:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be bigger than or equal to 7", value=data, name="" + (name_prefix or "data") + "", definition={'minimum': 7}, rule='minimum')
    return data


def _check_18(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    if isinstance(data, (int, float, Decimal)) and not isinstance(data, bool):
        if data < 90:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be bigger than or equal to 90", value=data, name="" + (name_prefix or "data") + "", definition={'minimum': 90}, rule='minimum')
    return data


def _check_19(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    if isinstance(data, str):
        if not REGEX_PATTERNS['^(SYMMETRIC_DEFAULT|RSA_(2048|3072|4096)|ECC_NIST_(P256|P384|P521|EDWARDS25519)|ECC_SECG_P256K1|ML_DSA_(44|65|87)|ML_KEM_(512|768|1024)|HMAC_(224|256|384|512)|SM2)$'].search(data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must match pattern ^(SYMMETRIC_DEFAULT|RSA_(2048|3072|4096)|ECC_NIST_(P256|P384|P521|EDWARDS25519)|ECC_SECG_P256K1|ML_DSA_(44|65|87)|ML_KEM_(512|768|1024)|HMAC_(224|256|384|512)|SM2)$", value=data, name="" + (name_prefix or "data") + "", definition={'pattern': '^(SYMMETRIC_DEFAULT|RSA_(2048|3072|4096)|ECC_NIST_(P256|P384|P521|EDWARDS25519)|ECC_SECG_P256K1|ML_DSA_(44|65|87)|ML_KEM_(512|768|1024)|HMAC_(224|256|384|512)|SM2)$'}, rule='pattern')
    return data


def _check_20(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    if isinstance(data, str):
        if not REGEX_PATTERNS['^[0-9]{12}$'].search(data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must match pattern ^[0-9]{12}$", value=data, name="" + (name_prefix or "data") + "", definition={'pattern': '^[0-9]{12}$'}, rule='pattern')
    return data


def _check_21(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    if isinstance(data, str):
        if not REGEX_PATTERNS['^[a-z]{2,4}(-[a-z]+)+-\\d+$'].search(data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must match pattern ^[a-z]{2,4}(-[a-z]+)+-\\d+$", value=data, name="" + (name_prefix or "data") + "", definition={'pattern': '^[a-z]{2,4}(-[a-z]+)+-\\d+$'}, rule='pattern')
    return data


def _check_22(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    if isinstance(data, str):
        if not REGEX_PATTERNS['^alias/[a-zA-Z0-9/_-]+$'].search(data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must match pattern ^alias/[a-zA-Z0-9/_-]+$", value=data, name="" + (name_prefix or "data") + "", definition={'pattern': '^alias/[a-zA-Z0-9/_-]+$'}, rule='pattern')
    return data


def _check_23(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    if isinstance(data, str):
        if not REGEX_PATTERNS['^arn:aws[a-z-]*:iam::[0-9]{12}:(root|user/[\\w+=,.@/-]+|role/[\\w+=,.@/-]+)$'].search(data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must match pattern ^arn:aws[a-z-]*:iam::[0-9]{12}:(root|user/[\\w+=,.@/-]+|role/[\\w+=,.@/-]+)$", value=data, name="" + (name_prefix or "data") + "", definition={'pattern': '^arn:aws[a-z-]*:iam::[0-9]{12}:(root|user/[\\w+=,.@/-]+|role/[\\w+=,.@/-]+)$'}, rule='pattern')
    return data


def _check_24(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    return data


def _check_25(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    return data


def _check_26(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['Key', 'Value']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['Key', 'Value']}, rule='required')
    return data


def _check_27(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    return data


def _check_28(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    if not isinstance(data, (list, tuple)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be array", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'array'}, rule='type')
    return data


def _check_29(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    if not isinstance(data, (bool)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be boolean", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'boolean'}, rule='type')
    return data


def _check_30(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    if not isinstance(data, (int)) and not (isinstance(data, float) and data.is_integer()) or isinstance(data, bool):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be integer", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'integer'}, rule='type')
    return data


def _check_31(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object'}, rule='type')
    return data


def _check_32(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'string'}, rule='type')
    return data


def _check_33(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    if not isinstance(data, (dict, str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object or string", value=data, name="" + (name_prefix or "data") + "", definition={'type': ['object', 'string']}, rule='type')
    return data


def _check_34(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    return data


def _check_35(data: Any, custom_formats: Any = {}, name_prefix: str | None = None) -> Any:
    return data


# Each function by the JSON of its check, keys sorted (validation.check_key).
VALIDATORS: dict[str, Callable[[Any], Any]] = {
    '{"additionalProperties": false, "properties": {"AliasName": {}, "AllowKeyAdministratorsToDelete": {}, "Arn": {}, "BypassPolicyLockoutSafetyCheck": {}, "Description": {}, "EnableKeyRotation": {}, "Enabled": {}, "EncapsulationAlgorithms": {}, "EncryptionAlgorithms": {}, "ExternalAccounts": {}, "KeyAdministrators": {}, "KeyAgreementAlgorithms": {}, "KeyId": {}, "KeyPolicy": {}, "KeySpec": {}, "KeyUsage": {}, "KeyUsers": {}, "MacAlgorithms": {}, "MultiRegion": {}, "Origin": {}, "PendingWindowInDays": {}, "PublicKey": {}, "PublicKeyPem": {}, "ReplicaArns": {}, "ReplicaRegions": {}, "RotationPeriodInDays": {}, "SigningAlgorithms": {}, "Tags": {}}}': _check_0,
    '{"additionalProperties": false, "properties": {"Key": {}, "Value": {}}}': _check_1,
    '{"definitions": {"AlgorithmList": {"description": "Algorithm names, as KMS reports them for this key.", "insertionOrder": true, "items": {"type": "string"}, "type": "array"}, "PrincipalArn": {"description": "The ARN of an IAM principal in this account or another: the account root, an IAM user or an IAM role.", "maxLength": 2048, "pattern": "^arn:aws[a-z-]*:iam::[0-9]{12}:(root|user/[\\\\w+=,.@/-]+|role/[\\\\w+=,.@/-]+)$", "type": "string"}, "Tag": {"additionalProperties": false, "description": "A key-value pair attached to the KMS key. Tag keys beginning with aws: are reserved.", "properties": {"Key": {"description": "The tag key: 1 to 128 characters, not beginning with aws:.", "maxLength": 128, "minLength": 1, "type": "string"}, "Value": {"description": "The tag value: 0 to 256 characters.", "maxLength": 256, "minLength": 0, "type": "string"}}, "required": ["Key", "Value"], "type": "object"}}}': _check_2,
    '{"enum": ["AWS_KMS", "EXTERNAL"]}': _check_3,
    '{"enum": ["ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT", "ENCAPSULATE_DECAPSULATE"]}': _check_4,
    '{"handlers": {"create": {"permissions": ["iam:CreateServiceLinkedRole", "iam:GetRole", "iam:GetUser", "kms:CreateAlias", "kms:CreateKey", "kms:DeleteAlias", "kms:DescribeKey", "kms:DisableKey", "kms:EnableKeyRotation", "kms:GetPublicKey", "kms:ListAliases", "kms:ListKeys", "kms:ListResourceTags", "kms:ReplicateKey", "kms:ScheduleKeyDeletion", "kms:TagResource"], "timeoutInMinutes": 30}, "delete": {"permissions": ["kms:DeleteAlias", "kms:DescribeKey", "kms:ListAliases", "kms:ScheduleKeyDeletion"], "timeoutInMinutes": 30}, "list": {"permissions": ["kms:DescribeKey", "kms:ListKeys"]}, "read": {"permissions": ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:GetPublicKey", "kms:ListAliases", "kms:ListResourceTags"]}, "update": {"permissions": ["iam:GetRole", "iam:GetUser", "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:CreateKey", "kms:DeleteAlias", "kms:DescribeKey", "kms:DisableKey", "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:GetPublicKey", "kms:ListAliases", "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:ReplicateKey", "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource", "kms:UpdateKeyDescription"], "timeoutInMinutes": 30}}}': _check_5,
    '{"maxItems": 30}': _check_6,
    '{"maxItems": 49}': _check_7,
    '{"maxLength": 128}': _check_8,
    '{"maxLength": 2048}': _check_9,
    '{"maxLength": 256}': _check_10,
    '{"maxLength": 8192}': _check_11,
    '{"maximum": 2560}': _check_12,
    '{"maximum": 30}': _check_13,
    '{"minLength": 0}': _check_14,
    '{"minLength": 1}': _check_15,
    '{"minLength": 7}': _check_16,
    '{"minimum": 7}': _check_17,
    '{"minimum": 90}': _check_18,
    '{"pattern": "^(SYMMETRIC_DEFAULT|RSA_(2048|3072|4096)|ECC_NIST_(P256|P384|P521|EDWARDS25519)|ECC_SECG_P256K1|ML_DSA_(44|65|87)|ML_KEM_(512|768|1024)|HMAC_(224|256|384|512)|SM2)$"}': _check_19,
    '{"pattern": "^[0-9]{12}$"}': _check_20,
    '{"pattern": "^[a-z]{2,4}(-[a-z]+)+-\\\\d+$"}': _check_21,
    '{"pattern": "^alias/[a-zA-Z0-9/_-]+$"}': _check_22,
    '{"pattern": "^arn:aws[a-z-]*:iam::[0-9]{12}:(root|user/[\\\\w+=,.@/-]+|role/[\\\\w+=,.@/-]+)$"}': _check_23,
    '{"primaryIdentifier": ["/properties/KeyId"]}': _check_24,
    '{"readOnlyProperties": ["/properties/KeyId", "/properties/Arn", "/properties/PublicKey", "/properties/PublicKeyPem", "/properties/EncryptionAlgorithms", "/properties/SigningAlgorithms", "/properties/KeyAgreementAlgorithms", "/properties/MacAlgorithms", "/properties/EncapsulationAlgorithms", "/properties/ReplicaArns"]}': _check_25,
    '{"required": ["Key", "Value"]}': _check_26,
    '{"tagging": {"cloudFormationSystemTags": false, "permissions": ["kms:TagResource", "kms:UntagResource", "kms:ListResourceTags"], "tagOnCreate": true, "tagProperty": "/properties/Tags", "tagUpdatable": true, "taggable": true}}': _check_27,
    '{"type": "array"}': _check_28,
    '{"type": "boolean"}': _check_29,
    '{"type": "integer"}': _check_30,
    '{"type": "object"}': _check_31,
    '{"type": "string"}': _check_32,
    '{"type": ["object", "string"]}': _check_33,
    '{"typeName": "Keyforge::KMS::Key"}': _check_34,
    '{"writeOnlyProperties": ["/properties/PendingWindowInDays", "/properties/BypassPolicyLockoutSafetyCheck"]}': _check_35,
}
