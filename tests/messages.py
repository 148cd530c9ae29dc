"""Messages of the project that tests in several directories expect, word for word."""

from __future__ import annotations

LOCK_OUT = (
    "KeyPolicy lets no principal change it: no Allow statement grants kms:PutKeyPolicy (by "
    "name, kms:Put*, kms:* or *), so KMS's lock-out safety check refuses it unless "
    "BypassPolicyLockoutSafetyCheck is true. Keep the statement that gives the account root "
    "kms:*, or allow key administrators kms:PutKeyPolicy."
)
"""The validation's (and the E9109 rule's) message for a key policy that locks itself out."""
