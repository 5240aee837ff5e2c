"""A small on-disk cache shared by the link checker and the archive client.

SQLite in WAL mode, one table of (namespace, key) -> JSON value with an expiry time.
Several footcheck processes may share one cache file: SQLite's locking serialises the
writers, and a busy timeout makes a concurrent run wait instead of failing. A cache
that cannot be opened or written never stops an audit: it degrades to no cache.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    stored_at REAL NOT NULL,
    expires_at REAL NOT NULL,
    PRIMARY KEY (namespace, key)
)
"""


def default_cache_dir() -> Path:
    import platformdirs  # imported here: only runs that touch the network need it

    return Path(platformdirs.user_cache_dir("footcheck", appauthor=False))


class Cache:
    """Namespaced key/value store with per-entry time-to-live."""

    FILENAME = "cache.sqlite3"

    def __init__(self, directory: Path | None = None, *, clock: Any = time.time) -> None:
        self.directory = directory if directory is not None else default_cache_dir()
        self.path = self.directory / self.FILENAME
        self._clock = clock
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self.error: str | None = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(SCHEMA)
            conn.commit()
            self._conn = conn
        except (OSError, sqlite3.Error) as exc:
            self.error = f"cache disabled: cannot open {self.path}: {exc}"

    @property
    def enabled(self) -> bool:
        return self._conn is not None

    def get(self, namespace: str, key: str) -> Any | None:
        if self._conn is None:
            return None
        try:
            with self._lock:
                row = self._conn.execute(
                    "SELECT value, expires_at FROM entries WHERE namespace=? AND key=?",
                    (namespace, key),
                ).fetchone()
        except sqlite3.Error:
            return None
        if row is None or row[1] <= self._clock():
            return None
        try:
            return json.loads(row[0])
        except ValueError:
            return None

    def set(self, namespace: str, key: str, value: Any, ttl_seconds: float) -> None:
        if self._conn is None or ttl_seconds <= 0:
            return
        now = self._clock()
        try:
            with self._lock:
                self._conn.execute(
                    "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?)",
                    (namespace, key, json.dumps(value, ensure_ascii=False), now, now + ttl_seconds),
                )
                self._conn.commit()
        except sqlite3.Error:
            pass  # a full disk or a locked file costs a re-check next time, nothing more

    def clear(self, namespace: str | None = None) -> int:
        """Remove entries (all, or one namespace); returns how many were removed."""
        if self._conn is None:
            return 0
        with self._lock:
            if namespace is None:
                cur = self._conn.execute("DELETE FROM entries")
            else:
                cur = self._conn.execute("DELETE FROM entries WHERE namespace=?", (namespace,))
            self._conn.commit()
            return cur.rowcount

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
