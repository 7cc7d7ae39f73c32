"""The ceiling: a minimal Flask app serving a static HTML page as large as the question page."""

import os

from flask import Flask

SIZE = int(os.environ.get("BENCH_PAGE_BYTES", "10000"))
HEAD = b"<!doctype html><html lang=en><head><meta charset=utf-8><title>Baseline</title></head><body><p>"
TAIL = b"</p></body></html>\n"
PAGE = HEAD + b"x" * max(0, SIZE - len(HEAD) - len(TAIL)) + TAIL

app = Flask(__name__)


@app.get("/")
def page():
    """Return the static page."""
    return PAGE, 200, {"Content-Type": "text/html; charset=utf-8"}


@app.post("/")
def save():
    """Return a small JSON body, like the autosave answer."""
    return {"saved": True}
