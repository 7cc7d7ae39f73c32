"""What people type as their e-mail address and name: one normal form, no look-alikes, no hidden direction changes.

Pure Python (no Flask, no database): the forms, the account services and the CLI share these rules.
"""

from __future__ import annotations

import unicodedata

# Characters that reorder or hide text: bidi embeddings, overrides, isolates and marks (after U+202E the rest of a
# name is shown backwards). Zero-width joiners are allowed: some names (Persian, Indic scripts) need them.
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
JOINERS = frozenset("\u200c\u200d")
# Script mixes usual in one word (Unicode TS #39, "highly restrictive"); any other mix is a look-alike risk, such as
# "pаypal" with a Cyrillic "а".
USUAL_MIXES = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
)
SCRIPT_ALIASES = {"CJK": "HAN", "IDEOGRAPHIC": "HAN", "KATAKANA-HIRAGANA": "KATAKANA"}


def normalise_email(email: str) -> str:
    """Return the form under which addresses are unique: NFKC, trimmed, case-folded, then NFKC again."""
    # NFKC turns fullwidth and styled letters into plain ones; case-folding can undo it, hence the second pass.
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", email).strip().casefold())


def scripts(text: str) -> set[str]:
    """Return the scripts of the letters in `text`, each named by the first word of the letter's Unicode name."""
    found = set()
    for char in text:
        if unicodedata.category(char).startswith("L"):
            word = unicodedata.name(char, "UNKNOWN").split(" ")[0]
            found.add(SCRIPT_ALIASES.get(word, word))
    return found


def mixes_scripts(text: str) -> bool:
    """Whether `text` mixes scripts in a way that one word normally does not."""
    found = scripts(text)
    return len(found) > 1 and not any(found <= usual for usual in USUAL_MIXES)


def email_problem(email: str) -> str | None:
    """Return why an address cannot be given to an account (a part mixing scripts), or None."""
    local, _, domain = normalise_email(email).rpartition("@")
    if any(mixes_scripts(part) for part in (local, *domain.split("."))):
        return "This address mixes letters from different alphabets (a look-alike address). Type it again by hand."
    return None


def name_problem(name: str) -> str | None:
    """Return why a display name cannot be used (line breaks, control or text-direction characters), or None."""
    for char in name:
        category = unicodedata.category(char)
        if char in BIDI:
            return "Names cannot contain characters that change the text direction."
        if category in ("Cc", "Zl", "Zp"):
            return "Names must be on one line, without control characters."
        if category == "Cf" and char not in JOINERS:
            return "Names cannot contain invisible formatting characters."
    return None
