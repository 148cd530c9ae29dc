"""Text that looks confidential: what should never be in a key's Description, Tags or alias.

KMS writes these in plain text to CloudTrail. The patterns aim at what is
clearly a secret or personal data; a finding names the kind of text, never
the text itself.
"""

from __future__ import annotations

import math
import re
from collections import Counter

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a private key block", re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----")),
    (
        "an AWS access key id",
        re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])"),
    ),
    (
        "a password",
        re.compile(r"(?i)\b(?:password|passwd|passphrase|pwd)\s*[:=]\s*\S+"),
    ),
    (
        "a secret token",
        re.compile(
            r"(?i)\b(?:secret|token|api[_-]?key|access[_-]?key|client[_-]?secret|"
            r"auth[_-]?token)\s*[:=]\s*\S+"
        ),
    ),
    (
        "a secret token",
        re.compile(
            r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|xox[abprs]-[A-Za-z0-9-]{10,}|"
            r"sk_live_[A-Za-z0-9]{16,}|AIza[0-9A-Za-z_-]{35}|"
            r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+)"
        ),
    ),
    (
        "an e-mail address",
        re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"),
    ),
)
_TOKEN = re.compile(r"[A-Za-z0-9+/=_]{32,}")
_SECRET_TAG_KEY = re.compile(
    r"(?i)^(?:password|passwd|passphrase|secret|secret[_-]?key|token|api[_-]?key|"
    r"access[_-]?key|private[_-]?key|client[_-]?secret)$"
)
# Random base64 of 32+ characters scores about 4.5 bits a character and rarely
# has seven letters of one case in a row; words and identifiers do.
_RANDOM_BITS_PER_CHAR = 4.3
_WORDLIKE_RUN = re.compile(r"[a-z]{7}|[A-Z]{7}")


def confidential_kinds(text: str) -> list[str]:
    """What kinds of confidential text ``text`` seems to hold, each kind once."""
    kinds: list[str] = []
    for kind, pattern in _PATTERNS:
        if kind not in kinds and pattern.search(text):
            kinds.append(kind)
    if "a secret token" not in kinds and any(_looks_random(t) for t in _TOKEN.findall(text)):
        kinds.append("a secret token")
    return kinds


def names_a_secret(tag_key: str) -> bool:
    """Whether a tag key says its value is a secret (password, token, api-key...)."""
    return bool(_SECRET_TAG_KEY.match(tag_key.strip()))


def _looks_random(token: str) -> bool:
    if not (
        any(c.isupper() for c in token)
        and any(c.islower() for c in token)
        and any(c.isdigit() for c in token)
    ) or _WORDLIKE_RUN.search(token):
        return False
    counts = Counter(token)
    bits = -sum(n / len(token) * math.log2(n / len(token)) for n in counts.values())
    return bits >= _RANDOM_BITS_PER_CHAR
