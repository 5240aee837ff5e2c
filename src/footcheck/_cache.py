"""A small on-disk cache shared by the link checker and the archive client.

SQLite in WAL mode, one table of (namespace, key) -> JSON value with an expiry time.
Several footcheck processes may share one cache file; SQLite's locking serialises the
writers. A cache that cannot be opened, read or written never stops an audit, and
never holds it up either:

* writes leave the caller at once: a writer thread stores them in batches, one
  transaction each, with a short busy timeout. The checker calls ``set`` from its event
  loop, where a write waiting on another process's lock would stall every request in
  flight (a locked file once turned six live links into timeouts);
* reads wait at most ``busy_timeout`` (a WAL reader normally never waits at all);
* when the file stays locked, the cache is switched off for the rest of the run and
  one note says so (``notes``); what this run wrote so far is still read back from
  memory;
* opening retries for a moment, so two processes creating a fresh cache at once both
  get it (switching a new file to WAL needs a lock the other may hold just then).
"""

from __future__ import annotations

import json
import queue
import sqlite3
import threading
import time
import weakref
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
_STOP = object()


def default_cache_dir() -> Path:
    import platformdirs  # imported here: only runs that touch the network need it

    return Path(platformdirs.user_cache_dir("footcheck", appauthor=False))


def _locked(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _connect(path: Path, timeout: float) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=timeout, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(SCHEMA)
    return conn


class _Writer:
    """The thread that stores ``set`` calls; it owns its own connection."""

    def __init__(self, path: Path, timeout: float, on_locked: Any) -> None:
        self._path = path
        self._timeout = timeout
        self._on_locked = on_locked
        self.queue: queue.Queue[Any] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="footcheck-cache-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        failed = False
        while True:
            item = self.queue.get()
            batch = [item]
            while True:  # everything queued meanwhile goes into the same transaction
                try:
                    batch.append(self.queue.get_nowait())
                except queue.Empty:
                    break
            rows = [entry for entry in batch if entry is not _STOP]
            if rows and not failed:
                try:
                    if conn is None:
                        conn = sqlite3.connect(self._path, timeout=self._timeout, isolation_level=None)
                    with conn:
                        conn.execute("BEGIN IMMEDIATE")
                        conn.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?)", rows)
                except sqlite3.Error as exc:
                    failed = True
                    self._on_locked(exc)
            for _ in batch:
                self.queue.task_done()
            if any(entry is _STOP for entry in batch):
                if conn is not None:
                    conn.close()
                return

    def stop(self, timeout: float) -> None:
        if self._thread.is_alive():
            self.queue.put(_STOP)
            self._thread.join(timeout)


class Cache:
    """Namespaced key/value store with per-entry time-to-live."""

    FILENAME = "cache.sqlite3"

    def __init__(
        self,
        directory: Path | None = None,
        *,
        clock: Any = time.time,
        busy_timeout: float = 0.25,
        write_timeout: float = 2.0,
        open_timeout: float = 2.0,
    ) -> None:
        self.directory = directory if directory is not None else default_cache_dir()
        self.path = self.directory / self.FILENAME
        self._clock = clock
        self._busy_timeout = busy_timeout
        self._write_timeout = write_timeout
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._writer: _Writer | None = None
        self._finalizer: weakref.finalize[Any, Any] | None = None
        self._written: dict[tuple[str, str], tuple[str, float]] = {}  # this run's writes
        self._off = False  # switched off after the file stayed locked
        self.error: str | None = None  # why the cache could not be opened
        self.notes: list[str] = []  # said once on stderr by the caller
        deadline = time.monotonic() + open_timeout
        while True:
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                self._conn = _connect(self.path, busy_timeout)
                return
            except sqlite3.OperationalError as exc:
                if _locked(exc) and time.monotonic() < deadline:
                    time.sleep(0.05)  # another process is creating or converting the file
                    continue
                self.error = f"cache disabled: cannot open {self.path}: {exc}"
                return
            except (OSError, sqlite3.Error) as exc:
                self.error = f"cache disabled: cannot open {self.path}: {exc}"
                return

    @property
    def enabled(self) -> bool:
        return self._conn is not None

    def _switch_off(self, exc: sqlite3.Error) -> None:
        with self._lock:
            if self._off:
                return
            self._off = True
            why = "is locked by another process" if _locked(exc) else f"cannot be used ({exc})"
            self.notes.append(f"cache switched off for this run: {self.path} {why}")

    def get(self, namespace: str, key: str) -> Any | None:
        if self._conn is None:
            return None
        with self._lock:
            mine = self._written.get((namespace, key))
            off = self._off
        if mine is not None:
            value, expires_at = mine
        elif off:
            return None
        else:
            try:
                with self._lock:
                    row = self._conn.execute(
                        "SELECT value, expires_at FROM entries WHERE namespace=? AND key=?",
                        (namespace, key),
                    ).fetchone()
            except sqlite3.Error as exc:
                if _locked(exc):
                    self._switch_off(exc)
                return None
            if row is None:
                return None
            value, expires_at = row
        if expires_at <= self._clock():
            return None
        try:
            return json.loads(value)
        except ValueError:
            return None

    def set(self, namespace: str, key: str, value: Any, ttl_seconds: float) -> None:
        """Store ``value``; returns at once (the writer thread does the disk work)."""
        if self._conn is None or ttl_seconds <= 0:
            return
        now = self._clock()
        text = json.dumps(value, ensure_ascii=False)
        with self._lock:
            self._written[(namespace, key)] = (text, now + ttl_seconds)
            if self._off:
                return
            if self._writer is None:
                self._writer = _Writer(self.path, self._write_timeout, self._switch_off)
                self._finalizer = weakref.finalize(self, self._writer.stop, self._write_timeout + 1.0)
            writer = self._writer
        writer.queue.put((namespace, key, text, now, now + ttl_seconds))

    def flush(self) -> None:
        """Wait until every write so far is stored (or the cache switched off)."""
        writer = self._writer
        if writer is not None:
            writer.queue.join()

    def clear(self, namespace: str | None = None) -> int:
        """Remove entries (all, or one namespace); returns how many were removed."""
        if self._conn is None:
            return 0
        self.flush()
        with self._lock:
            self._written.clear()
            self._conn.execute(f"PRAGMA busy_timeout={int(self._write_timeout * 1000)}")
            if namespace is None:
                cur = self._conn.execute("DELETE FROM entries")
            else:
                cur = self._conn.execute("DELETE FROM entries WHERE namespace=?", (namespace,))
            return cur.rowcount

    def close(self) -> None:
        if self._finalizer is not None:
            self._finalizer()  # stops the writer after it has stored what was queued
            self._finalizer = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None
