"""What static rules may know besides the document: the dates the audit runs against,
which rules are selected, and the journal's profile."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from footcheck.rules.selection import Selection


@dataclass(frozen=True, slots=True)
class RuleContext:
    today: dt.date
    submitted: dt.date | None = None  # the paper's submission date (--submitted)
    max_age_years: float | None = None  # access dates older than this are flagged (--max-age-years)
    translit_scheme: str | None = None  # the journal's required References scheme (parse.twin.SCHEMES id)
    selection: Selection | None = None  # None: every rule at its default severity
