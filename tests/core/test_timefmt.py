"""Times in the reader's time zone, or in UTC with the zone named (pure: no app)."""

import re
from datetime import datetime

import pytest

from quizapp import timefmt
from tests.conftest import PROJECT

WINTER = datetime(2026, 12, 5, 14, 5)
SUMMER = datetime(2026, 7, 5, 14, 5)


@pytest.mark.parametrize(
    ("zone", "when", "text"),
    [
        (None, WINTER, "05 Dec 2026 14:05 UTC"),
        ("UTC", WINTER, "05 Dec 2026 14:05 UTC"),
        ("Europe/Paris", WINTER, "05 Dec 2026 15:05 CET"),
        ("Europe/Paris", SUMMER, "05 Jul 2026 16:05 CEST"),
        ("America/New_York", WINTER, "05 Dec 2026 09:05 EST"),
        ("Asia/Kolkata", WINTER, "05 Dec 2026 19:35 IST"),
        ("America/Sao_Paulo", WINTER, "05 Dec 2026 11:05 UTC-03:00"),
        ("Asia/Kathmandu", WINTER, "05 Dec 2026 19:50 UTC+05:45"),
        ("Mars/Olympus_Mons", WINTER, "05 Dec 2026 14:05 UTC"),
    ],
)
def test_local_text_names_the_zone(zone, when, text):
    assert timefmt.local_text(when, zone) == text


@pytest.mark.parametrize(
    "name",
    ["", "   ", "Bogus/Zone", "../../etc/passwd", "/etc/localtime", "Europe/Paris\x00", "x" * 500, "europe/x", None],
)
def test_unknown_or_hostile_zone_names_are_refused(name):
    assert timefmt.known_zone(name) is None


@pytest.mark.parametrize("name", ["Europe/Paris", "America/Argentina/Buenos_Aires", "UTC", "Asia/Calcutta"])
def test_browser_zone_names_are_known(name):
    assert timefmt.known_zone(name) == name
    assert timefmt.known_zone(f"  {name} ") == name


def test_time_tag_keeps_the_utc_instant_for_machines():
    tag = timefmt.time_tag(WINTER, "Europe/Paris")
    assert tag == '<time datetime="2026-12-05T14:05:00Z">05 Dec 2026 15:05 CET</time>'
    assert timefmt.time_tag(None, "Europe/Paris") == ""


def test_every_template_shows_times_through_the_one_filter():
    """No template formats a time itself: each uses `|local_time`, so the viewer's zone is never forgotten."""
    offenders = [
        str(path.relative_to(PROJECT))
        for path in (PROJECT / "templates").rglob("*.html")
        if re.search(r"strftime|isoformat\(", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    assert "|local_time" in (PROJECT / "templates" / "catalog" / "history.html").read_text(encoding="utf-8")
