"""The parts a question's content is made of, shared by the question types and the bank schema (pydantic v2)."""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

Text = Annotated[str, Field(min_length=1, max_length=20_000)]


class Strict(BaseModel):
    """Base model: unknown fields are errors, strings are stripped, numbers are finite (no .nan, .inf)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


class Choice(Strict):
    """One option of a choice question, or one item of an ordering question."""

    text: Text
    correct: bool = False
    feedback: str | None = None
    # Moodle's per-choice fraction in percent (single and multiple only; see docs/qtypes.md). Left out of the
    # stored content when unset, so versions from before the field keep their content hash.
    weight: float | None = Field(default=None, ge=-100, le=100, exclude_if=lambda weight: weight is None)


class Interval(Strict):
    """A numeric interval: value +/- tolerance, or an inclusive [min, max] range."""

    value: float | None = None
    tolerance: float = Field(default=0, ge=0)
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Interval:
        """Require exactly one of value or min/max."""
        has_range = self.min is not None or self.max is not None
        if self.value is None and not has_range:
            raise ValueError("give either value (with optional tolerance) or min and max")
        if self.value is not None and has_range:
            raise ValueError("give either value or min/max, not both")
        if has_range and (self.min is None or self.max is None):
            raise ValueError("a range needs both min and max")
        if has_range and self.min > self.max:
            raise ValueError("min must not be greater than max")
        if not all(math.isfinite(bound) for bound in self.bounds()):
            raise ValueError("value plus or minus tolerance must stay a finite number")
        return self

    def bounds(self) -> tuple[float, float]:
        """Return the inclusive accepted interval."""
        if self.value is not None:
            return self.value - self.tolerance, self.value + self.tolerance
        return self.min, self.max


class PartialRange(Interval):
    """Another accepted interval of a numeric key, worth `credit` percent, with its own feedback (Moodle's answers)."""

    credit: float = Field(ge=0, le=100)
    feedback: str | None = None


class NumericAnswer(Interval):
    """A numeric key: value +/- tolerance, or an inclusive [min, max] range, and any partial-credit ranges."""

    unit: str | None = None
    # Left out of the stored content when empty, so versions from before the field keep their content hash.
    partial: list[PartialRange] = Field(default=[], max_length=12, exclude_if=lambda ranges: not ranges)
