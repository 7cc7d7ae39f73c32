"""Located validation errors for bank, quiz and track files."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileError:
    """One problem in one file: where it is (line, question key, field) and what is wrong."""

    file: str
    message: str
    line: int | None = None
    key: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        """Render as `file:line: key: field: message`, leaving out what is unknown."""
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [where] + [p for p in (self.key, self.field) if p] + [self.message]
        return ": ".join(parts)


class BankFileError(Exception):
    """A file (or set of files) failed validation; nothing from it may be imported."""

    def __init__(self, errors: list[FileError]):
        """Keep every error, in file order."""
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


MAX_ERRORS = 100


@dataclass(frozen=True)
class MoreErrors(FileError):
    """Stands, at the end of a capped list, for the errors left out."""

    more: int = 0


def capped(errors: list[FileError], limit: int = MAX_ERRORS) -> list[FileError]:
    """Keep the first `limit` errors and say how many more there are (a page of 100,000 errors helps nobody)."""
    shown = [e for e in errors if not isinstance(e, MoreErrors)]
    # total() counts the errors a capped list left out, so capping it again keeps that count.
    more = total(errors) - min(len(shown), limit)
    if not more:
        return errors
    word = "error" if more == 1 else "errors"
    return [*shown[:limit], MoreErrors(errors[-1].file, f"and {more} more {word}", more=more)]


def total(errors: list[FileError]) -> int:
    """Count the errors, including those a capped list left out."""
    return sum(e.more if isinstance(e, MoreErrors) else 1 for e in errors)
