"""FC9xx: what one journal requires, from the ``[profile]`` table of footcheck.toml.

Journals contradict each other (one wants «дата обращения», another «дата доступа»; one
allows «Там же», another forbids it), so these rules do nothing until a profile asks.
"""

from __future__ import annotations

import re

from footcheck.excerpt import excerpt
from footcheck.model import DateMention, Document, Finding, Severity
from footcheck.rules.context import JournalProfile, RuleContext
from footcheck.rules.interface import implements, rule

ACCESS_LABEL = rule(
    "FC901", "profile-access-date-label", Severity.WARNING,
    "An access date is introduced by another label than the journal requires.",
    """The journal's profile (`profile.access-date-label` in footcheck.toml) names the words
    that must introduce an access date, for example «дата обращения». This date uses another
    label («дата доступа», «accessed»). Editors normalise the label before publication, so
    the author can fix it at once. Dates without any label are FC304.""",
    example="(дата доступа: 05.03.2024) with access-date-label = \"дата обращения\"",
    fix="Use the label the journal requires: (дата обращения: 05.03.2024).",
)
ACCESS_FORMAT = rule(
    "FC902", "profile-access-date-format", Severity.WARNING,
    "An access date is not written in the form the journal requires.",
    """The profile's `access-date-format` is DD.MM.YYYY (GOST, two-digit day and month),
    YYYY-MM-DD (ISO) or D MONTH YYYY (a month in words). This readable date is written
    differently, for example 5.3.2024 or 2024-03-05 where DD.MM.YYYY is required.""",
    example="(дата обращения: 5.3.2024) with access-date-format = \"DD.MM.YYYY\"",
    fix="Rewrite the date in the required form: 05.03.2024.",
)
IBID_NOT_ALLOWED = rule(
    "FC903", "profile-ibid-not-allowed", Severity.WARNING,
    "«Там же», «Ibid.» or «Указ. соч.» is used, and the journal does not allow repeats.",
    """Some journals (and most that use numbered reference lists) ask for every note to be
    a full or short reference, never «Там же», because notes are moved or split during
    layout and a repeat then points to the wrong source. The profile sets `ibid = false`.""",
    example="2 Там же. С. 15.  with ibid = false",
    fix="Replace the repeat with a short reference to the source (author, title, page).",
)
BRACKET_STYLE = rule(
    "FC904", "profile-bracket-style", Severity.WARNING,
    "A bracketed citation is not in the style the journal requires (author-year or numeric).",
    """The profile's `bracket-style` is `author-year` ([Иванов 2010: 5]) or `numeric`
    ([3, с. 5]); this citation uses the other. Mixed styles in one paper confuse readers and
    reference-matching services.""",
    example="[3, с. 5] with bracket-style = \"author-year\"",
    fix="Rewrite the citation in the journal's style.",
)
REFERENCE_HEADING = rule(
    "FC905", "profile-reference-heading", Severity.INFO,
    "The reference list's heading is not one the journal uses.",
    """The profile lists the headings the journal prints over the reference list
    (`reference-headings`, for example «Список литературы» and «References»). This list is
    headed differently, which the layout editor will change.""",
    example="«Литература» with reference-headings = [\"Список литературы\", \"References\"]",
    fix="Use the journal's heading.",
)
REFERENCES_REQUIRED = rule(
    "FC906", "profile-references-missing", Severity.ERROR,
    "The journal requires a transliterated «References» list, and the paper has none.",
    """Journals indexed in Scopus or Web of Science print, after the Russian list, the same
    entries transliterated into Latin letters under «References». The profile sets
    `references-required = true`; the paper has a Russian reference list but no such twin.""",
    example="«Список литературы» and no «References» after it",
    fix="Add the References list: each entry transliterated, in the same order.",
)


def _profile(ctx: RuleContext) -> JournalProfile | None:
    return ctx.profile


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


def _dates(doc: Document) -> list[tuple[DateMention, int | None]]:
    out: list[tuple[DateMention, int | None]] = []
    seen: set[tuple[int, str]] = set()
    items: list[tuple[DateMention, int | None]] = [(d, fn.number) for fn in doc.footnotes for d in fn.dates]
    items += [(u.access_date, None) for r in doc.references if not r.transliterated
              for u in r.urls if u.access_date]
    for d, number in items:
        if (d.line, d.raw) not in seen:
            seen.add((d.line, d.raw))
            out.append((d, number))
    return out


@implements(ACCESS_LABEL)
def access_label(doc: Document, ctx: RuleContext) -> list[Finding]:
    profile = _profile(ctx)
    if profile is None or not profile.access_date_labels:
        return []
    wanted = {_fold(x) for x in profile.access_date_labels}
    shown = " or ".join(f"«{x}»" for x in profile.access_date_labels)
    return [
        ACCESS_LABEL.finding(f"access date labelled «{d.label}»; the journal requires {shown}",
                             line=d.line, footnote=n)
        for d, n in _dates(doc) if d.label and _fold(d.label) not in wanted
    ]


_MONTH_WORDS = r"[A-Za-zА-Яа-яЁё]+\.?"
FORMATS = {
    "DD.MM.YYYY": re.compile(r"\d{2}\.\d{2}\.\d{4}"),
    "YYYY-MM-DD": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "D MONTH YYYY": re.compile(rf"\d{{1,2}}\s+{_MONTH_WORDS}\s+\d{{4}}(?:\s*г\.?)?"),
}


@implements(ACCESS_FORMAT)
def access_format(doc: Document, ctx: RuleContext) -> list[Finding]:
    profile = _profile(ctx)
    if profile is None or profile.access_date_format is None:
        return []
    pattern = FORMATS[profile.access_date_format]
    return [
        ACCESS_FORMAT.finding(f"access date «{d.raw}» is not written {profile.access_date_format}",
                              line=d.line, footnote=n)
        for d, n in _dates(doc) if d.value is not None and not pattern.fullmatch(d.raw.strip())
    ]


@implements(IBID_NOT_ALLOWED)
def ibid_not_allowed(doc: Document, ctx: RuleContext) -> list[Finding]:
    profile = _profile(ctx)
    if profile is None or profile.ibid_allowed:
        return []
    found = [IBID_NOT_ALLOWED.finding(f"footnote {fn.number} is a repeat («{excerpt(fn.text, 30)}»); the journal"
                                      " does not allow them", line=fn.line, footnote=fn.number)
             for fn in doc.footnotes if fn.ibid]
    found += [IBID_NOT_ALLOWED.finding(f"[{c.raw}] is a repeat; the journal does not allow them", line=c.line)
              for c in doc.repeats]
    return found


@implements(BRACKET_STYLE)
def bracket_style(doc: Document, ctx: RuleContext) -> list[Finding]:
    profile = _profile(ctx)
    if profile is None or profile.bracket_style is None:
        return []
    return [
        BRACKET_STYLE.finding(f"[{c.raw}] is a {c.kind} citation; the journal uses {profile.bracket_style}",
                              line=c.line)
        for c in doc.citations if c.kind in {"author-year", "numeric"} and c.kind != profile.bracket_style
    ]


@implements(REFERENCE_HEADING)
def reference_heading(doc: Document, ctx: RuleContext) -> list[Finding]:
    profile = _profile(ctx)
    if profile is None or not profile.reference_headings:
        return []
    allowed = {_fold(h).rstrip(".:") for h in profile.reference_headings}
    shown = ", ".join(f"«{h}»" for h in profile.reference_headings)
    return [
        REFERENCE_HEADING.finding(f"reference list headed «{heading}»; the journal uses {shown}", line=line)
        for heading, line in doc.reference_sections if _fold(heading).rstrip(".:") not in allowed
    ]


@implements(REFERENCES_REQUIRED)
def references_required(doc: Document, ctx: RuleContext) -> list[Finding]:
    profile = _profile(ctx)
    if profile is None or not profile.references_required:
        return []
    primary = [r for r in doc.references if not r.transliterated]
    if not primary or doc.twin or any(r.transliterated for r in doc.references):
        return []
    line = doc.reference_sections[0][1] if doc.reference_sections else primary[0].line
    return [REFERENCES_REQUIRED.finding(
        f"the reference list ({len(primary)} entries) has no transliterated References twin", line=line)]
