"""The xAPI 1.0.3 rules a statement must meet (Part 2, section 2.4), checked field by field; returns what is wrong.

Written from the specification's data model: the properties a statement may hold, the Agent's one identifier, IRIs,
language maps, scores, ISO 8601 durations and timestamps, UUIDs. The loopback LRS refuses what this refuses.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime

STATEMENT_KEYS = {
    "id",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "stored",
    "authority",
    "version",
    "attachments",
}
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
INTERACTION_TYPES = {
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
    "other",
}
CONTEXT_ACTIVITY_KEYS = {"parent", "grouping", "category", "other"}
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
SHA1 = re.compile(r"^[0-9a-f]{40}$")


def problems(statement: object) -> list[str]:
    """Return every way the statement breaks xAPI 1.0.3 (empty when it conforms)."""
    if not isinstance(statement, dict):
        return ["a statement is a JSON object"]
    found = [f"unknown property {k!r}" for k in statement if k not in STATEMENT_KEYS]
    found += [f"missing {k}" for k in ("actor", "verb", "object") if k not in statement]
    if "id" in statement and not is_uuid(statement["id"]):
        found.append("id is not a UUID")
    found += agent(statement.get("actor"), "actor") if "actor" in statement else []
    found += verb(statement.get("verb")) if "verb" in statement else []
    found += activity(statement.get("object"), "object") if "object" in statement else []
    found += result(statement["result"]) if "result" in statement else []
    found += context(statement["context"]) if "context" in statement else []
    for key in ("timestamp", "stored"):
        if key in statement and not is_timestamp(statement[key]):
            found.append(f"{key} is not an ISO 8601 date-time with a time zone")
    return found


def is_uuid(value: object) -> bool:
    """Whether a value is a UUID in its canonical hyphenated form."""
    try:
        return isinstance(value, str) and str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


def is_iri(value: object) -> bool:
    """Whether a value is an absolute IRI (scheme, colon, no spaces)."""
    return isinstance(value, str) and bool(IRI.match(value))


def is_timestamp(value: object) -> bool:
    """Whether a value is an ISO 8601 date-time carrying its offset (or Z)."""
    if not isinstance(value, str) or "T" not in value:
        return False
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None
    except ValueError:
        return False


def language_map(value: object, where: str) -> list[str]:
    """Check a language map: RFC 5646 tags to strings."""
    if not isinstance(value, dict) or not value:
        return [f"{where} is not a language map"]
    return [
        f"{where} has a bad entry {k!r}"
        for k, v in value.items()
        if not LANGUAGE_TAG.match(k) or not isinstance(v, str)
    ]


def extensions(value: object, where: str) -> list[str]:
    """Check extensions: an object whose keys are IRIs."""
    if not isinstance(value, dict):
        return [f"{where} is not an object"]
    return [f"{where} key {k!r} is not an IRI" for k in value if not is_iri(k)]


def agent(value: object, where: str) -> list[str]:
    """Check an Agent: exactly one inverse functional identifier, each in its own shape."""
    if not isinstance(value, dict) or value.get("objectType", "Agent") != "Agent":
        return [f"{where} is not an Agent"]
    ifis = [k for k in IFIS if k in value]
    if len(ifis) != 1:
        return [f"{where} has {len(ifis)} identifiers (exactly one of {', '.join(IFIS)})"]
    kind, ifi = ifis[0], value[ifis[0]]
    if kind == "mbox" and not (isinstance(ifi, str) and ifi.startswith("mailto:") and "@" in ifi):
        return [f"{where}.mbox is not a mailto: IRI"]
    if kind == "mbox_sha1sum" and not (isinstance(ifi, str) and SHA1.match(ifi)):
        return [f"{where}.mbox_sha1sum is not a hex SHA-1"]
    if kind == "account":
        if not isinstance(ifi, dict) or set(ifi) != {"homePage", "name"}:
            return [f"{where}.account holds exactly homePage and name"]
        if not is_iri(ifi["homePage"]) or not isinstance(ifi["name"], str) or not ifi["name"]:
            return [f"{where}.account needs an IRL homePage and a name"]
    return []


def verb(value: object) -> list[str]:
    """Check a Verb: an IRI id and an optional display language map."""
    if not isinstance(value, dict) or not is_iri(value.get("id")):
        return ["verb.id is not an IRI"]
    return language_map(value["display"], "verb.display") if "display" in value else []


def activity(value: object, where: str) -> list[str]:
    """Check an Activity: an IRI id and a definition with language maps, type IRI, interaction type, extensions."""
    if not isinstance(value, dict) or value.get("objectType", "Activity") != "Activity":
        return [f"{where} is not an Activity"]
    found = [] if is_iri(value.get("id")) else [f"{where}.id is not an IRI"]
    definition = value.get("definition", {})
    for key in ("name", "description"):
        if key in definition:
            found += language_map(definition[key], f"{where}.definition.{key}")
    if "type" in definition and not is_iri(definition["type"]):
        found.append(f"{where}.definition.type is not an IRI")
    if "interactionType" in definition and definition["interactionType"] not in INTERACTION_TYPES:
        found.append(f"{where}.definition.interactionType is not an xAPI interaction type")
    if "extensions" in definition:
        found += extensions(definition["extensions"], f"{where}.definition.extensions")
    return found


def result(value: object) -> list[str]:
    """Check a Result: the score's bounds, booleans, the duration's ISO 8601 form, extensions."""
    if not isinstance(value, dict):
        return ["result is not an object"]
    found = [
        f"result.{k} is not a boolean"
        for k in ("success", "completion")
        if k in value and not isinstance(value[k], bool)
    ]
    if "duration" in value and not (isinstance(value["duration"], str) and DURATION.match(value["duration"])):
        found.append("result.duration is not an ISO 8601 duration")
    if "score" in value:
        found += score(value["score"])
    if "extensions" in value:
        found += extensions(value["extensions"], "result.extensions")
    return found


def score(value: dict) -> list[str]:
    """Check a Score: scaled in [-1, 1], min < max, raw between them."""
    found = []
    if "scaled" in value and not -1 <= value["scaled"] <= 1:
        found.append("result.score.scaled is outside [-1, 1]")
    low, high, raw = value.get("min"), value.get("max"), value.get("raw")
    if low is not None and high is not None and not low < high:
        found.append("result.score.min is not below max")
    if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
        found.append("result.score.raw is outside [min, max]")
    return found


def context(value: object) -> list[str]:
    """Check a Context: registration UUID, context activities by their four keys, extensions."""
    if not isinstance(value, dict):
        return ["context is not an object"]
    found = [] if "registration" not in value or is_uuid(value["registration"]) else ["context.registration"]
    for key, listed in value.get("contextActivities", {}).items():
        if key not in CONTEXT_ACTIVITY_KEYS:
            found.append(f"context.contextActivities has an unknown key {key!r}")
            continue
        for item in listed if isinstance(listed, list) else [listed]:
            found += activity(item, f"context.contextActivities.{key}")
    if "extensions" in value:
        found += extensions(value["extensions"], "context.extensions")
    return found
