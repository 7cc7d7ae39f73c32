"""The header's fixed links, built once per worker, follow the application root the request comes under."""

from __future__ import annotations

from flask import url_for


def test_fixed_links_follow_the_application_root(app, client):
    with app.test_request_context("/"):
        login, css = url_for("auth.login"), url_for("static", filename="css/app.css")
    plain = client.get("/").get_data(as_text=True)
    assert f'href="{login}"' in plain and f'href="{css}"' in plain
    mounted = client.get("/", base_url="http://localhost/cpr").get_data(as_text=True)
    assert f'href="/cpr{login}"' in mounted and f'href="/cpr{css}"' in mounted
    assert f'href="{login}"' not in mounted
    again = client.get("/").get_data(as_text=True)
    assert f'href="{login}"' in again and "/cpr/" not in again
