"""Assemble corpus documents from the pools in ``_pools.py``, in annotation markup.

Every document is built by a ``random.Random`` seeded with a constant, so the output
never changes unless this file or the pools change. The layout imitates text pulled
out of a journal PDF: wrapped lines with end-of-line hyphenation, glued footnote
markers, footnote bodies at page bottoms (form feeds with running heads, or the
seed's style: bodies between paragraphs and the PDF's link annotations repeated as
bare URL lines), URLs broken wherever the line ends, bracketed citations, and an
optional reference list with its transliterated ``References`` twin.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field

from _pools import BOOKS, HEADINGS, SENTENCES, TITLES, WEB, WORKS

MONTHS_GEN = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
TOKEN_RE = re.compile(r"(?:⟦[^⟧]*⟧|[^\s⟦])+")
ANNOT_RE = re.compile(r"⟦([^⟧]*)⟧")
VOWELS = set("аеёиоуыэюя")


def visible(s: str) -> str:
    """The text a markup string emits (marker/body tokens emit their number)."""

    def sub(m: re.Match[str]) -> str:
        tok = m.group(1)
        mm = re.fullmatch(r"[mf]!?(?:#)?(\d+)(?:=(.+))?", tok)
        if mm:
            return mm.group(2) or mm.group(1)
        return ""

    return ANNOT_RE.sub(sub, s)


# ---------------------------------------------------------------- wrapping


def _hyphenate(word: str, room: int) -> tuple[str, str] | None:
    """Split a plain Cyrillic word so that ``head-`` fits in ``room`` characters."""
    core = word.rstrip(",.;:»)")
    if "⟦" in word or len(core) < 8 or not re.fullmatch(r"[а-яё]+", core):
        return None
    for i in range(min(len(core) - 3, room - 1), 2, -1):
        a, b, c = core[i - 1], core[i], core[i + 1]
        if b in VOWELS or b in "ьъй":
            continue
        v_cv = a in VOWELS and c in VOWELS  # "комму-нальной"
        vc_c = a not in VOWELS and (core[i - 2] in VOWELS or a == "ь")  # "ком-мунальной"
        if v_cv or vc_c:
            return core[:i] + "-", word[i:]
    return None


def _url_break(token: str, room: int, rng: random.Random) -> tuple[str, str] | None:
    """Split a token holding a URL after at most ``room`` visible characters."""
    m = re.match(r"((?:⟦[^⟧]*⟧)*)(.*)", token)
    assert m
    prefix, rest = m.group(1), m.group(2)
    vis = visible(rest)
    if not vis.startswith("http") or room < 4:
        return None
    limit = min(room, len(vis) - 4)
    if limit < 9:
        return None
    good = [i for i in range(8, limit + 1) if vis[i - 1] in "/-?&=_."]
    scheme_end = vis.find("://") + 3
    path_start = vis.find("/", scheme_end)
    if path_start < 0:
        path_start = len(vis)
    if limit <= path_start:  # inside the host a typesetter breaks only at a dot
        good = [i for i in good if vis[i - 1] == "."]
        if not good and scheme_end > limit:
            return None
        limit = good[-1] if good else scheme_end
    # Chicago-style breaks: before a dot or a slash, the next line starting with it
    before = [i for i in range(9, limit + 1) if vis[i] in "./" and vis[i - 1] not in "./:"]
    if scheme_end <= limit and rng.random() < 0.25:
        cut = scheme_end
    elif before and rng.random() < 0.2:
        cut = before[-1]
    elif good and rng.random() < 0.7:
        cut = good[-1]
    else:
        cut = limit
    # the URL part never carries annotations after the prefix, so cut on the raw string
    if "⟦" in rest[:cut]:
        return None
    return prefix + rest[:cut], rest[cut:]


def wrap(text: str, width: int, rng: random.Random, *, hyphenate: bool = True) -> list[str]:
    lines: list[str] = []
    cur = ""
    cur_len = 0
    tokens = TOKEN_RE.findall(text)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        vlen = len(visible(tok))
        sep = 1 if cur_len else 0
        if cur_len + sep + vlen <= width:
            cur = f"{cur} {tok}" if cur_len else tok
            cur_len += sep + vlen
            i += 1
            continue
        room = width - cur_len - sep
        split = _url_break(tok, room, rng) if "http" in tok else None
        if split is None and hyphenate and rng.random() < 0.6:
            split = _hyphenate(tok, room)
        if split is not None:
            head, tail = split
            cur = f"{cur} {head}" if cur_len else head
            lines.append(cur)
            cur, cur_len = "", 0
            tokens[i] = tail
            continue
        if cur_len:
            lines.append(cur)
            cur, cur_len = "", 0
        else:  # a token longer than the line and unbreakable: put it alone
            lines.append(tok)
            i += 1
    if cur_len:
        lines.append(cur)
    return lines


# ---------------------------------------------------------------- content


@dataclass
class Note:
    kind: str  # "web" | "book" | "ibid" | "opcit" | "comment"
    web: tuple | None = None
    book: tuple | None = None
    target: int = -1  # index of the note a repeat points to (immediate)
    root: int = -1
    locator: str = ""
    number: int = 0
    page: int = 0


@dataclass
class Style:
    name: str
    topic: str
    seed: int
    layout: str  # "ff" | "seed"
    width: int = 78
    per_page: bool = False
    reference_list: str = ""  # "" | "plain" | "twin" | "numbered"
    heading: str = "Список литературы"
    cite_style: str = "colon"  # "colon" | "comma"
    eol: str = "\n"
    page_lines: int = 30
    n_notes: int = 22
    journal: str = "ВЕСТНИК ОБЩЕСТВЕННЫХ НАУК. 2024. Т. 12, № 2"
    date_styles: dict[str, float] = field(default_factory=dict)


DEFAULT_DATES = {
    "dot": 0.55,
    "dot_nolabel_colon": 0.05,
    "Dot": 0.04,
    "words": 0.08,
    "words_nog": 0.03,
    "yy": 0.05,
    "dostupa": 0.05,
    "poseshcheniya": 0.04,
    "iso": 0.04,
    "split": 0.07,
    "label_hyphen": 0.03,
}


def _access_text(date: dt.date, style: str, lang: str) -> str:
    d, m, y = date.day, date.month, date.year
    if lang == "en":
        return f"(accessed {d} {MONTHS_EN[m - 1]} {y})"
    return {
        "dot": f"(дата обращения: {d:02}.{m:02}.{y})",
        "dot_nolabel_colon": f"(дата обращения {d:02}.{m:02}.{y})",
        "Dot": f"(Дата обращения: {d:02}.{m:02}.{y})",
        "words": f"(дата обращения: {d}\u00a0{MONTHS_GEN[m - 1]} {y} г.)",
        "words_nog": f"(дата обращения: {d} {MONTHS_GEN[m - 1]} {y})",
        "yy": f"(дата обращения: {d:02}.{m:02}.{y % 100:02})",
        "dostupa": f"(дата доступа: {d:02}.{m:02}.{y})",
        "poseshcheniya": f"(дата посещения: {d:02}.{m:02}.{y})",
        "iso": f"(дата обращения: {date.isoformat()})",
        "split": f"(дата обращения: {d:02}.{m:02}.\n{y})",
        "label_hyphen": f"(дата обра-\nщения: {d:02}.{m:02}.{y})",
    }[style]


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]


def _surname(author: str) -> str:
    return author.split()[0]


class DocBuilder:
    def __init__(self, style: Style) -> None:
        self.s = style
        self.rng = random.Random(style.seed)
        self.notes: list[Note] = []
        self.cit_count = 0
        self.last_single_cit: str | None = None
        self.cited: set[str] = set()
        self.unlisted: set[str] = set()
        self.suffix: dict[str, str] = {}

    # ---- citations

    def _works(self) -> list[tuple]:
        topic_keys = {
            "regions": ["kuzn19", "kuzn19b", "zub17", "kl21", "mik20", "str20", "gel18", "ben22"],
            "education": ["fru18", "ar23", "tsv20", "de21", "mar19", "kuzn19", "gel18"],
            "water": ["zhil19", "zhil19b", "dukh21", "ab17", "wd22", "wege20", "ben22"],
            "media": ["varh21", "sol22", "gor23", "zuck22", "meh23", "bak21", "tse19"],
        }[self.s.topic]
        by_key = {w[0]: w for w in WORKS}
        return [by_key[k] for k in topic_keys]

    def _prepare_suffixes(self) -> None:
        works = self._works()
        seen: dict[tuple[str, str], list[str]] = {}
        for w in works:
            seen.setdefault((w[1][0][0], w[2]), []).append(w[0])
        for keys in seen.values():
            if len(keys) > 1:
                for k, suf in zip(keys, "абвг", strict=False):
                    self.suffix[k] = suf
        # one cited work per document stays out of the list: "citation without entry"
        if self.s.reference_list:
            self.unlisted.add(self.rng.choice([w[0] for w in works if w[0] not in self.suffix]))

    def _year(self, w: tuple) -> str:
        suf = self.suffix.get(w[0], "")
        if suf and w[6] == "en":
            suf = {"а": "a", "б": "b"}[suf]
        return w[2] + suf

    def _one_citation(self, w: tuple, *, with_loc: bool, allow_id: bool) -> str:
        rng = self.rng
        authors = w[1]
        title_like = authors[0][1] == ""
        year = self._year(w)
        if rng.random() < 0.2 and year[-1] in "аб":  # Latin look-alike suffix in the text
            year = year[:-1] + {"а": "a", "б": "b"}[year[-1]]
        latin = w[6] == "en"
        if title_like:
            names = [authors[0][0]]
            shown = names[0]
        elif len(authors) >= 3:
            names = [authors[0][0]]
            shown = f"{names[0]} {'et al.' if latin else 'и др.'}"
        else:
            r = rng.random()
            if r < 0.1 and not latin:
                names = [f"{a[0]} {a[1]}" for a in authors]
            elif r < 0.18 and not latin:
                names = [f"{a[1]} {a[0]}" for a in authors]
            else:
                names = [a[0] for a in authors]
            shown = ", ".join(names)
        loc = ""
        if with_loc:
            a = rng.randint(5, 320)
            loc = str(a) if rng.random() < 0.8 else f"{a}–{a + rng.randint(1, 6)}"
        if self.s.cite_style == "colon" or latin:
            body = f"{shown} {year}"
            if loc:
                body += f": {loc}" if not latin or rng.random() < 0.5 else f", p. {loc}"
        else:
            body = f"{shown}, {year}"
            if loc:
                body += f", с. {loc}"
        label = "-" if w[0] in self.unlisted else w[0]
        opts = f"@{label}" if self.s.reference_list else ""
        if allow_id:
            self.cit_count += 1
            cid = f"c{self.cit_count}"
            opts += f" #{cid}"
            self.last_single_cit = cid
        self.cited.add(w[0])
        return f"⟦c {'+'.join(names)}|{year}|{loc}|{opts.strip()}⟧{body}"

    def citation(self) -> str:
        rng = self.rng
        works = self._works()
        if self.last_single_cit and rng.random() < 0.15:
            loc = str(rng.randint(5, 300)) if rng.random() < 0.6 else ""
            target = self.last_single_cit
            self.cit_count += 1
            cid = f"c{self.cit_count}"
            self.last_single_cit = cid
            body = "Там же" + (f": {loc}" if loc and self.s.cite_style == "colon" else f", с. {loc}" if loc else "")
            return f"[⟦c ||{loc}|ibid={target} #{cid}⟧{body}]"
        n = 1 if rng.random() < 0.75 else rng.choice([2, 2, 3])
        chosen = rng.sample(works, n)
        parts = [self._one_citation(w, with_loc=rng.random() < 0.45, allow_id=n == 1) for w in chosen]
        if n > 1:
            self.last_single_cit = None
        return "[" + "; ".join(parts) + "]"

    # ---- footnotes

    def make_notes(self) -> None:
        rng = self.rng
        own_web, own_books = TOPIC_WEB[self.s.topic], TOPIC_BOOKS[self.s.topic]
        webs = rng.sample([w for i, w in enumerate(WEB) if i not in own_web], 6)
        webs += rng.sample([WEB[i] for i in own_web], len(own_web))
        books = rng.sample([b for i, b in enumerate(BOOKS) if i not in own_books], 3)
        books += rng.sample([BOOKS[i] for i in own_books], len(own_books))
        comments = rng.sample(COMMENTS, len(COMMENTS))
        for _ in range(self.s.n_notes):
            r = rng.random()
            prev = self.notes[-1] if self.notes else None
            chain_ok = prev is not None and (prev.kind != "ibid" or rng.random() < 0.25)
            if prev and r < 0.14 and prev.kind != "comment" and chain_ok:
                root = prev.root if prev.kind in ("ibid", "opcit") else len(self.notes) - 1
                bookish = self.notes[root].kind in ("book", "opcit")
                loc = str(rng.randint(3, 200)) if bookish and rng.random() < 0.6 else ""
                self.notes.append(Note("ibid", target=len(self.notes) - 1, root=root, locator=loc))
                continue
            authored = [i for i, n in enumerate(self.notes) if n.kind == "book" and n.book[0]]
            if authored and r < 0.2:
                t = rng.choice(authored)
                author = self.notes[t].book[0]
                latest = max(i for i, n in enumerate(self.notes) if n.book and n.book[0] == author)
                self.notes.append(
                    Note("opcit", book=self.notes[t].book, target=latest, root=t, locator=str(rng.randint(3, 200)))
                )
                continue
            if r < 0.25 and comments:
                self.notes.append(Note("comment", locator=comments.pop()))
                continue
            if webs and (r < 0.72 or not books):
                self.notes.append(Note("web", web=webs.pop()))
            elif books:
                self.notes.append(Note("book", book=books.pop()))
            else:
                self.notes.append(Note("comment", locator="Подсчитано автором."))

    def note_text(self, idx: int) -> str:
        """The body of note idx in markup, without its number."""
        n = self.notes[idx]
        rng = self.rng
        if n.kind == "comment":
            return n.locator
        if n.kind == "ibid":
            tnum = self.notes[n.target].number
            rnum = self.notes[n.root].number
            tag = f"⟦r {tnum}/{rnum}⟧" if n.root != n.target else f"⟦r {tnum}⟧"
            word = "Ibid." if self._lang_of(n.root) == "en" else "Там же."
            if n.locator:
                pl = "P." if word == "Ibid." else "С."
                return f"{word} {pl} {n.locator}.{tag}"
            return f"{word[:-1] if rng.random() < 0.3 else word}{tag}"
        if n.kind == "opcit":
            tnum = self.notes[n.target].number
            rnum = self.notes[n.root].number
            tag = f"⟦r {tnum}/{rnum}⟧" if n.root != n.target else f"⟦r {tnum}⟧"
            en = bool(re.match(r"[A-Za-z]", n.book[0]))
            words = "Op. cit. P." if en else "Указ. соч. С."
            return f"{n.book[0]} {words} {n.locator}.{tag}"
        if n.kind == "book":
            author, rest = n.book
            return f"{author} {rest}" if author else rest
        title, url, sdate, lang = n.web
        src = ""
        sd_tag = "⟦sd -⟧"
        access_from = dt.date(2023, 9, 1)
        if sdate:
            sd = dt.date(*sdate)
            sd_tag = f"⟦sd {sd.isoformat()}⟧"
            month = MONTHS_EN[sd.month - 1] if lang == "en" else MONTHS_GEN[sd.month - 1]
            src = f" {sd.year}. {sd.day} {month}."
            access_from = max(access_from, sd + dt.timedelta(days=3))
        access = access_from + dt.timedelta(days=rng.randint(0, 200))
        style = _pick(rng, self.s.date_styles or DEFAULT_DATES)
        acc = _access_text(access, style, lang)
        lead = "Available at:" if lang == "en" else "URL:"
        dot = "" if title[-1] in "?!" else "."
        return f"{title}{dot}{src}{sd_tag} {lead} ⟦u {url}⟧{url} {acc}.⟦d {access.isoformat()}⟧"

    def _lang_of(self, idx: int) -> str:
        n = self.notes[idx]
        if n.web:
            return n.web[3]
        if n.book and re.match(r"[A-Za-z]", n.book[0] or n.book[1]):
            return "en"
        return "ru"

    # ---- body

    def sentence_with(self, sent: str, marker: int | None, cite: bool) -> str:
        """Attach a citation and/or a marker placeholder to a sentence."""
        text = sent
        if cite:
            assert text.endswith(".")
            if re.search(r"\b(?:г|гг|в|вв|руб)\.$", text):  # an abbreviation keeps its period
                text = f"{text} {self.citation()}."
            else:
                text = f"{text[:-1]} {self.citation()}."
        if marker is not None:
            tag = f"⟦m#{marker}⟧"
            if text.endswith("г.") or text.endswith("вв.") or text.endswith("гг."):
                text = text + tag
            elif text.endswith("»."):
                text = text[:-1] + tag + "."
            else:
                text = text[:-1] + tag + "."
        return text

    def body_paragraphs(self) -> list[str]:
        rng = self.rng
        sents = list(SENTENCES[self.s.topic])
        rng.shuffle(sents)
        n_notes = len(self.notes)
        # spread the markers over the sentences, one per sentence at most
        slots = sorted(rng.sample(range(len(sents)), min(n_notes, len(sents))))
        extra = n_notes - len(slots)
        paragraphs: list[str] = []
        heads = HEADINGS[self.s.topic]
        note = 0
        per_para = max(3, len(sents) // (len(heads) * 2))
        cur: list[str] = []
        head_i = 0
        for i, sent in enumerate(sents):
            if i % (per_para * 2) == 0 and head_i < len(heads):
                if cur:
                    paragraphs.append(" ".join(cur))
                    cur = []
                paragraphs.append("#" + heads[head_i])
                head_i += 1
            marker = None
            if i in slots:
                marker = note
                note += 1
            cite = rng.random() < 0.42
            cur.append(self.sentence_with(sent, marker, cite))
            if len(cur) >= per_para:
                paragraphs.append(" ".join(cur))
                cur = []
        # markers left over go on extra sentences that repeat the topic's last line
        while extra > 0:
            cur.append(self.sentence_with("Этот вывод подтверждают и другие данные.", note, rng.random() < 0.5))
            note += 1
            extra -= 1
        if cur:
            paragraphs.append(" ".join(cur))
        return paragraphs

    # ---- layout

    def build(self) -> str:
        s = self.s
        rng = self.rng
        self._prepare_suffixes()
        self.make_notes()
        paragraphs = self.body_paragraphs()
        body_lines: list[str] = []
        for p in paragraphs:
            if p.startswith("#"):
                if body_lines:
                    body_lines.append("")
                body_lines.append(p[1:])
                body_lines.append("")
            else:
                body_lines.extend(wrap(p, s.width, rng))
                body_lines.append("")
        # pages: cut the body every page_lines lines
        pages: list[list[str]] = []
        for start in range(0, len(body_lines), s.page_lines):
            pages.append(body_lines[start : start + s.page_lines])
        # number the notes in marker order, per page or through the document
        order: list[tuple[int, int]] = []  # (page, note)
        for pi, page in enumerate(pages):
            for line in page:
                for m in re.finditer(r"⟦m#(\d+)⟧", line):
                    order.append((pi, int(m.group(1))))
        assert [o[1] for o in order] == list(range(len(self.notes))), "markers out of order"
        counters: dict[int, int] = {}
        for pi, k in order:
            key = pi if s.per_page else 0
            counters[key] = counters.get(key, 0) + 1
            self.notes[k].number = counters[key]
            self.notes[k].page = pi
        out: list[str] = []
        if s.per_page:
            out.append("⟦perpage⟧" + s.journal)
        else:
            out.append(s.journal)
        out += ["", TITLES[s.topic], "", "И.И. Автор", ""]
        carry: list[str] = []  # body continuation moved to the next page
        for pi, page in enumerate(pages):
            page_lines = [re.sub(r"⟦m#(\d+)⟧", lambda m: f"⟦m{self.notes[int(m.group(1))].number}⟧", ln) for ln in page]
            if pi > 0:
                if s.layout == "ff":
                    head = rng.random() < 0.5
                    first = f"⟦page⟧{40 + pi}" if head else "⟦page⟧"
                    out.append(first)
                    if not head:
                        out[-1] = "⟦page⟧" + (page_lines.pop(0) if page_lines else "")
                elif page_lines and page_lines[0]:
                    page_lines[0] = " " + page_lines[0]
            out.extend(page_lines)
            notes_here = [k for p_, k in order if p_ == pi]
            zone: list[str] = list(carry)
            carry = []
            urls_here: list[str] = []
            for j, k in enumerate(notes_here):
                note = self.notes[k]
                text = f"⟦f{note.number}⟧ " + self.note_text(k)
                lines: list[str] = []
                for chunk in text.split("\n"):  # a date printed across a line break
                    lines.extend(wrap(chunk, s.width, rng, hyphenate=False))
                last = j == len(notes_here) - 1
                if (
                    s.layout == "ff"
                    and last
                    and note.kind == "book"
                    and len(lines) >= 2
                    and pi + 1 < len(pages)
                    and rng.random() < 0.6
                ):
                    carry = lines[1:]
                    lines = lines[:1]
                if s.layout == "seed" and zone:
                    zone.append("")
                zone.extend(lines)
                if note.web:
                    urls_here.append(note.web[1])
            if zone and zone[-1]:
                if out and out[-1] != "":
                    out.append("")
                if s.layout == "ff" and rng.random() < 0.3:  # the rule above the notes
                    out.append("_" * 20)
                out.extend(zone)
            annotations = [u for u in urls_here if rng.random() < 0.45]
            if annotations:
                if s.layout == "seed":
                    out.append("")
                for u in annotations:
                    out.append((" " if rng.random() < 0.4 else "") + u)
                    if rng.random() < 0.15:
                        out.append(u)
            if s.layout == "ff" and rng.random() < 0.6:
                out.append(f"{s.journal} {40 + pi}")
        assert not carry
        if s.reference_list:
            out += ["", *self.reference_list()]
        return "\n".join(out) + "\n"

    # ---- reference list

    def reference_list(self) -> list[str]:
        s = self.s
        rng = self.rng
        works = [w for w in self._works() if w[0] not in self.unlisted]
        # every cited work is listed; one uncited work too (an entry never cited)
        listed = [w for w in works if w[0] in self.cited]
        spare = [
            w
            for w in WORKS
            if w[0] not in self.cited and w not in listed and w[0] not in self.unlisted and w[0] not in self.suffix
        ]
        listed.append(rng.choice(spare))
        ru = sorted((w for w in listed if w[6] == "ru"), key=lambda w: (_entry_text(w, self), w[0]))
        en = sorted((w for w in listed if w[6] == "en"), key=lambda w: (_entry_text(w, self), w[0]))
        ordered = ru + en
        out = [f"⟦sec⟧{s.heading}", ""]
        for i, w in enumerate(ordered, start=1):
            text = _entry_text(w, self)
            year = self._year(w)
            if s.reference_list == "numbered":
                tag = f"⟦ref {year} #{w[0]} n={i}⟧"
                text = f"{i}. {text}"
            else:
                tag = f"⟦ref {year} #{w[0]}⟧"
            lines = wrap(text, s.width, rng, hyphenate=False)
            lines[0] = tag + lines[0]
            out.extend(lines)
        if s.reference_list == "twin":
            out += ["", "⟦sec⟧References", ""]
            for w in ordered:
                text = _entry_text(w, self, tr=True)
                year = self._year(w)
                if w[6] == "ru":
                    year = year.replace("а", "a").replace("б", "b")
                lines = wrap(text, s.width, rng, hyphenate=False)
                lines[0] = f"⟦tref {year}⟧" + lines[0]
                out.extend(lines)
        return out


# Which pool items belong to which topic (the rest serve as occasional strays).
TOPIC_WEB = {
    "regions": [0, 1, 2, 3, 4, 5, 6, 7, 8, 38],
    "education": [9, 10, 11, 12, 13, 14, 15, 16],
    "water": [17, 18, 19, 20, 21, 22, 23, 24, 25],
    "media": [26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 39],
}
TOPIC_BOOKS = {"regions": [0, 1, 2, 3], "education": [4, 5, 6, 7], "water": [8, 9, 10, 11], "media": [12, 13, 14, 15]}
COMMENTS = [
    "Подсчитано автором по данным официальной статистики.",
    "Здесь и далее суммы приводятся в текущих ценах.",
    "Автор благодарит анонимных рецензентов за ценные замечания.",
    "Данные за 2023 г. являются предварительными.",
    "Подробнее об этом см. в следующем разделе статьи.",
]

TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "'",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)


def translit(text: str) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        if low in TRANSLIT:
            t = TRANSLIT[low]
            out.append(t.capitalize() if ch != low and t else t)
        else:
            out.append(ch)
    return "".join(out)


def _entry_text(w: tuple, b: DocBuilder, *, tr: bool = False) -> str:
    _key, authors, year, title, host, pub, lang = w
    year_s = b._year(w)
    do_tr = tr and lang == "ru"
    if do_tr:
        year_s = year_s.replace("а", "a").replace("б", "b")
    title_like = authors[0][1] == ""
    names = "" if title_like else ", ".join(f"{a[0]} {a[1]}" for a in authors) + " "
    if host:
        # host: "Journal. YEAR. № N. С. a–b" with the year inside
        host_s = host.replace(year, year_s, 1)
        if do_tr:
            host_t = translit(host_s).replace("№", "No.").replace(" S. ", " P. ")
            return f"{translit(names)}{translit(title)}. {host_t}. (In Russ.)"
        return f"{names}{title} // {host_s}."
    city = pub or "М.: Наука"
    if do_tr:
        city_t = translit(city).replace("M.:", "Moscow:").replace("SPb.:", "St. Petersburg:")
        return f"{translit(names)}{translit(title)}. {city_t} Publ., {year_s}. 200 p. (In Russ.)"
    pages = "с." if lang == "ru" else "p."
    return f"{names}{title}. {city}, {year_s}. {180 + len(title) % 150} {pages}"


def generated_documents() -> dict[str, tuple[str, str]]:
    styles = [
        Style(
            "11_gen_regions_ff",
            "regions",
            1101,
            "ff",
            reference_list="twin",
            cite_style="colon",
            n_notes=24,
            page_lines=28,
            journal="ВЕСТНИК РЕГИОНАЛЬНОЙ ЭКОНОМИКИ. 2024. Т. 12, № 2",
        ),
        Style(
            "12_gen_education_seed",
            "education",
            1202,
            "seed",
            n_notes=23,
            width=80,
            page_lines=26,
            journal="ОБРАЗОВАНИЕ И ОБЩЕСТВО. 2024. № 1 (146)",
        ),
        Style(
            "13_gen_water_perpage",
            "water",
            1303,
            "ff",
            per_page=True,
            reference_list="numbered",
            heading="Список источников",
            cite_style="comma",
            n_notes=24,
            page_lines=24,
            width=76,
            journal="ЦЕНТРАЛЬНАЯ АЗИЯ: ЭКОНОМИКА И ПОЛИТИКА. 2023. Т. 4, № 3",
        ),
        Style(
            "14_gen_media_crlf",
            "media",
            1404,
            "ff",
            reference_list="plain",
            heading="Литература",
            cite_style="colon",
            eol="\r\n",
            n_notes=24,
            page_lines=27,
            journal="МЕДИААЛЬМАНАХ. 2024. № 5",
        ),
        Style(
            "15_gen_regions_seed_bom",
            "regions",
            1505,
            "seed",
            reference_list="twin",
            heading="Библиографический список",
            cite_style="comma",
            n_notes=24,
            page_lines=25,
            width=74,
            journal="ПРОСТРАНСТВЕННАЯ ЭКОНОМИКА. 2024. Т. 20, № 1",
        ),
    ]
    docs: dict[str, tuple[str, str]] = {}
    for st in styles:
        docs[st.name] = (DocBuilder(st).build(), st.eol)
    return docs
