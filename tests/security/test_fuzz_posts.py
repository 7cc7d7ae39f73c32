"""Fuzzing: generated form payloads to every POST route never produce a server error."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import PASSWORD

FIELDS = [
    "answer", "go", "flag", "item_0", "item_1", "item_2", "email", "password", "confirm", "current", "display_name",
    "role", "title", "stem", "type", "explanation", "reference", "tags", "difficulty", "points", "feedback",
    "choices-0-text", "choices-0-correct", "choices-1-text", "answer_value", "tolerance", "min", "max", "format",
    "slug", "description", "draw-0-bank", "draw-0-count", "draw-0-tags", "pass_percent", "time_limit_minutes",
    "attempts_allowed", "grading", "feedback_mode", "review", "intake", "published", "alt", "version", "q",
    "employer_requires", "cares_for", "regulatory", "current_card", "clinical_setting", "base_version", "action",
]
NASTY = ["", " ", "0", "-1", "99999999999999999999", "NaN", "1e309", "true", "<script>alert(1)</script>",
         "' OR 1=1 --", "\x00", "é" * 300, "../../etc/passwd", "=cmd|' /C calc'!A0", "[]", "{}", "next", "prev"]
payloads = st.dictionaries(
    st.sampled_from(FIELDS) | st.text(max_size=12),
    st.lists(st.sampled_from(NASTY) | st.text(max_size=60), min_size=1, max_size=3),
    max_size=8,
)
SKIP = {"auth.logout"}  # would end the fuzzing client's own session


def post_routes(app):
    """Return (endpoint, url template) for every POST route."""
    return sorted(
        (rule.endpoint, rule.rule) for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and rule.endpoint not in SKIP
    )


def fill(template: str, values: dict) -> str:
    """Put real object identifiers into a URL template."""
    url = template.replace("banks/<slug>", f"banks/{values['bank']}")
    url = re.sub(r"<int:\w+>", "1", url)
    for name, value in values.items():
        url = url.replace(f"<{name}>", str(value))
    return re.sub(r"<(?:\w+:)?\w+>", "x", url)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_post_routes_never_500(app, fuzz_client, data):
    client, values = fuzz_client
    for endpoint, template in post_routes(app):
        payload = data.draw(payloads, label=endpoint)
        response = client.post(fill(template, values), data=payload)
        assert response.status_code < 500, (endpoint, payload, response.status_code)


# Hostile values: NUL bytes inside text, non-finite and out-of-range numbers, and huge lists of one repeated value,
# put into an otherwise plausible form (so that they get past the "required" checks and reach the services).
PLAUSIBLE = {
    "email": "nobody@example.org", "password": PASSWORD, "confirm": PASSWORD, "current": PASSWORD,
    "display_name": "Fuzz", "title": "Fuzz quiz", "slug": "fuzz-quiz", "stem": "A stem?", "explanation": "Why.",
    "reference": "ref", "tags": "adult", "difficulty": "2", "points": "1", "choices-0-text": "Yes",
    "choices-0-correct": "y", "choices-1-text": "No", "draw-0-bank": "demo", "draw-0-count": "1",
    "pass_percent": "50", "alt": "A picture", "q": "fuzz", "answer": "0", "go": "next", "format": "yaml",
}
NON_FINITE = ["nan", "NaN", "-nan", "sNaN", "inf", "-inf", "+Infinity", "-Infinity", ".inf", "-.inf", "1e999",
              "-1e999", "1e-999", "Infinity%", "1,5e400"]
with_nul = st.tuples(st.text(max_size=20), st.text(max_size=20)).map(lambda parts: "\x00".join(parts))
huge_list = st.tuples(st.sampled_from(["0", "1", "2", "x", "\x00", "nan"]), st.sampled_from([500, 5000])).map(
    lambda value_count: [value_count[0]] * value_count[1]
)
ALL_FIELDS = sorted({*PLAUSIBLE, *FIELDS})
# One hostile value put into some fields, or into every field at once (then each route meets it in what it reads).
hostile_payloads = st.builds(
    lambda fields, value: {**PLAUSIBLE, **dict.fromkeys(fields, value)},
    st.sets(st.sampled_from(ALL_FIELDS), min_size=1, max_size=4) | st.just(ALL_FIELDS),
    st.lists(with_nul, min_size=1, max_size=3) | st.lists(st.sampled_from(NON_FINITE), min_size=1, max_size=2)
    | huge_list,
)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_post_routes_never_500_on_nul_bytes_non_finite_numbers_or_huge_lists(app, fuzz_client, data):
    admin, values = fuzz_client
    anonymous = app.test_client()  # reaches sign-in and registration, which the signed-in admin is sent away from
    for endpoint, template in post_routes(app):
        for who, client in (("admin", admin), ("anonymous", anonymous)):
            payload = data.draw(hostile_payloads, label=f"{endpoint} ({who})")
            response = client.post(fill(template, values), data=payload)
            shown = {name: value[:3] if isinstance(value, list) else value for name, value in payload.items()}
            assert response.status_code < 500, (endpoint, who, shown, response.status_code)
