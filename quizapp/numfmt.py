"""The one way a score, a percent or a points figure is shown to people (pure: no app)."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

NOISE_DIGITS = 9


def number(value: float | int | None, digits: int = 2, pad: bool = False) -> str:
    """Show a number with at most `digits` decimals, cut down, never rounded up; `pad` keeps trailing zeros."""
    if value is None:
        return "—"
    # Cutting down keeps every shown figure on the same side of a mark as the real one: 79.996% shows as
    # 79.99%, never as an 80% that would read as meeting an 80% mark.
    # Float noise is rounded away first (100 * 0.57 is 56.99999999999999, a mean summed in another order may land a
    # hair under its true value), so cutting never turns a true 57% into 56.99%.
    cut = Decimal(str(round(value, NOISE_DIGITS))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_DOWN)
    if cut == 0:
        cut = abs(cut)  # never "-0"
    text = f"{cut:f}"
    # `pad` keeps exactly `digits` decimals so that report table columns line up.
    if pad or "." not in text:
        return text
    return text.rstrip("0").rstrip(".")
