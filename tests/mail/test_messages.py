"""Building a message (pure): both parts, and the headers a mail reader and a spam filter expect."""

from datetime import datetime

from quizapp.mail import messages


def test_a_message_has_a_plain_text_part_then_an_html_part_and_its_headers():
    message_id = messages.new_message_id("CPR quiz <quiz@example.org>")
    built = messages.build(
        "CPR quiz <quiz@example.org>", "lee@example.org", "Hello", "Plain words", "<p>Rich words</p>", message_id,
        datetime(2026, 2, 28, 13, 5),
    )
    assert built.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in built.iter_parts()] == ["text/plain", "text/html"]
    assert built.get_body(("plain",)).get_content().strip() == "Plain words"
    assert built.get_body(("html",)).get_content().strip() == "<p>Rich words</p>"
    assert (built["From"], built["To"], built["Subject"]) == ("CPR quiz <quiz@example.org>", "lee@example.org", "Hello")
    assert built["Message-ID"] == message_id and message_id.endswith("@example.org>")
    assert built["Date"] == "Sat, 28 Feb 2026 13:05:00 +0000"


def test_message_ids_are_unique():
    assert len({messages.new_message_id("quiz@example.org") for _ in range(50)}) == 50
