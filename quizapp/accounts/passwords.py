"""Password policy: length limits and a list of common passwords."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

COMMON_FILE = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt"


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Return the lower-cased common-password list."""
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def weakness(password: str, email: str = "") -> str | None:
    """Return why a password is too weak, or None when it is acceptable."""
    lowered = password.lower()
    if lowered in common_passwords():
        return "That password is too common; choose another."
    local = email.split("@")[0].lower()
    if len(local) >= 4 and local in lowered:
        return "The password must not contain your email address."
    if len(set(password)) < 4:
        return "The password needs more variety than that."
    return None
