"""Authored Markdown shows only images uploaded here: any other image address becomes a plain link."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import AuditEvent
from quizapp.textfmt import markdown, markdown_inline
from tests.authoring.helpers import read_form
from tests.conftest import login, make_user

SHA = "0123456789abcdef" * 4
EXPORT = "/admin/exports/download?dataset=attempts&format=csv"


def test_an_uploaded_image_is_shown():
    assert f'<img src="/media/{SHA}.png" alt="A mask">' in markdown(f"![A mask](/media/{SHA}.png)")


@pytest.mark.parametrize(
    "src",
    [
        EXPORT,
        "/admin/exports",
        "https://tracker.example/pixel.png",
        f"//evil.example/media/{SHA}.png",
        f"/media/{SHA}.png?dataset=attempts",
        f"/media/../admin/{SHA}.png",
        f"/media/{SHA}.svg",
    ],
)
def test_any_other_image_becomes_a_link_and_no_image(src):
    for render in (markdown, markdown_inline):
        html = render(f"![Chart]({src}) after")
        assert "<img" not in html and ">Chart</a> after" in html


def test_an_image_without_alt_text_shows_its_address():
    html = markdown(f"![]({EXPORT})")
    assert "<img" not in html and ">/admin/exports/download?dataset=attempts&amp;format=csv</a>" in html


def test_an_admin_previewing_a_question_with_an_export_image_runs_no_export(app, instructor):
    fields = read_form(instructor.get("/author/questions/demo-tf/edit").get_data(as_text=True))
    response = instructor.post("/author/questions/demo-tf/edit", data={**fields, "stem": f"Look ![]({EXPORT})"})
    assert response.status_code == 303
    make_user(app, "root@example.org", role="admin", name="Root Admin")
    admin = app.test_client()
    login(admin, "root@example.org")
    page = admin.get("/author/questions/demo-tf/preview").get_data(as_text=True)
    assert "Look" in page and f'src="{EXPORT}' not in page and "<img" not in page.split("Look", 1)[1].split("</p>")[0]
    assert admin.get(EXPORT).status_code == 303  # even if a browser fetched the address, it exports nothing
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "export")) == 0
