"""The one place for every default a user can change (CLI option, config key).

Every stage's options dataclass and the CLI read their defaults from here, and
:mod:`footcheck.settings` reports them as the ``default`` source. Imports nothing.
"""

from __future__ import annotations

# link checking (footcheck.check)
CONCURRENCY = 128  # requests in flight over all hosts
PER_HOST = 4  # requests in flight to one host name
TIMEOUT = 20.0  # seconds: total budget of one URL
RETRIES = 2  # retries after 429, 5xx and dropped connections
CACHE_TTL = 86400.0  # seconds settled link answers are reused

# Wayback lookups (footcheck.archive)
WAYBACK_URL = "https://web.archive.org"
WAYBACK_CONCURRENCY = 4
WAYBACK_RATE = 24.0  # CDX requests a minute (archive.org allows about 30)
WAYBACK_TIMEOUT = 30.0  # seconds per CDX request
MAX_ARCHIVE_GAP_DAYS = 180  # capture further than this from the access date: FC603
FRESH_DAYS = 30  # `footcheck archive`: a capture this recent needs no new one

# the run
FAIL_ON = "error"
FORMAT = "rich"
