"""The Memento TimeGate protocol (RFC 7089) and what one answer proves about the captures.

Pure functions, no I/O; the requests are made in :mod:`footcheck.archive.lookup`.

What the Wayback Machine's playback endpoint does, and what we rely on:

* ``GET|HEAD {base}/web/{YYYYMMDDhhmmss}/{url}`` is a TimeGate in the URI-M style
  (RFC 7089 §4.1, "pattern 2.2"; the Wayback documentation's "timestamp" URLs): when the
  timestamp is not exactly a capture's, it answers ``302`` with ``Location`` set to the
  capture temporally nearest the timestamp, in either direction. That redirect is not a
  memento and carries no ``Memento-Datetime``.
* The capture itself (the URI-M) answers with a ``Memento-Datetime`` header (RFC 7089
  §2.1.1: an HTTP-date, the capture time to the second; its presence is what makes a
  response a memento, §4) and with the **original status** of the capture: a page that
  was captured answering 404 replays as 404, a captured redirect as a 3xx. Only a
  memento answering 200 is taken as a status-200 capture.
* Its ``Link`` header (RFC 7089 §2.2, RFC 8288 syntax) names the original resource
  (``rel="original"``) and mementos with a ``datetime`` attribute: the memento itself
  (``rel="memento"``) and, where the service knows them, its neighbours (``"prev
  memento"``, ``"next memento"``) and the ends (``"first memento"``, ``"last
  memento"``). A relation list such as ``rel="first memento"`` on the memento itself says
  it is the first. The memento's own ``datetime`` must agree with ``Memento-Datetime``;
  an answer where they disagree is not believed.

The premise of the fast path (the one fact no header states): a TimeGate that lands on a
status-200 memento from timestamp ``T`` has no status-200 capture strictly nearer to
``T``. Wayback picks the nearest capture (preferring playable ones), so this holds for
it; a service for which it does not hold can be asked through CDX only
(``ArchiveOptions(timegate=False)``).

The capture footcheck cites is chosen by calendar days from the reference date, ties to
the earlier one (:mod:`footcheck.archive.choose`), which is not "nearest in seconds". So
one TimeGate answer is evidence, not the choice: it proves that an open interval of time
holds no status-200 capture (the ball of radius |capture - T| around T, and the gaps to
the neighbours the ``Link`` header names), and names a status-200 capture. The lookup
asks again where the evidence leaves a better capture possible, and falls back to the
CDX query when a few answers do not settle it. Capture times are whole seconds, so the
evidence is kept as closed intervals of integer seconds.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass, field

DAY = 86400
_LINK_VALUE = re.compile(r"\s*<([^>]*)>\s*((?:;\s*[^;,=\s]+\s*(?:=\s*(?:\"[^\"]*\"|[^;,\s]*))?\s*)*)")
_PARAM = re.compile(r";\s*([^;,=\s]+)\s*(?:=\s*(?:\"([^\"]*)\"|([^;,\s]*)))?")
_CAPTURE_PATH = re.compile(r"/web/(\d{14})(?:[a-z]{2}_)?/")


@dataclass(frozen=True, slots=True)
class LinkEntry:
    target: str
    rels: frozenset[str]
    datetime: dt.datetime | None


def parse_http_date(value: str | None) -> dt.datetime | None:
    """An RFC 7231 HTTP-date (``Thu, 21 Dec 2023 09:30:00 GMT``) as aware UTC, or None."""
    if not value:
        return None
    try:  # the header is the server's: an overflowing year or offset is no date, not an error
        when = email.utils.parsedate_to_datetime(value.strip())
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.timezone.utc)
        return when.astimezone(dt.timezone.utc)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def http_date(value: dt.datetime) -> str:
    return email.utils.format_datetime(value.astimezone(dt.timezone.utc), usegmt=True)


def parse_link_header(values: list[str]) -> list[LinkEntry]:
    """The link-values of one or more ``Link`` headers; unreadable parts are skipped."""
    entries: list[LinkEntry] = []
    for value in values:
        position = 0
        while position < len(value):
            match = _LINK_VALUE.match(value, position)
            if match is None:
                comma = value.find(",", position + 1)
                if comma < 0:
                    break
                position = comma + 1
                continue
            params: dict[str, str] = {}
            for name, quoted, bare in _PARAM.findall(match.group(2)):
                params.setdefault(name.lower(), quoted if quoted else bare)
            rels = frozenset(params.get("rel", "").lower().split())
            entries.append(LinkEntry(match.group(1).strip(), rels, parse_http_date(params.get("datetime"))))
            position = match.end()
            rest = value[position:].lstrip()
            if not rest.startswith(","):
                break
            position = len(value) - len(rest) + 1
    return entries


def capture_timestamp(url: str) -> str | None:
    """The 14-digit timestamp in a capture URL's path (``/web/20231220093000/...``)."""
    found = _CAPTURE_PATH.search(url)
    return found.group(1) if found else None


@dataclass(frozen=True, slots=True)
class Memento:
    """What one memento answer says: its time, its original status, its neighbours."""

    at: dt.datetime
    status: int
    prev: dt.datetime | None = None  # the neighbour before, if named
    next: dt.datetime | None = None
    first: dt.datetime | None = None  # the first memento, if named (itself when it is)
    last: dt.datetime | None = None


class NotAMemento(ValueError):
    """The answer lacks or contradicts the Memento headers we rely on."""


def read_memento(status: int, headers_get: dict[str, str], links: list[str], url: str) -> Memento:
    """The memento an answer is, checked against RFC 7089.

    ``headers_get`` maps lower-case header names to values. Raises :class:`NotAMemento`
    when ``Memento-Datetime`` is missing or unreadable, or when the URL's timestamp or
    the ``Link`` header's entry for this memento disagrees with it.
    """
    raw = headers_get.get("memento-datetime")
    at = parse_http_date(raw)
    if at is None:
        raise NotAMemento("no Memento-Datetime header" if raw is None else f"unreadable Memento-Datetime {raw!r}")
    stamp = capture_timestamp(url)
    if stamp is not None and stamp != at.strftime("%Y%m%d%H%M%S"):
        raise NotAMemento(f"Memento-Datetime {raw!r} disagrees with the capture URL {url}")
    prev = nxt = first = last = None
    for entry in parse_link_header(links):
        if "memento" not in entry.rels or entry.datetime is None:
            continue
        when = entry.datetime
        own = capture_timestamp(entry.target) == stamp if stamp is not None else when == at
        if own and when != at:
            raise NotAMemento(f"the Link header dates this memento {when:%Y-%m-%d %H:%M:%S}, Memento-Datetime {raw}")
        if "first" in entry.rels:
            first = when
        if "last" in entry.rels:
            last = when
        if "prev" in entry.rels and when < at:
            prev = when if prev is None else max(prev, when)
        if "next" in entry.rels and when > at:
            nxt = when if nxt is None else min(nxt, when)
    if (first is not None and first > at) or (last is not None and last < at):
        raise NotAMemento("the Link header's first or last memento lies on the wrong side of this one")
    return Memento(at, status, prev, nxt, first, last)


# --- evidence ------------------------------------------------------------------------

Interval = tuple[int, int]  # closed interval of integer epoch seconds, lo <= hi


def _seconds(value: dt.datetime) -> int:
    return int(value.timestamp())


def _day_start(day: dt.date) -> int:
    return _seconds(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc))


@dataclass
class Evidence:
    """What the TimeGate answers proved: status-200 capture times seen, and intervals
    of time that hold no status-200 capture."""

    found: set[int] = field(default_factory=set)
    empty: list[Interval] = field(default_factory=list)

    def add_answer(self, asked: int, memento: Memento) -> None:
        """A status-200 memento reached from timestamp ``asked``."""
        at = _seconds(memento.at)
        self.found.add(at)
        radius = abs(at - asked)
        if radius > 0:
            self._empty(asked - radius + 1, asked + radius - 1)
        # Neighbours and ends name captures of any status; between them there is none.
        if memento.prev is not None:
            self._empty(_seconds(memento.prev) + 1, at - 1)
        if memento.next is not None:
            self._empty(at + 1, _seconds(memento.next) - 1)
        if memento.first is not None:
            self._empty(-(2**62), _seconds(memento.first) - 1)
        if memento.last is not None:
            self._empty(_seconds(memento.last) + 1, 2**62)

    def _empty(self, lo: int, hi: int) -> None:
        if lo <= hi:
            self.empty.append((lo, hi))

    def best(self, reference: dt.date | None) -> int | None:
        """The capture the rule in choose.py picks among those seen."""
        if not self.found:
            return None
        if reference is None:
            return max(self.found)
        start = _day_start(reference)
        return min(self.found, key=lambda t: (abs((t - start) // DAY), t))

    def open_question(self, reference: dt.date | None, now: dt.datetime) -> list[Interval]:
        """Where a capture better than the best seen could still be (empty: settled)."""
        best = self.best(reference)
        if best is None:
            return [(-(2**62), 2**62)]
        return _subtract(better_than(best, reference, now), self.empty)


def better_than(best: int, reference: dt.date | None, now: dt.datetime) -> list[Interval]:
    """The times at which a status-200 capture would beat one at ``best``.

    The rule: fewer calendar days from the reference date, then the earlier. For a
    capture on day D-k or D+k that is every day nearer than k, the part of day D-k
    before it, and (for D+k) all of day D-k. Without a reference date the newest
    capture wins: anything later, up to now plus a day of clock skew.
    """
    if reference is None:
        return [(best + 1, _seconds(now) + DAY)]
    start = _day_start(reference)
    k = (best - start) // DAY
    if k >= 0:  # on D+k: days D-k .. D+k-1, and day D+k before ``best``
        return [(start - k * DAY, best - 1)] if best - 1 >= start - k * DAY else []
    k = -k  # on D-k
    out: list[Interval] = []
    if best - 1 >= start - k * DAY:
        out.append((start - k * DAY, best - 1))
    out.append((start - (k - 1) * DAY, start + k * DAY - 1))
    return out


def _subtract(wanted: list[Interval], empty: list[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for lo, hi in sorted(empty):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    out: list[Interval] = []
    for lo, hi in wanted:
        cursor = lo
        for elo, ehi in merged:
            if ehi < cursor or elo > hi:
                continue
            if elo > cursor:
                out.append((cursor, elo - 1))
            cursor = max(cursor, ehi + 1)
            if cursor > hi:
                break
        if cursor <= hi:
            out.append((cursor, hi))
    return out


def timestamp_of(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y%m%d%H%M%S")


def next_probe(question: list[Interval]) -> int:
    """Where to ask next: the middle of the first open stretch (a capture there, or the
    distance to the nearest one, settles as much of it as one answer can)."""
    lo, hi = question[0]
    lo = max(lo, _seconds(dt.datetime(1996, 1, 1, tzinfo=dt.timezone.utc)))
    hi = max(lo, min(hi, _seconds(dt.datetime(9999, 1, 1, tzinfo=dt.timezone.utc))))
    return (lo + hi) // 2
