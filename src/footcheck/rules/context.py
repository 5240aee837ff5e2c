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
    """What the rules judge against besides the paper: today, the journal's requirements."""

    today: dt.date
    submitted: dt.date | None = None  # the paper's submission date (--submitted)
    max_age_years: float | None = None  # access dates older than this are flagged (--max-age-years)
    translit_scheme: str | None = None  # the journal's required References scheme (parse.twin.SCHEMES id)
    selection: Selection | None = None  # None: every rule at its default severity
    profile: JournalProfile | None = None  # the journal's requirements (FC9xx); None: none


@dataclass(frozen=True, slots=True)
class JournalProfile:
    """What one journal requires (the ``[profile]`` table of footcheck.toml).

    Every field's empty value means "no requirement"; the FC9xx rules check the rest."""

    name: str | None = None
    access_date_labels: tuple[str, ...] = ()  # e.g. ("дата обращения",)
    access_date_format: str | None = None  # "DD.MM.YYYY", "YYYY-MM-DD" or "D MONTH YYYY"
    ibid_allowed: bool = True  # «Там же», «Ibid.», «Указ. соч.»
    bracket_style: str | None = None  # "author-year" or "numeric"
    reference_headings: tuple[str, ...] = ()  # allowed headings of the reference list
    references_required: bool = False  # a transliterated «References» list is required

    @property
    def is_empty(self) -> bool:
        return (not self.access_date_labels and self.access_date_format is None and self.ibid_allowed
                and self.bracket_style is None and not self.reference_headings
                and not self.references_required)
