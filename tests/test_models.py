"""Model helpers."""

from quizapp.models.attempt import public_id_from


def test_public_ids_never_start_with_a_formula_trigger():
    assert public_id_from(b"\xfb" + bytes(15))[0].isalnum()  # base64 of 0xfb starts with "-"
    assert public_id_from(b"\xff" * 16)[0].isalnum()  # starts with "_"
    assert len(public_id_from(bytes(16))) == 22
