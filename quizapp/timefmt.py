"""Times as a reader reads them: in their own time zone, or in UTC with the zone named (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from markupsafe import Markup


@cache
def _zones() -> frozenset[str]:
    """Return every IANA zone name this machine's zoneinfo knows (read once)."""
    return frozenset(available_timezones())


def known_zone(name: str | None) -> str | None:
    """Return the name when zoneinfo knows it as a time zone (what a browser's Intl reports), else None."""
    name = (name or "").strip()
    return name if name in _zones() else None


def zone_label(local: datetime) -> str:
    """Name the zone of an aware time: its abbreviation ("CET", "UTC") or, when it has none, "UTC+05:30"."""
    name = local.tzname() or ""
    if name[:1].isalpha():
        return name
    offset = local.strftime("%z") or "+0000"
    return f"UTC{offset[:3]}:{offset[3:5]}"


def local_text(value: datetime, zone: str | None) -> str:
    """Return a stored naive-UTC time as '05 Dec 2026 15:05 CET' in the zone (UTC when the zone is unknown)."""
    known = known_zone(zone)
    local = value.replace(tzinfo=UTC).astimezone(ZoneInfo(known) if known else UTC)
    return f"{local:%d %b %Y %H:%M} {zone_label(local)}"


def time_tag(value: datetime | None, zone: str | None) -> Markup:
    """Return a <time> element: the UTC instant for machines, the local text with its zone for people."""
    if value is None:
        return Markup("")
    instant = value.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    return Markup('<time datetime="{}">{}</time>').format(instant, local_text(value, zone))


def age_text(then: datetime, now: datetime) -> str:
    """Say how long ago a time was, in the largest whole unit: "just now", "5 minutes ago", "2 days ago"."""
    seconds = max(0, int((now - then).total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"


def day_tag(day: date) -> Markup:
    """Return a calendar day (a card's expiry, a certificate's date: no zone to convert) as a <time> element."""
    return Markup('<time datetime="{}">{:%d %b %Y}</time>').format(day.isoformat(), day)
