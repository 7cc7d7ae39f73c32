"""XSS corpus through a learner's name and through every authored text field of a question."""

from html.parser import HTMLParser

import pytest

from tests.conftest import PASSWORD, import_paths, login, make_user
from tests.taking.helpers import start

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<svg onload="alert(1)"></svg>',
    '<iframe src="https://evil.example/"></iframe>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<a href="javascript:alert(1)">x</a>',
]
BAD_TAGS = {"iframe", "object", "embed", "math", "foreignobject"}  # the app draws its own charts as inline SVG


class MarkupAudit(HTMLParser):
    """Collect live markup that could run script: escaped text is harmless and ignored."""

    def __init__(self):
        """Start with no findings."""
        super().__init__()
        self.findings: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        """Check one element and its attributes."""
        if tag == "script":
            self.scripts += 1
        if tag in BAD_TAGS:
            self.findings.append(tag)
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or (name == "style" and tag != "progress"):
                self.findings.append(f"{tag}[{name}]")
            if name in ("href", "src") and value.startswith(("javascript:", "data:text", "vbscript:")):
                self.findings.append(f"{tag}[{name}={value[:20]}]")


def clean(page: str) -> bool:
    """Whether the page holds no script-capable markup beyond the app's own one script tag."""
    audit = MarkupAudit()
    audit.feed(page)
    return not audit.findings and audit.scripts == 1


@pytest.mark.parametrize("payload", PAYLOADS)
def test_learner_name_is_escaped_on_admin_pages(app, auth, payload):
    make_user(app, "victim@example.org", name=payload)
    client = auth.sign_in("admin")
    page = client.get("/admin/users?q=victim").get_data(as_text=True)
    assert "victim@example.org" in page and clean(page)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_authored_fields_are_sanitised_for_learners(app, client, tmp_path, payload):
    quoted = payload.replace('"', '\\"')
    bank = tmp_path / "xss.yaml"
    bank.write_text(f'''format: quizapp-bank/1
bank: xss
title: XSS
topic: xss
level: lay
references: {{ref: "R"}}
questions:
  - key: xss-001
    type: single
    shuffle: false
    stem: "Stem {quoted}"
    choices:
      - {{text: "Right {quoted}", correct: true, feedback: "Yes {quoted}"}}
      - {{text: "Wrong", feedback: "Feedback {quoted}"}}
    explanation: "Because {quoted}"
    reference: ref
''')
    quiz = tmp_path / "quiz.yaml"
    quiz.write_text("format: quizapp-quizzes/1\nquizzes:\n  - slug: xss-quiz\n    title: XSS\n"
                    "    draw: [{bank: xss, count: 1}]\n")
    import_paths(app, bank, quiz)
    make_user(app)
    login(client, "learner@example.org", PASSWORD)
    pid = start(client, "xss-quiz")
    assert clean(client.get(f"/attempts/{pid}/questions/1").get_data(as_text=True))
    client.post(f"/attempts/{pid}/questions/1", data={"answer": "0", "go": "next"})
    client.post(f"/attempts/{pid}/submit")
    assert clean(client.get(f"/attempts/{pid}/result").get_data(as_text=True))
