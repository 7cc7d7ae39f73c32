"""OIDC login initiation and id_token validation for launches; a refused message changes nothing."""

from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import jwt
from flask import current_app
from sqlalchemy import delete

from quizapp import clock
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.lti import claims as c
from quizapp.lti import registrations
from quizapp.models import LtiLogin, LtiRegistration

LOGIN_FOR = timedelta(minutes=10)
# The platform's public keys are kept this long per registration (and fetched again at once for an unknown kid).
KEY_SET_FOR = timedelta(minutes=5)
LEEWAY_SECONDS = 60
HTTP_TIMEOUT = 10
MESSAGE_TYPES = (c.RESOURCE_LAUNCH, c.DEEP_LINKING)


class LaunchRefused(DomainError):
    """A login or launch message the tool refuses, with the reason shown on the page."""


def begin_login(params: dict, redirect_uri: str) -> tuple[str, str]:
    """Record a login in flight and return the platform's authorisation URL and the state to keep in a cookie."""
    registration = registrations.find(params.get("iss") or "", params.get("client_id"))
    if registration is None:
        raise LaunchRefused("This learning platform is not registered with quizapp (unknown issuer or client id).")
    if not params.get("login_hint"):
        raise LaunchRefused("The platform's login request has no login_hint.")
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    db.session.execute(delete(LtiLogin).where(LtiLogin.created_at < clock.now() - LOGIN_FOR))  # abandoned logins
    db.session.add(LtiLogin(state=state, nonce=nonce, registration_id=registration.id))
    db.session.flush()
    query = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": registration.client_id,
        "redirect_uri": redirect_uri,
        "login_hint": params["login_hint"],
        "state": state,
        "nonce": nonce,
    }
    if params.get("lti_message_hint"):
        query["lti_message_hint"] = params["lti_message_hint"]
    return f"{registration.auth_login_url}?{urlencode(query)}", state


def take_login(state: str, cookie_state: str | None) -> LtiLogin:
    """Use up the login in flight for this state (once); refuse a missing, foreign, expired or used state."""
    if not state:
        raise LaunchRefused("The launch has no state: it did not come from a login that quizapp started.")
    if cookie_state != state:
        raise LaunchRefused(
            "This launch did not start in this browser window. If your browser blocks cookies in embedded pages, "
            "open the activity in a new window."
        )
    login = db.session.execute(delete(LtiLogin).where(LtiLogin.state == state).returning(LtiLogin)).scalar_one_or_none()
    if login is None or login.created_at < clock.now() - LOGIN_FOR:
        raise LaunchRefused("This launch has expired or was already used; launch the activity again from the course.")
    return login


def key_set(registration: LtiRegistration, http, refetch: bool = False) -> tuple[jwt.PyJWKSet, bool]:
    """Return the platform's key set, from this app's cache while fresh, and whether it was fetched just now."""
    cache = current_app.extensions.setdefault("lti_key_sets", {})
    held = cache.get((registration.id, registration.key_set_url))
    if held is not None and not refetch and held[0] > clock.now():
        return held[1], False
    try:
        response = http.get(registration.key_set_url, timeout=HTTP_TIMEOUT)
        response.raise_for_status()
        keys = jwt.PyJWKSet.from_dict(response.json())
    except Exception as exc:  # any failure to read the platform's keys refuses the launch
        raise LaunchRefused("The platform's public keys could not be read; try again in a moment.") from exc
    cache[(registration.id, registration.key_set_url)] = (clock.now() + KEY_SET_FOR, keys)
    return keys, True


def platform_key(registration: LtiRegistration, kid: str | None, http) -> jwt.PyJWK:
    """Return the key that signed the message: from the cached key set, fetched again once for an unknown kid."""
    keys, fetched = key_set(registration, http)
    found = next((key for key in keys.keys if key.key_id == kid), None)
    if found is None and not fetched:  # the platform may have rotated its keys since the cache was filled
        keys, _ = key_set(registration, http, refetch=True)
        found = next((key for key in keys.keys if key.key_id == kid), None)
    if found is None:
        raise LaunchRefused("The message was signed with a key the platform does not publish.")
    return found


def decode(id_token: str, registration: LtiRegistration, http) -> dict:
    """Verify the id_token's signature, issuer, audience and times; return its claims."""
    try:
        header = jwt.get_unverified_header(id_token)
    except jwt.InvalidTokenError as exc:
        raise LaunchRefused("The launch message is not a valid signed token.") from exc
    if header.get("alg") != "RS256":
        raise LaunchRefused("The launch message is not signed with RS256.")
    key = platform_key(registration, header.get("kid"), http)
    try:
        return jwt.decode(
            id_token,
            key,
            algorithms=["RS256"],
            audience=registration.client_id,
            issuer=registration.issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iat", "iss", "aud", "sub", "nonce"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise LaunchRefused("The launch message has expired; launch the activity again.") from exc
    except jwt.InvalidAudienceError as exc:
        raise LaunchRefused("The launch message is meant for another tool (wrong audience).") from exc
    except jwt.InvalidIssuerError as exc:
        raise LaunchRefused("The launch message comes from another platform than the one that started it.") from exc
    except jwt.InvalidSignatureError as exc:
        raise LaunchRefused("The launch message's signature does not match the platform's key.") from exc
    except jwt.InvalidTokenError as exc:
        raise LaunchRefused(f"The launch message is not valid: {exc}.") from exc


def check_message(body: dict, login: LtiLogin, registration: LtiRegistration) -> None:
    """Check the nonce, the authorised party, the deployment, the LTI version and the message type."""
    if body.get("nonce") != login.nonce:
        raise LaunchRefused("The launch message was already used or belongs to another login (nonce mismatch).")
    audiences = body["aud"] if isinstance(body["aud"], list) else [body["aud"]]
    if len(audiences) > 1 and body.get("azp") != registration.client_id:
        raise LaunchRefused("The launch message is meant for another tool (authorised party).")
    if body.get(c.DEPLOYMENT_ID) not in registration.deployment_ids:
        raise LaunchRefused("This deployment of quizapp is not registered for the platform (unknown deployment id).")
    if body.get(c.VERSION) != "1.3.0":
        raise LaunchRefused("Only LTI 1.3 launches are accepted.")
    if body.get(c.MESSAGE_TYPE) not in MESSAGE_TYPES:
        raise LaunchRefused("quizapp does not handle this kind of LTI message.")
    if body[c.MESSAGE_TYPE] == c.DEEP_LINKING:
        check_deep_linking(body.get(c.DL_SETTINGS))


def check_deep_linking(settings: object) -> None:
    """Check that a deep-linking request says where to return and accepts the activity links quizapp makes."""
    settings = settings if isinstance(settings, dict) else {}
    back = settings.get("deep_link_return_url")
    if not isinstance(back, str) or urlsplit(back).scheme not in ("http", "https"):
        raise LaunchRefused("The platform's 'add activity' request does not say where to return (no return URL).")
    accepted = settings.get("accept_types")
    if not isinstance(accepted, list) or "ltiResourceLink" not in accepted:
        raise LaunchRefused(
            "This place in the course does not take activity links (LTI resource links), the only kind quizapp"
            " adds: add quizapp where the platform offers external tool activities."
        )


def validate(form: dict, cookie_state: str | None, http) -> tuple[dict, LtiRegistration]:
    """Validate a launch POST (id_token and state) against its login in flight; return the claims and platform."""
    login = take_login(form.get("state") or "", cookie_state)
    registration = db.session.get(LtiRegistration, login.registration_id)
    if registration is None or not registration.active:
        raise LaunchRefused("This learning platform is no longer registered with quizapp.")
    body = decode(form.get("id_token") or "", registration, http)
    check_message(body, login, registration)
    return body, registration
