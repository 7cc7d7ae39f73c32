"""Computed reports kept in this worker's memory while the quiz's finished attempts stay the same.

Each entry is stored with a validity stamp (a cheap query: how many attempts are finished and when the last was
submitted). A new submission changes the stamp, so the next request recomputes. Nothing here is shared between
workers, and nothing needs to be: a second worker simply computes its own copy.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app

MAX_ENTRIES = 64  # quizzes x attempt modes x report kinds; each entry is a few hundred kilobytes at most
_EXTENSION_KEY = "quizapp.report_cache"


class ReportCache:
    """A small least-recently-used map of key -> (stamp, value), safe to use from several threads."""

    def __init__(self, max_entries: int = MAX_ENTRIES):
        """Start empty."""
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[Hashable, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, stamp: Hashable) -> tuple[bool, Any]:
        """Return (True, value) when the entry exists and was computed under the same stamp."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != stamp:
                return False, None
            self._entries.move_to_end(key)
            return True, entry[1]

    def put(self, key: Hashable, stamp: Hashable, value: Any) -> None:
        """Store a value under its stamp, dropping the least recently used entry when full."""
        with self._lock:
            self._entries[key] = (stamp, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._entries.clear()


def cache() -> ReportCache:
    """Return the current app's cache (one per app, so test apps never see each other's entries)."""
    return current_app.extensions.setdefault(_EXTENSION_KEY, ReportCache())


def get_or_compute(key: Hashable, stamp: Hashable, compute: Callable[[], Any]) -> Any:
    """Return the cached value for key if its stamp still matches, else compute, store and return it."""
    store = cache()
    found, value = store.get(key, stamp)
    if found:
        return value
    # Computed outside the lock: two threads may both compute the same report once, which is harmless.
    value = compute()
    store.put(key, stamp, value)
    return value
