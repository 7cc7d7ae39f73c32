"""The LTI 1.3 claim names and message types the tool reads and writes (pure)."""

from __future__ import annotations

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
MESSAGE_TYPE = LTI + "message_type"
VERSION = LTI + "version"
DEPLOYMENT_ID = LTI + "deployment_id"
ROLES = LTI + "roles"
RESOURCE_LINK = LTI + "resource_link"
CONTEXT = LTI + "context"
CUSTOM = LTI + "custom"
DL_SETTINGS = DL + "deep_linking_settings"
RESOURCE_LAUNCH = "LtiResourceLinkRequest"
DEEP_LINKING = "LtiDeepLinkingRequest"
DEEP_LINKING_RESPONSE = "LtiDeepLinkingResponse"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
# Roles that may pick a quiz for a course (institution and context roles, and their short forms).
TEACHING_ROLES = ("Instructor", "Administrator", "ContentDeveloper", "TeachingAssistant")


def is_teacher(roles: list) -> bool:
    """Whether the launch's roles include a teaching role (membership, institution or short form)."""
    return any(str(role).rsplit("#", 1)[-1].rsplit("/", 1)[-1] in TEACHING_ROLES for role in roles or [])


def quiz_slug(claims: dict) -> str | None:
    """Return the quiz a resource link points at: the `quiz` custom parameter deep linking set."""
    custom = claims.get(CUSTOM) or {}
    slug = custom.get("quiz") if isinstance(custom, dict) else None
    return slug if isinstance(slug, str) and slug else None


def display_name(claims: dict) -> str:
    """Return the name to show: the platform's name claim if it shares one, else a neutral label."""
    name = claims.get("name") or " ".join(p for p in (claims.get("given_name"), claims.get("family_name")) if p)
    return (str(name).strip() or "LMS learner")[:100]
