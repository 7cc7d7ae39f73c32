"""Verification codes: unguessable (at least 80 bits from `secrets`), readable, found in any case (pure)."""

from __future__ import annotations

import re

from quizapp.credentials import codes


def test_codes_carry_at_least_80_bits():
    assert codes.BITS >= 80


def test_the_alphabet_has_no_look_alikes():
    assert not set("01OILU") & set(codes.ALPHABET) and len(set(codes.ALPHABET)) == len(codes.ALPHABET)


def test_new_codes_use_the_alphabet_and_do_not_repeat():
    made = {codes.new_code() for _ in range(5000)}
    assert len(made) == 5000
    assert all(re.fullmatch(f"[{codes.ALPHABET}]{{18}}", code) for code in made)


def test_every_symbol_turns_up():
    """Drawn from the whole alphabet (a generator stuck on part of it would show here)."""
    assert set("".join(codes.new_code() for _ in range(500))) == set(codes.ALPHABET)


def test_grouped_and_normalised_round_trip():
    code = codes.new_code()
    shown = codes.grouped(code)
    assert re.fullmatch(r"\w{6}-\w{6}-\w{6}", shown)
    assert codes.normalise(shown) == code
    assert codes.normalise(f"  {shown.lower()}  ") == code
    assert codes.normalise(shown.replace("-", " ")) == code


def test_normalise_bounds_what_it_passes_on():
    assert len(codes.normalise("a" * 10_000)) == 64 and codes.normalise("") == ""
