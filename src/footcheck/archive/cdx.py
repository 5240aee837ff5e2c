"""The CDX search protocol: building one query and reading its answer.

Pure functions, no I/O. The parser accepts every output dialect a Wayback-compatible
service is likely to send, because ``--wayback-url`` may point at pywb or a home-made
server rather than archive.org:

* ``output=json``: an array of arrays whose first row names the columns;
* the plain-text default: space-separated ``urlkey timestamp original mimetype
  statuscode digest length``;
* pywb's ``output=json``: one JSON object per line;
* CDXJ: ``urlkey timestamp {json}`` per line.

Anything else is :class:`CdxError`, which the caller turns into a per-URL error.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

# archive.org's answer for sites whose owners asked to be excluded.
BLOCKED_MARKERS = ("AdministrativeAccessControlException", "Blocked Site Error")
TEXT_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
_TIMESTAMP = re.compile(r"\d{4,14}")


class CdxError(ValueError):
    """The body is not a CDX answer."""


@dataclass(frozen=True, slots=True)
class Row:
    timestamp: dt.datetime  # UTC
    status: str | None  # None when the service did not say
    original: str | None = None

    @property
    def wayback_timestamp(self) -> str:
        return self.timestamp.strftime("%Y%m%d%H%M%S")


@dataclass(frozen=True, slots=True)
class CdxAnswer:
    rows: tuple[Row, ...] = ()
    blocked: bool = False


def wayback_timestamp(value: dt.datetime) -> str:
    return value.astimezone(dt.timezone.utc).strftime("%Y%m%d%H%M%S")


def closest_param(reference: dt.date | None, now: dt.datetime) -> str:
    """The ``closest`` timestamp for a reference date.

    Noon, not midnight: the service sorts by distance in seconds, and from noon every
    capture of the access day sorts ahead of the evening before, so the day's captures
    reach us even with a small ``limit``. No reference date means "the newest capture",
    which is the one closest to now.
    """
    if reference is None:
        return wayback_timestamp(now)
    return f"{reference:%Y%m%d}120000"


def query_params(url: str, closest: str, limit: int) -> dict[str, str]:
    return {
        "url": url,
        "output": "json",
        "filter": "statuscode:200",
        "closest": closest,
        "sort": "closest",
        "limit": str(limit),
    }


def parse_timestamp(value: str) -> dt.datetime | None:
    """``20231220143011`` -> aware UTC datetime; short forms are padded like the CDX
    server pads them (``2023`` is 2023-01-01 00:00:00)."""
    if not _TIMESTAMP.fullmatch(value):
        return None
    padded = value + "00000101000000"[len(value) :]
    try:
        return dt.datetime.strptime(padded, "%Y%m%d%H%M%S").replace(tzinfo=dt.timezone.utc)
    except ValueError:
        return None


def parse(body: str) -> CdxAnswer:
    text = body.strip().lstrip("\ufeff")
    if not text:
        return CdxAnswer()  # the text dialect answers "no captures" with an empty body
    if any(marker in text for marker in BLOCKED_MARKERS):
        return CdxAnswer(blocked=True)
    if text.startswith("["):
        return _parse_json_table(text)
    if text.startswith("{"):
        return _parse_json_lines(text)
    if text.startswith("<"):
        raise CdxError(f"an HTML or XML page instead of CDX data: {_excerpt(text)}")
    return _parse_text(text)


def _parse_json_table(text: str) -> CdxAnswer:
    try:
        table = json.loads(text)
    except ValueError as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise CdxError(f"unreadable JSON ({reason}): {_excerpt(text)}") from None
    if not isinstance(table, list) or not all(isinstance(row, list) for row in table):
        raise CdxError(f"JSON that is not a table: {_excerpt(text)}")
    table = [row for row in table if row]  # a resume key is preceded by an empty row
    if not table:
        return CdxAnswer()
    header = [str(name) for name in table[0]]
    if "timestamp" not in header:
        raise CdxError(f"a JSON table without a timestamp column: {_excerpt(text)}")
    rows = [_row(dict(zip(header, map(str, row), strict=True))) for row in table[1:] if len(row) == len(header)]
    return _checked(rows, len(table) - 1, text)


def _parse_json_lines(text: str) -> CdxAnswer:
    records = []
    for line in text.splitlines():
        if line.strip():
            try:
                record = json.loads(line)
            except ValueError:
                raise CdxError(f"unreadable JSON line: {_excerpt(line)}") from None
            if not isinstance(record, dict):
                raise CdxError(f"a JSON line that is not an object: {_excerpt(line)}")
            records.append({str(k): str(v) for k, v in record.items()})
    return _checked([_row(r) for r in records], len(records), text)


def _parse_text(text: str) -> CdxAnswer:
    rows: list[Row | None] = []
    lines = [line for line in text.splitlines() if line.strip()]
    for line in lines:
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[2].lstrip().startswith("{"):  # CDXJ
            try:
                record = json.loads(parts[2])
            except ValueError:
                raise CdxError(f"unreadable CDXJ line: {_excerpt(line)}") from None
            if not isinstance(record, dict):
                raise CdxError(f"unreadable CDXJ line: {_excerpt(line)}")
            fields = {str(k): str(v) for k, v in record.items()}
            fields["timestamp"] = parts[1]
            rows.append(_row(fields))
            continue
        values = line.split()
        if len(values) != len(TEXT_FIELDS):
            raise CdxError(f"a line that is not a CDX record: {_excerpt(line)}")
        rows.append(_row(dict(zip(TEXT_FIELDS, values, strict=True))))
    return _checked(rows, len(lines), text)


def _row(fields: dict[str, str]) -> Row | None:
    timestamp = parse_timestamp(fields.get("timestamp", ""))
    if timestamp is None:
        return None
    status = fields.get("statuscode", fields.get("status"))
    original = fields.get("original", fields.get("url"))
    return Row(timestamp, status if status not in (None, "") else None, original)


def _checked(rows: list[Row | None], total: int, text: str) -> CdxAnswer:
    good = tuple(row for row in rows if row is not None)
    if total and not good:
        raise CdxError(f"no readable timestamps in the answer: {_excerpt(text)}")
    return CdxAnswer(rows=good)


def _excerpt(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
