"""Where incidentmap keeps its caches, and a small persistent cache for online answers.

The cache directory is ``$INCIDENTMAP_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/incidentmap``,
else ``~/.cache/incidentmap``; every function that writes takes an explicit ``cache_dir`` too.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

from incidentmap.geo.paths import default_cache_dir

__all__ = ["default_cache_dir", "ResponseCache"]

logger = logging.getLogger(__name__)


class ResponseCache:
    """A key -> JSON value store in one SQLite file, for answers of online geocoders.

    Keys are built by the caller from the service, the normalised query and the filters,
    so that the same question is never sent twice. Values must be JSON-serialisable;
    ``None`` (the service knew nothing) is cached too.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._connection = sqlite3.connect(self.path, check_same_thread=False)
            self._connection.execute(
                "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
        return self._connection

    _MISSING = object()

    def get(self, key: str, default: Any = _MISSING) -> Any:
        """The cached value, or ``default`` (``KeyError`` if no default is given)."""
        with self._lock:
            row = (
                self._connect()
                .execute("SELECT value FROM answers WHERE key = ?", (key,))
                .fetchone()
            )
        if row is None:
            if default is self._MISSING:
                raise KeyError(key)
            return default
        return json.loads(row[0])

    def __contains__(self, key: str) -> bool:
        return self.get(key, None) is not None or self._has(key)

    def _has(self, key: str) -> bool:
        with self._lock:
            row = self._connect().execute("SELECT 1 FROM answers WHERE key = ?", (key,)).fetchone()
        return row is not None

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` (JSON) under ``key``, replacing an older answer."""
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        with self._lock:
            connection = self._connect()
            connection.execute(
                "INSERT OR REPLACE INTO answers (key, value) VALUES (?, ?)", (key, text)
            )
            connection.commit()

    def close(self) -> None:
        """Close the database file."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def __len__(self) -> int:
        with self._lock:
            return self._connect().execute("SELECT COUNT(*) FROM answers").fetchone()[0]
