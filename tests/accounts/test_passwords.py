"""accounts.passwords: why a password is too weak, in the words the sign-up form and the CLI show."""

from __future__ import annotations

import pytest

from quizapp.accounts import passwords

COMMON = "That password is too common; choose another."
EMAIL = "The password must not contain your email address."
VARIETY = "The password needs more variety than that."


@pytest.mark.parametrize(
    ("password", "email", "message"),
    [
        ("password123", "", COMMON),
        ("PassWord123", "", COMMON),  # compared case-insensitively
        ("letmein", "lee@example.org", COMMON),
        ("my-lee.learner-pass", "Lee.Learner@example.org", EMAIL),
        ("xxLEARxx-2024", "lear@example.org", EMAIL),  # four letters before the @ are enough
        ("aaaaaaaaaaaa", "", VARIETY),
        ("abcabcabcabc", "", VARIETY),  # three different characters
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password, email, message):
    assert passwords.weakness(password, email) == message


@pytest.mark.parametrize(
    ("password", "email"),
    [
        ("correct horse battery", "lee@example.org"),
        ("abcdabcdabcd", ""),  # four different characters
        ("bob-was-here-99", "bob@example.org"),  # a local part under four characters is not looked for
    ],
)
def test_acceptable_passwords_pass(password, email):
    assert passwords.weakness(password, email) is None


def test_the_common_list_is_lower_case_without_comments_or_blanks():
    common = passwords.common_passwords()
    assert len(common) > 5000 and "password" in common and "qwerty123" in common
    assert all(entry and entry == entry.lower() for entry in common)
    assert not any(entry.startswith("#") for entry in common)
