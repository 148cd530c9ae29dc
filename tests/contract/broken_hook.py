"""The real hook with one contract broken, to show the hook contract suite notices.

`hook` answers SUCCESS whatever it judged, where the contract asks for FAILED on the input
sets' invalid targets.
"""

from __future__ import annotations

from typing import Any

from keyforge_kms_keyrules.handlers import hook as real_hook


def hook(event: dict[str, Any], context: Any) -> dict[str, Any]:
    answer: dict[str, Any] = real_hook(event, context)
    answer.pop("errorCode", None)
    return {**answer, "hookStatus": "SUCCESS"}
