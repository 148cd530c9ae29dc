"""The Keyforge rules as a Lambda hook (AWS::CloudFormation::LambdaHook): a thin adapter.

CloudFormation invokes the function before it creates or updates a target of the hook's
TargetFilters with

    {"clientRequestToken": ..., "awsAccountId": ..., "stackId": "arn:aws:cloudformation:REGION:...",
     "actionInvocationPoint": "CREATE_PRE_PROVISION" | "UPDATE_PRE_PROVISION" | ...,
     "requestData": {"targetName": "AWS::KMS::Key", "targetType": "AWS::KMS::Key",
                     "targetLogicalId": "Key",
                     "targetModel": {"resourceProperties": {...},
                                     "previousResourceProperties": {...}}}, ...}

and expects {"hookStatus": "SUCCESS" | "FAILED", "errorCode": "NonCompliant" (when FAILED),
"message": ..., "clientRequestToken": ...}. The judgement is `keyforge_kms_key.judgement`'s,
the registry hook's: the same rules, sentences and settings. The settings come from the
function's environment: FAIL_ON (ERROR, the default, or WARNING) and DISABLED_RULES (rule ids).
The Region is the stack's (from its ARN), else the function's own (AWS_REGION).

The function's code is the registry hook's Lambda bundle (hooks/key-rules, built by
`cfn submit --dry-run`), whose handler `keyforge_kms_keyrules.lambda_hook.handler` is this one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from .judgement import Settings, Verdict, judge, region_from_stack_id

CREATE = "CREATE_PRE_PROVISION"
UPDATE = "UPDATE_PRE_PROVISION"
DELETE = "DELETE_PRE_PROVISION"


def handler(event: object, context: object = None) -> dict[str, Any]:
    """Judge the target of one Lambda hook invocation; never raises."""
    request = event if isinstance(event, Mapping) else {}
    token = request.get("clientRequestToken")
    point = request.get("actionInvocationPoint")
    data = request.get("requestData")
    data = data if isinstance(data, Mapping) else {}
    if point == DELETE:
        return _answer(token, "SUCCESS", "Nothing to check before a delete.")
    if point not in (CREATE, UPDATE):
        return _answer(
            token,
            "SUCCESS",
            f"Not judged: the invocation point {point!r} is not a resource's create or update.",
        )
    settings, notes = Settings.read(os.environ.get("FAIL_ON"), os.environ.get("DISABLED_RULES"))
    model = data.get("targetModel")
    model = model if isinstance(model, Mapping) else {}
    verdict = judge(
        data.get("targetName") or data.get("targetType"),
        model.get("resourceProperties"),
        previous=model.get("previousResourceProperties"),
        update=point == UPDATE,
        region=region_from_stack_id(request.get("stackId")) or os.environ.get("AWS_REGION"),
        settings=settings,
        logical_id=data.get("targetLogicalId"),
        notes=notes,
    )
    return verdict_answer(verdict, token)


def verdict_answer(verdict: Verdict, token: object) -> dict[str, Any]:
    answer = _answer(token, "SUCCESS" if verdict.compliant else "FAILED", verdict.message())
    if not verdict.compliant:
        answer["errorCode"] = "NonCompliant"
    annotations = verdict.annotations()
    if annotations:
        answer["annotations"] = annotations
    return answer


def _answer(token: object, status: str, message: str) -> dict[str, Any]:
    return {"hookStatus": status, "message": message, "clientRequestToken": token}
