"""E-mail addresses and display names: NFKC normal form, look-alike (mixed-script) addresses, hidden controls."""

import pytest

from quizapp.accounts import identity


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Ada@Example.ORG ", "ada@example.org"),
        ("ａｄａ@ｅｘａｍｐｌｅ.ｏｒｇ", "ada@example.org"),  # fullwidth
        ("\U0001d41a\U0001d41d\U0001d41a@example.org", "ada@example.org"),  # mathematical bold
        ("ﬁnn@example.org", "finn@example.org"),  # the fi ligature
        ("STRASSE@example.org", "strasse@example.org"),
        ("Straße@example.org", "strasse@example.org"),
    ],
)
def test_addresses_have_one_normal_form(typed, stored):
    assert identity.normalise_email(typed) == stored


@pytest.mark.parametrize(
    "email",
    [
        "p\u0430ypal@example.org",  # Cyrillic a
        "\u0391da@example.org",  # Greek capital alpha
        "ada@ex\u0430mple.org",  # a Cyrillic letter in a domain label
    ],
)
def test_mixed_script_addresses_are_refused(email):
    assert "alphabets" in identity.email_problem(email)


@pytest.mark.parametrize(
    "email",
    ["ada@example.org", "zoë.o'brien+cpr@example.org", "иван@пример.рф", "δοκιμή@example.org", "山田たろう@example.jp",
     "홍길동@example.kr", "ﬁnn@example.org", "user42@example.org"],
)
def test_single_script_and_usual_mixes_are_accepted(email):
    assert identity.email_problem(email) is None


@pytest.mark.parametrize(
    "name",
    ["Ada\u202eecalvol", "Ada\u2066x\u2069", "Ada\u200fL", "Ada\nAdmin", "Ada\rAdmin", "Ada\tL", "Ada\u2028L",
     "Ada\x85L", "Ada\u200bL", "Ada\ufeffL"],
)
def test_names_with_direction_controls_or_line_breaks_are_refused(name):
    assert identity.name_problem(name)


@pytest.mark.parametrize("name", ["Ada Lovelace", "Zoë O'Brien", "محمد", "ज़्‍योति", "李小龙", "👩‍⚕️ Sam"])
def test_ordinary_names_are_accepted(name):
    assert identity.name_problem(name) is None
