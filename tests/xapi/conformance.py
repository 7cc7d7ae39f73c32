"""The xAPI 1.0.3 check a statement must pass: Ralph's statement models (a maintained LRS's validation), plus zones.

Ralph (`ralph-malph`, France Université Numérique's LRS) models the specification's data model as pydantic classes
(properties, the Agent's one identifier, IRIs, language maps, scores, durations, UUIDs, interaction types). It
accepts a timestamp without a zone, which the specification says a statement should carry; that rule is added here.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import ValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement


def problems(statement: object) -> list[str]:
    """Return every way the statement breaks xAPI 1.0.3 (empty when it conforms), each as 'where: why'."""
    if not isinstance(statement, dict):
        return ["a statement is a JSON object"]
    try:
        BaseXapiStatement.model_validate(statement)
        found = []
    except ValidationError as error:
        found = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()]
    for key in ("timestamp", "stored"):
        if key in statement and not is_timestamp(statement[key]):
            found.append(f"{key}: not an ISO 8601 date-time with a time zone")
    return found


def is_uuid(value: object) -> bool:
    """Whether a value is a UUID in its canonical hyphenated form."""
    try:
        return isinstance(value, str) and str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


def is_timestamp(value: object) -> bool:
    """Whether a value is an ISO 8601 date-time carrying its offset (or Z)."""
    if not isinstance(value, str) or "T" not in value:
        return False
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None
    except ValueError:
        return False
