"""The site's fixed links (header, footer, assets), built once per worker and application root instead of per page."""

from __future__ import annotations

from functools import lru_cache

from flask import request, url_for


def link(endpoint: str, filename: str | None = None) -> str:
    """Return `url_for(endpoint)` (or a static file's) for a route without arguments: the same on every page."""
    return _built(request.script_root, endpoint, filename)


@lru_cache(maxsize=128)
def _built(_script_root: str, endpoint: str, filename: str | None) -> str:
    """Build the link once for each application root (the cache key; url_for reads the root from the request)."""
    return url_for(endpoint, filename=filename) if filename else url_for(endpoint)
