"""The values the fix stage passes around."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class FixKind(str, Enum):
    TRACKING = "tracking"  # strip tracking parameters (FC202)
    MOVED = "moved"  # a permanent redirect to a working address (FC506)
    ARCHIVE = "archive"  # a dead link: add the archived copy after it (FC601)
    DATE_STYLE = "date-style"  # access date in the journal's form (FC304); only when asked

    @property
    def needs_network(self) -> bool:
        return self in (FixKind.MOVED, FixKind.ARCHIVE)


DEFAULT_KINDS = (FixKind.TRACKING, FixKind.MOVED, FixKind.ARCHIVE)
# GOST R 7.0.100-2018 style: «URL: … (дата обращения: …). Архивная копия: …»
DEFAULT_ARCHIVE_TEMPLATE = ". Архивная копия: {archive_url}"
DEFAULT_DATE_TEMPLATE = "дата обращения: {date:%d.%m.%Y}"


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``source[start:end]`` with ``new``. Offsets are in characters of the decoded
    source (line ends as in the file)."""

    start: int
    end: int
    new: str
    kind: FixKind
    line: int  # 1-based line of ``start``
    footnote: int | None
    url: str
    reason: str  # one line for the plan: "remove ysclid", "moved to …"


@dataclass(frozen=True, slots=True)
class FixPlan:
    """Every edit for one paper, sorted and non-overlapping, with what was left out."""

    path: str
    edits: tuple[Edit, ...] = ()
    skipped: tuple[str, ...] = field(default=())  # one line each: what was not fixed and why
