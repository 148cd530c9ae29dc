"""The real handlers with one contract broken, to show the contract suite notices.

`resource` answers READ of a deleted key with SUCCESS and the model it was
given, where the contract asks for FAILED with NotFound.
"""

from __future__ import annotations

from typing import Any

from keyforge_kms_key.handlers import resource as real_resource


def resource(event: dict[str, Any], context: Any) -> dict[str, Any]:
    answer: dict[str, Any] = real_resource(event, context)
    if event.get("action") == "READ" and answer.get("errorCode") == "NotFound":
        return {"status": "SUCCESS", "resourceModel": event["requestData"]["resourceProperties"]}
    return answer
