"""The admin's outbox page: each message with its state, and the message itself."""

from tests.mail.test_sending import send_one


def test_admins_read_the_outbox_and_each_message(app, admin):
    send_one(app, to="kim@example.org")
    page = admin.get("/admin/outbox")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "kim@example.org" in html and "Your CPR practice" in html and "sent" in html and "console" in html
    detail = admin.get("/admin/outbox/1").get_data(as_text=True)
    assert "Plain: practise today." in detail and "&lt;p&gt;HTML: practise today.&lt;/p&gt;" in detail


def test_the_page_never_shows_the_mail_servers_password(make_app, auth):
    app = make_app(MAIL_URL="smtp://me:hunter2secret@mail.example.org:587")
    client = app.test_client()
    auth.sign_in("admin", client=client)
    html = client.get("/admin/outbox").get_data(as_text=True)
    assert "smtp://mail.example.org:587" in html and "hunter2secret" not in html


def test_an_unknown_message_is_not_found(admin):
    assert admin.get("/admin/outbox/999").status_code == 404
