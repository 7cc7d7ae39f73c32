"""Verification codes: random, unguessable, easy to read aloud and type back in any case (pure)."""

from __future__ import annotations

import math
import re
import secrets

# Digits and capitals without the look-alikes 0/O, 1/I/L and the U/V pair: 30 symbols, read the same in any font.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS, GROUP_SIZE = 3, 6
LENGTH = GROUPS * GROUP_SIZE
BITS = LENGTH * math.log2(len(ALPHABET))  # 88.3 bits: far beyond guessing, even at the verify page's rate limit
SEPARATORS = re.compile(r"[\s\-_.]+")


def new_code() -> str:
    """Return a fresh code in its stored form (18 symbols from the cryptographic generator, no separators)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str:
    """Return the stored form of a typed or scanned code: capitals, without spaces or hyphens (at most 64 chars)."""
    return SEPARATORS.sub("", typed or "")[:64].upper()


def grouped(code: str) -> str:
    """Return a code as people read it: three groups of six joined by hyphens."""
    return "-".join(code[i : i + GROUP_SIZE] for i in range(0, len(code), GROUP_SIZE))
