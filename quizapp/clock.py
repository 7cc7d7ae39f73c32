"""The server's clock: naive UTC datetimes, in one place so tests can freeze time."""

from datetime import UTC, datetime


def now() -> datetime:
    """Return the current time as a naive UTC datetime (what the database stores)."""
    return datetime.now(UTC).replace(tzinfo=None)
