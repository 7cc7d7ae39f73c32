"""An LMS launch in a real browser: the platform's pages, the OIDC login, the quiz by keyboard, the score posted back.

The platform is the tests' own (tests/lti/platform.py) on loopback: its /start page posts the login initiation to
quizapp, quizapp sends the browser to the platform's /auth, whose page posts the signed id_token back. The grade job
runs in the live server as in development (no broker), so the platform's score endpoint receives the score.
"""

from __future__ import annotations

import re

import pytest

from quizapp.lti import claims as c
from tests.browser import support
from tests.browser.test_keyboard import answer_all_and_submit, button
from tests.lti.conftest import register
from tests.lti.platform import Platform, serve

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture
def lms(live_app, base_url):
    """The learning platform on loopback, registered with the live app, launching into the short quiz."""
    played = Platform(tool=base_url)
    server = serve(played)
    played.launch_claims = {"sub": f"browser-{played.base[-5:]}", c.CUSTOM: {"quiz": "browser-short"}}
    register(live_app, played)
    yield played
    server.shutdown()
    server.server_close()


def test_launch_take_the_quiz_by_keyboard_and_the_score_reaches_the_platform(new_context, live_app, lms):
    page = new_context().new_page()
    page.goto(lms.url("/start"))  # the platform's page: the browser follows the login and the launch by itself
    page.wait_for_url(re.compile(r"/quizzes/browser-short$"))
    expect(page.get_by_role("link", name="Password")).to_have_count(0)  # a launched learner has no password
    support.tab_until(page, button("Start the quiz"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/questions/1")
    answer_all_and_submit(page, live_app)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your result: 100%")
    [score] = lms.requests_to("/lineitems/1/scores")
    body = score.json()
    assert (body["userId"], body["scoreGiven"], body["scoreMaximum"]) == (lms.launch_claims["sub"], 100.0, 100)
    assert (body["activityProgress"], body["gradingProgress"]) == ("Completed", "FullyGraded")
    assert [r.path for r in lms.received if r.method == "GET"][:2] == ["/start", "/auth"]
