"""Fixtures for the xAPI tests: the learning record store on loopback and an app that reports to it."""

from __future__ import annotations

import pytest

from tests.lti.conftest import platform  # noqa: F401 - the learning platform on loopback, for launched learners
from tests.xapi.lrs import KEY, SECRET, Store, serve

SITE = "https://quiz.hospital.example"


@pytest.fixture
def lrs():
    """A learning record store on loopback, empty."""
    store = Store()
    server = serve(store)
    yield store
    server.shutdown()
    server.server_close()


def xapi_settings(store: Store, **changes) -> dict:
    """Return the app settings that send statements to `store`."""
    return {"XAPI_ENDPOINT": store.base, "XAPI_KEY": KEY, "XAPI_SECRET": SECRET, "XAPI_SITE": SITE, **changes}


@pytest.fixture
def reporting(make_app, demo, lrs):
    """An app (no broker: jobs run at once, as in development) that sends statements to the LRS."""
    return make_app(**xapi_settings(lrs))
