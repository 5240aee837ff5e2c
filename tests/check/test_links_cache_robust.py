"""The cache never holds up a run: a file locked by another process, two processes
creating a fresh cache at the same moment."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from check_servers import Site, html

from footcheck._cache import Cache
from footcheck.check.cache import NAMESPACE, cache_key
from footcheck.model import LinkStatus

# Holds the cache file's write lock until its standard input closes (another footcheck
# in the middle of a long write, a `cache clear`, a backup tool).
_LOCKER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
conn.execute("DELETE FROM entries WHERE namespace='nothing'")
print("locked", flush=True)
sys.stdin.read()
"""


def test_a_locked_cache_does_not_stall_the_check(site: Site, check, tmp_path: Path) -> None:
    urls = [site.page(f"/live/{i}", html(f"Живая страница {i}")) for i in range(6)]
    Cache(tmp_path).close()  # the file exists, as after an earlier run
    locker = subprocess.Popen(
        [sys.executable, "-c", _LOCKER, str(tmp_path / Cache.FILENAME)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
        cache = Cache(tmp_path)
        started = time.monotonic()
        results = check(urls, cache=cache)
        elapsed = time.monotonic() - started
        cache.close()
    finally:
        locker.communicate("", timeout=10)
    assert {r.status for r in results.values()} == {LinkStatus.OK}  # not timeouts
    assert elapsed < 3.0, elapsed  # was 6 x 30 s of busy waiting inside the event loop
    assert len(cache.notes) == 1 and "locked by another process" in cache.notes[0]


def test_writes_do_not_wait_for_the_disk(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    started = time.monotonic()
    for i in range(200):
        cache.set("links", f"k{i}", {"i": i}, 60)
    assert time.monotonic() - started < 0.5
    assert cache.get("links", "k199") == {"i": 199}  # read back before it reached the disk
    cache.close()
    again = Cache(tmp_path)
    assert again.get("links", "k0") == {"i": 0} and again.get("links", "k199") == {"i": 199}
    again.close()


_CREATOR = """
import json, sys, time
from pathlib import Path
from footcheck._cache import Cache
start = float(sys.argv[2])
while time.time() < start:
    time.sleep(0.001)
cache = Cache(Path(sys.argv[1]))
cache.set("links", sys.argv[3], {"who": sys.argv[3]}, 60)
cache.close()
print(json.dumps({"error": cache.error, "notes": cache.notes}))
"""


def test_two_processes_creating_a_fresh_cache_both_work(tmp_path: Path) -> None:
    for attempt in range(3):  # three fresh directories: the race has three chances to bite
        directory = tmp_path / f"fresh{attempt}"
        start = time.time() + 1.0
        children = [
            subprocess.Popen(
                [sys.executable, "-c", _CREATOR, str(directory), str(start), name],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            for name in ("first", "second")
        ]
        for child in children:
            out, err = child.communicate(timeout=30)
            assert child.returncode == 0, err
            assert json.loads(out) == {"error": None, "notes": []}
        cache = Cache(directory)
        assert cache.get("links", "first") == {"who": "first"}
        assert cache.get("links", "second") == {"who": "second"}
        cache.close()


def test_link_results_survive_a_process_that_never_closes_its_cache(site: Site, tmp_path: Path) -> None:
    url = site.page("/kept", html("Сохранённая страница"))
    child = """
import sys
from pathlib import Path
from footcheck._cache import Cache
from footcheck.check.interface import CheckOptions, StaticResolver, check_links
from footcheck.model import Link
check_links([Link(sys.argv[2])], CheckOptions(allow_private=True, timeout=5), cache=Cache(Path(sys.argv[1])),
            resolver=StaticResolver())
"""  # exits without close(): the queued write must still reach the file
    subprocess.run([sys.executable, "-c", child, str(tmp_path), url], check=True, timeout=30)
    cache = Cache(tmp_path)
    assert cache.get(NAMESPACE, cache_key(url))["status"] == "ok"
    cache.close()
