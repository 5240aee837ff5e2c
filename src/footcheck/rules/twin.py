"""FC8xx: the transliterated «References» twin against the Russian list (offline)."""

from __future__ import annotations

import re

from footcheck.excerpt import excerpt
from footcheck.model import Document, Finding, Reference, Severity
from footcheck.parse.twin import (
    SCHEME_NAMES,
    SCHEMES,
    is_russian_language,
    pair_twin,
    scheme_id,
    schemes_of,
    transliterated_share,
)
from footcheck.rules.context import RuleContext
from footcheck.rules.interface import rule

COUNT_DIFFERS = rule(
    "FC801", "twin-count-differs", Severity.WARNING,
    "The References list has a different number of entries than the Russian list.",
    """The transliterated «References» list must follow the Russian list entry for entry:
    Scopus and RSCI match the two by position. A different count means an entry was left out
    of one of them or split in two. The entries that have no counterpart are reported one by
    one (FC802).""",
    example="«Список литературы» with 12 entries, «References» with 11",
    fix="Add the missing entry to the list that lacks it.",
)
ENTRY_MISSING = rule(
    "FC802", "twin-entry-missing", Severity.WARNING,
    "An entry of one list has no counterpart in the other.",
    """No entry of the other list has the same first author (or first title word) once
    transliterated, and the same year. Pairing is transliteration-aware: `Жильцов` pairs with
    `Zhiltsov`, `Zhil'tsov`, `Zhil'czov` or `Žilʹcov`.""",
    example="5. Орлова Н. … 2015 in the Russian list and no Orlova … 2015 in References",
    fix="Add the transliterated entry (or the Russian one) at the same position.",
)
ORDER_DIFFERS = rule(
    "FC803", "twin-order-differs", Severity.WARNING,
    "An entry stands at a different place in References than in the Russian list.",
    """The two lists must run in the same order, so that entry k of one is entry k of the
    other. The entries reported here break the order; an entry merely shifted by a missing
    one is not reported here but as missing (FC802).""",
    example="entry 3 of the Russian list is entry 4 of References",
    fix="Put the References entries in the order of the Russian list.",
)
CYRILLIC = rule(
    "FC804", "twin-has-cyrillic", Severity.ERROR,
    "An entry of References has Cyrillic letters.",
    """«References» is read by databases that expect Latin script only; a Cyrillic word (an
    untransliterated name, a title copied from the Russian list, a Cyrillic look-alike letter)
    breaks the matching of the citation.""",
    example="Zhiltsov Yu.A. Политика регионов [Regional policy]. …",
    fix="Transliterate the Cyrillic words; check look-alike letters (а/a, е/e, о/o, р/p, с/c).",
)
GOST_SEPARATORS = rule(
    "FC805", "twin-gost-separators", Severity.WARNING,
    "An entry of References keeps the GOST separators // or . – .",
    """The GOST description separates areas with `//` and `. – `; the References style
    (Harvard-like, as Scopus and RSCI ask) uses a full stop or a comma instead: the journal
    title in italics after the translated title, then `year, vol., no., pp.`.""",
    example="Zhiltsov Yu.A. Politika regionov [Regional policy] // Polis. – 2019. – No. 3.",
    fix="Replace `//` with a full stop and drop the dashes: «Polis, 2019, no. 3, pp. 5–19».",
)
MISSING_IN_RUSS = rule(
    "FC806", "twin-missing-in-russ", Severity.WARNING,
    "A Russian-language source lacks «(In Russ.)» in References.",
    """An entry of References that cites a source in Russian ends with `(In Russ.)`, so that a
    reader of the transliteration knows the language of the original.""",
    example="Zhiltsov Yu.A. Politika regionov [Regional policy]. Polis, 2019, no. 3, pp. 5–19.",
    fix="Add «(In Russ.)» at the end of the entry.",
)
MISSING_TRANSLATION = rule(
    "FC807", "twin-missing-translation", Severity.WARNING,
    "A Russian-language source has no [translated title] in References.",
    """After the transliterated title of a Russian source, References gives its English
    translation in square brackets: `Politika regionov [Regional policy]`. Without it the
    entry is a string of transliterated words no reader of the English list can use.""",
    example="Zhiltsov Yu.A. Politika regionov. Polis, 2019, no. 3, pp. 5–19. (In Russ.)",
    fix="Add the English title in square brackets after the transliterated one.",
)
MIXED_SCHEMES = rule(
    "FC808", "twin-mixed-schemes", Severity.WARNING,
    "References mixes transliteration schemes.",
    """One scheme is used throughout the list (the journal's author guidelines usually name it:
    BGN/PCGN, LC, GOST 7.79 System B ...). The scheme of each entry is read from the way the
    Russian words of its counterpart are written (`Ю` as `Yu`, `Iu` or `Ju`; `Х` as `Kh` or
    `X`; `Ц` as `Ts`, `C` or `Cz` ...); the entries reported follow another scheme than most
    of the list.""",
    example="Zhiltsov Yu.A. (BGN/PCGN) in one entry, Iakovlev Iu.B. (LC) in the next",
    fix="Transliterate the entries reported with the scheme of the rest of the list.",
)
WRONG_SCHEME = rule(
    "FC809", "twin-wrong-scheme", Severity.WARNING,
    "An entry of References does not follow the scheme the journal requires.",
    """The journal profile (`--translit-scheme`) names the transliteration scheme References
    must follow; this entry is written in another one.""",
    example="--translit-scheme bgn with «Iakovlev Iu.B.» (LC) in References",
    fix="Transliterate the entry with the required scheme.",
)

_IN_RUSS = re.compile(r"\(\s*in\s+russ(?:\.|ian)?\s*\)", re.IGNORECASE)
_BRACKET = re.compile(r"\[([^\]]*[A-Za-z]{2,}[^\]]*)\]")
_NOT_A_TRANSLATION = re.compile(
    r"^\s*(?:et\s+al|i\s+dr|elektronn|electronic\s+resource|online|web-?site|site|sait|text|tekst)\W*$",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"(?<!:)//|\.\s[–—]\s")
_CYRILLIC_WORD = re.compile(r"\S*[А-Яа-яЁё]\S*")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def _short(ref: Reference, n: int = 50) -> str:
    return excerpt(ref.text, n)


def check(doc: Document, ctx: RuleContext) -> list[Finding]:
    pairing = pair_twin(doc.references, doc.twin)
    if pairing is None:
        return []
    ru = list(doc.references)
    tw = list(doc.twin)
    findings: list[Finding] = []
    if len(ru) != len(tw):
        findings.append(COUNT_DIFFERS.finding(
            f"the Russian list has {len(ru)} entries, References has {len(tw)}", line=tw[0].line))
    for k in pairing.unpaired_russian:
        findings.append(ENTRY_MISSING.finding(
            f"entry {ru[k].index} of the Russian list ({_short(ru[k])}) has no counterpart in References",
            line=ru[k].line))
    for j in pairing.unpaired_twin:
        findings.append(ENTRY_MISSING.finding(
            f"entry {tw[j].index} of References ({_short(tw[j])}) has no counterpart in the Russian list",
            line=tw[j].line))
    for k, j in pairing.moved:
        if ru[k].index == tw[j].index:
            continue  # at the same number in both lists: not out of place for a reader
        findings.append(ORDER_DIFFERS.finding(
            f"entry {ru[k].index} of the Russian list is entry {tw[j].index} of References", line=tw[j].line))
    partner = {j: k for k, j in pairing.pairs}
    schemes: dict[int, frozenset[str]] = {}
    for j, entry in enumerate(tw):
        pk = partner.get(j)
        where = f"entry {entry.index} of References"
        if pk is not None:
            where += f" (entry {ru[pk].index} of the Russian list)"
        cyr = _CYRILLIC_WORD.findall(_URL.sub(" ", entry.text))  # a Cyrillic domain stays as it is
        latin_letters = len(re.findall(r"[A-Za-z]", entry.text))
        untransliterated = bool(cyr) and sum(len(w) for w in cyr) > latin_letters
        if cyr:
            what = "is not transliterated" if untransliterated else "has Cyrillic letters"
            findings.append(CYRILLIC.finding(f"{where} {what}: «{' '.join(cyr[:3])}»", line=entry.line))
        sep = _SEPARATOR.search(entry.text)
        if sep:
            findings.append(GOST_SEPARATORS.finding(
                f"{where} keeps the GOST separator «{sep.group(0).strip()}»", line=entry.line))
        if pk is None or untransliterated or not is_russian_language(ru[pk].text):
            continue
        k = pk
        if not _IN_RUSS.search(entry.text):
            findings.append(MISSING_IN_RUSS.finding(f"{where} cites a Russian source without «(In Russ.)»",
                                                    line=entry.line))
        if not any(not _NOT_A_TRANSLATION.match(b) for b in _BRACKET.findall(entry.text)):
            seen, words = transliterated_share(ru[k].text, entry.text)
            if words >= 3 and seen == 0:
                message = f"{where} translates the title instead of transliterating it with a [translated title]"
            else:
                message = f"{where} has no [translated title]"
            findings.append(MISSING_TRANSLATION.finding(message, line=entry.line))
        fits = schemes_of(ru[k].text, entry.text)
        if fits:
            schemes[j] = fits
    findings += _scheme_findings(tw, partner, ru, schemes, ctx)
    return findings


def _label(found: frozenset[str]) -> str:
    return next(SCHEME_NAMES[sid] for sid, _, _ in SCHEMES if sid in found)


def _scheme_findings(
    tw: list[Reference], partner: dict[int, int], ru: list[Reference],
    schemes: dict[int, frozenset[str]], ctx: RuleContext,
) -> list[Finding]:
    findings: list[Finding] = []
    if ctx.translit_scheme:
        required = scheme_id(ctx.translit_scheme) or ctx.translit_scheme
        for j, found in sorted(schemes.items()):
            if required not in found:
                findings.append(WRONG_SCHEME.finding(
                    f"entry {tw[j].index} of References (entry {ru[partner[j]].index} of the Russian list)"
                    f" is written in {_label(found)}, not {SCHEME_NAMES.get(required, required)}",
                    line=tw[j].line))
        return findings
    if len(schemes) < 2:
        return findings
    common = frozenset.intersection(*schemes.values())
    if common:
        return findings
    counts = {sid: sum(1 for s in schemes.values() if sid in s) for sid, _, _ in SCHEMES}
    main = max(counts, key=lambda sid: (counts[sid], -[s for s, _, _ in SCHEMES].index(sid)))
    followers = sorted(tw[j].index for j, s in schemes.items() if main in s)
    for j, found in sorted(schemes.items()):
        if main in found:
            continue
        findings.append(MIXED_SCHEMES.finding(
            f"entry {tw[j].index} of References (entry {ru[partner[j]].index} of the Russian list) is written in "
            f"{_label(found)}; entries {', '.join(map(str, followers))} in {SCHEME_NAMES[main]}",
            line=tw[j].line))
    return findings
