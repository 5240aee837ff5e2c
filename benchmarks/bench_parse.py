"""Benchmark: parse + offline audit of a generated monograph, and the CLI's cold start.

Run by hand (never from the test suite)::

    .venv/bin/python benchmarks/bench_parse.py                 # everything: 1x, 4x, 16x + cold start
    .venv/bin/python benchmarks/bench_parse.py --sizes 1 --no-coldstart
    .venv/bin/python benchmarks/bench_parse.py --sizes 0.25,1 --profile    # cProfile hot spots
    .venv/bin/python benchmarks/bench_parse.py generate --scale 1 --out /tmp/mono.txt

What it measures
  * A deterministic generator writes a Russian monograph in the layout pdftotext gives a
    journal PDF: pages cut mid-sentence, separated by form feeds or by a blank line and a
    line that starts with a space; footnote markers glued to words (``слово12.``, ``»13,``);
    footnote bodies at page bottoms with URLs broken across lines and access dates in
    several spellings; the PDF's repeated link-annotation lines; ``Там же`` and ``Указ.
    соч.``; bracketed author-year citations; numbers that are not markers (years, ``№ 280``,
    ``2020–2030``, decimals, percentages, list items, page numbers); a reference list.
    Footnote numbering restarts in every chapter (``--numbering`` changes that). At 1x it is
    ~10 MB with 10,000 footnotes and 5,000 citations; 4x and 16x add chapters, so the
    document grows self-similarly and time per MB should stay flat.
  * Each size runs in its own subprocess, so the sizes do not share a heap: the file is
    loaded with the CLI's loader, then ``pipeline.audit_static`` (parse + static rules +
    links) is timed; peak RSS (``ru_maxrss``) is read before and after, and optionally a
    second subprocess measures the tracemalloc peak of the same call.
  * Baseline in the same subprocess: ``text.split("\\n")`` plus one regex pass over the
    same text, so throughput is also given as a ratio to something measured alongside.
  * Recall and precision of what the parser found against what the generator put in, so a
    fast but wrong parser cannot look good.
  * Cold start: wall time of ``footcheck PAPER --offline --format json`` on a small
    generated paper (median of several runs), ``python -X importtime`` cost per top-level
    package, and whether httpx (or any other network library) was imported.

Only the standard library and footcheck are used.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import math
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = Path(tempfile.gettempdir()) / "footcheck-bench"
GENERATOR_VERSION = "6"  # bump when the generated text changes, to refresh cached files

# 1x: 40 chapters x 250 footnotes = 10,000 footnotes; 125 citations per chapter = 5,000.
CHAPTERS_1X = 40
FOOTNOTES_PER_CHAPTER = 250
CITATIONS_PER_CHAPTER = 125
REFERENCES_PER_CHAPTER = 30
FILLER_SENTENCES = 2.55  # sentences without any apparatus per footnote: tunes 1x to ~10 MB

NB = "\x01"
GOAL_MBPS = 5.0
GOAL_COLD_S = 0.3

# --------------------------------------------------------------------------------------
# Vocabulary (written for this benchmark: a monograph on regional transport and economy)
# --------------------------------------------------------------------------------------

SUBJECTS = (
    "региональные власти", "федеральный центр", "транспортная отрасль", "крупный бизнес",
    "муниципальные образования", "отраслевые министерства", "экспертное сообщество",
    "частные инвесторы", "железнодорожная монополия", "портовое хозяйство",
    "сельскохозяйственные предприятия", "местные элиты", "банковский сектор",
    "законодательное собрание края", "правительство области", "профильный комитет",
    "научные институты", "государственные корпорации", "малые города", "приграничные районы",
)
VERBS = (
    "пересматривали", "поддерживали", "оценивали", "откладывали", "финансировали",
    "критиковали", "согласовывали", "расширяли", "сокращали", "обсуждали", "выстраивали",
    "корректировали", "использовали", "закрепляли", "ограничивали", "продвигали",
)
OBJECTS = (
    "программу модернизации", "тарифную политику", "условия кредитования",
    "проекты развития магистралей", "систему субсидий", "планы строительства терминалов",
    "механизмы межбюджетных трансфертов", "налоговые льготы", "схему размещения складов",
    "инвестиционные соглашения", "порядок распределения квот", "инфраструктурные облигации",
    "стратегию пространственного развития", "требования к перевозчикам",
    "маршруты вывоза зерна", "сеть логистических центров",
)
ADJUNCTS = (
    "в условиях бюджетных ограничений", "на протяжении всего рассматриваемого периода",
    "в масштабах макрорегиона", "с учетом интересов соседних территорий",
    "без серьезного обсуждения альтернатив", "под давлением внешних обстоятельств",
    "вопреки рекомендациям экспертов", "по итогам многолетних переговоров",
    "в рамках пилотного проекта", "при поддержке профильных ведомств",
    "несмотря на сопротивление части депутатов", "в соответствии с новыми правилами",
)
NUMERIC_ADJUNCTS = (
    "в {year} г.", "к {year} г.", "в {decade}-х гг.", "на {pct}%", "почти на {pct} %",
    "постановлением №\x01{num}", "в XXI в.", "на период {year}–{year2} гг.",
    "около {thousands} 000 человек", "в {small},{digit} раза", "по данным на 1 января {year} г.",
    "в формате G20", "в формате С5+1", "с коэффициентом {small}.{digit}", "в {century} в.",
)
CONNECTORS = (
    "Вместе с тем", "При этом", "Кроме того", "Таким образом", "Однако", "Следовательно",
    "Одновременно", "В этой связи", "Прежде всего", "Тем не менее", "В целом", "Напротив",
)
GLUE_WORDS = (
    "регионов", "Сибири", "Урала", "ЕАЭС", "ОЭСР", "Росстата", "отрасли", "реформы",
    "перевозок", "экспорта", "инвестиций", "концессии", "соглашения", "программы",
    "министерства", "терминала", "магистрали", "тарифов", "субсидий", "портов",
)
QUOTES = (
    "регион не может развиваться без собственной логистики",
    "тарифы должны отражать реальные издержки перевозчика",
    "инвестор приходит туда, где правила не меняются каждый год",
    "без новых мостов вывоз урожая останется сезонным",
    "мы будем поддерживать малые аэропорты и речные маршруты",
    "строительство терминала откладывается до решения вопроса о земле",
)
LIST_ITEMS = (
    "сохранение единого тарифного пространства;", "поддержка малых перевозчиков;",
    "развитие речных портов;", "обновление подвижного состава;",
    "создание сети сухих портов;", "перенос грузов с автодорог на железную дорогу.",
)
SURNAMES = (
    "Абрамов", "Белоусова", "Воронцов", "Гладышев", "Демидова", "Ершов", "Жуковская", "Зайцев",
    "Ильина", "Карпенко", "Лебедев", "Мельникова", "Никитин", "Орлова", "Павленко", "Рябова",
    "Савельев", "Тарасова", "Ульянов", "Фролова", "Харитонов", "Цветкова", "Чернышёв", "Шамова",
    "Щукин", "Юдина", "Яковлев", "Агеева", "Борисенко", "Веселова", "Горбунов", "Дьячкова",
    "Ефремов", "Зуева", "Исаев", "Кулагина", "Ларионов", "Медведева", "Носков", "Осипова",
    "Прохоров", "Родионова", "Суханов", "Титова", "Уварова", "Фомин", "Хохлова", "Чеботарёв",
    "Шестаков", "Ширяева", "Блинов", "Власова", "Голованов", "Дорофеева", "Журавлёв",
    "Калинина", "Лаптев", "Мухина", "Назаров", "Овчинникова", "Пестов", "Ракитина", "Селезнёв",
    "Трофимова", "Устинов", "Филатова", "Хромов", "Черкасова", "Шилов", "Яшина", "Бойко",
    "Гусейнова", "Долгов", "Елисеева", "Зорин", "Игнатьева", "Кононов", "Лукина", "Миронов",
    "Нестерова", "Огнев", "Полякова", "Рогов", "Сорокина", "Терехов", "Фадеева", "Худяков",
    "Шубина", "Аксёнов", "Быкова", "Вершинин", "Гришина", "Дмитриев", "Жаркова", "Зотов",
)
INITIALS = "АБВГДЕЖИКЛМНОПРСТФЮЯ"
TITLE_WORDS = (
    "Транспортная политика", "Региональное развитие", "Логистика и экономика",
    "Инфраструктура и рост", "Пространственное развитие", "Речной транспорт",
    "Экономика перевозок", "Аграрный экспорт", "Сибирские магистрали", "Портовое хозяйство",
    "Межбюджетные отношения", "Тарифное регулирование", "Концессии в транспорте",
)
TITLE_TAILS = (
    "России в начале XXI века", "восточных регионов", "опыт двух десятилетий",
    "проблемы и перспективы", "очерки истории", "сравнительный анализ",
    "институты и практики", "от плана к рынку", "вызовы новой эпохи",
)
PUBLISHERS = (
    "М.: Наука", "СПб.: Алетейя", "М.: Издательство ВШЭ", "Новосибирск: Наука",
    "Екатеринбург: УрО РАН", "М.: Аспект Пресс", "М.: ИМЭМО РАН", "Томск: Изд-во ТГУ",
)
JOURNALS = (
    "Вопросы экономики", "Регион: экономика и социология", "Пространственная экономика",
    "ЭКО", "Мировая экономика и международные отношения", "Полис. Политические исследования",
    "Проблемы прогнозирования", "Известия РАН. Серия географическая",
)
ORGS = (
    "Стратегия развития транспорта", "Доклад о состоянии экономики регионов",
    "Генеральная схема развития сети", "Транспортная доктрина макрорегиона",
)
NEWS_TITLES = (
    "Правительство утвердило план развития {x}", "О мерах поддержки {x}",
    "Доклад о состоянии {x} в {year} году", "Министерство подвело итоги {x}",
    "Эксперты оценили перспективы {x}", "Стратегия развития {x} до 2035 года",
    "В регионе обсудили будущее {x}", "Итоги года: что изменилось для {x}",
)
NEWS_X = (
    "речных перевозок", "малых аэропортов", "зернового экспорта", "северного завоза",
    "железнодорожных тарифов", "логистических центров", "региональных дорог",
    "сухих портов", "транспортных коридоров", "пригородных перевозок",
)
DOMAINS = (
    "https://www.government.ru", "https://rosstat.gov.ru", "https://www.economy.gov.ru",
    "https://tass.ru", "https://ria.ru", "https://www.kommersant.ru", "https://www.rbc.ru",
    "https://www.vedomosti.ru", "https://mintrans.gov.ru", "https://президент.рф",
    "https://www.akorda.kz", "https://www.interfax.ru", "http://www.consultant.ru",
    "https://www.eurasiancommission.org",
)
URL_SECTIONS = ("ru/documents", "news", "doc", "economy", "press/releases", "ru/legal_acts/decrees",
                "activity/statistics", "document/cons_doc_LAW")
SLUG_WORDS = (
    "o", "merakh", "podderzhki", "regionov", "transporta", "razvitiya", "strategiya",
    "itogi", "goda", "tarifov", "eksporta", "zerna", "portov", "logistiki", "koncessii",
    "infrastruktury", "severnogo", "zavoza", "magistralej", "na", "do", "i", "v",
)
MONTHS_GEN = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
              "сентября", "октября", "ноября", "декабря")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")

_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r",
     "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "iu", "ia"],
    strict=True,
))

# --------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------


@dataclass
class Entry:
    """A reference-list entry the generator invented."""

    surnames: tuple[str, ...]  # as cited: ("Лебедев",) or a title for title-headed entries
    initials: tuple[str, ...]
    year: str  # with suffix: "2019а"
    text: str
    title_heading: bool = False
    index: int = 0  # 1-based position in the list


@dataclass
class Expected:
    """What the generator put in, with line numbers."""

    footnotes: list[dict] = field(default_factory=list)  # number, line, marker_line, urls, dates, refers_to
    citations: list[dict] = field(default_factory=list)  # line, authors0, year, locator, kind, entry
    references: list[int] = field(default_factory=list)  # first line of every entry
    reference_line: int = 0
    chapters: int = 0
    pages: int = 0


class _Lines:
    """An output buffer that knows the 1-based number of the next line."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    @property
    def next_number(self) -> int:
        return len(self.lines) + 1

    def add(self, text: str) -> int:
        # NB glues "№ 5", "С. 12" while wrapping, as a typesetter's no-break space does
        self.lines.append(text.replace(NB, " ") if NB in text else text)
        return len(self.lines)


def _hyphen_point(word: str, rng: random.Random) -> int | None:
    """Where a PDF would hyphenate a Cyrillic word: after a vowel, 3+ letters each side."""
    if len(word) < 8 or not word.isalpha():
        return None
    vowels = "аеёиоуыэюя"
    points = [k for k in range(3, len(word) - 3)
              if word[k - 1] in vowels and word[k] not in "ьъй" and word[k + 1] not in "ьъ"]
    return rng.choice(points) if points else None


def _end(word: str) -> str:
    """Close a sentence: "г." already ends with its abbreviation's period."""
    return word if word.endswith(".") else word + "."


class Generator:
    def __init__(self, seed: int = 20240601, numbering: str = "chapter",
                 footnotes_per_chapter: int = FOOTNOTES_PER_CHAPTER,
                 citations_per_chapter: int = CITATIONS_PER_CHAPTER,
                 references_per_chapter: int = REFERENCES_PER_CHAPTER,
                 filler: float = FILLER_SENTENCES) -> None:
        self.seed = seed
        self.numbering = numbering
        self.fpc = footnotes_per_chapter
        self.cpc = citations_per_chapter
        self.rpc = references_per_chapter
        self.filler = filler
        self.out = _Lines()
        self.expected = Expected()
        self.entries: list[Entry] = []
        self._keys: set[tuple[str, str]] = set()
        self.page_no = 1
        self.running = 0  # continuous footnote number
        self._last_cited: Entry | None = None  # what a bracketed [Там же] repeats

    # ---- reference entries -----------------------------------------------------------

    def _new_entries(self, rng: random.Random, count: int) -> list[Entry]:
        made: list[Entry] = []
        fails = 0
        while len(made) < count:
            kind = rng.random()
            year = str(rng.randint(1965, 2023))
            pub = rng.choice(PUBLISHERS)
            title = f"{rng.choice(TITLE_WORDS)}: {rng.choice(TITLE_TAILS)}"
            if kind < 0.06:  # a title-headed collection: cited by its title
                head = f"{rng.choice(ORGS)} {rng.choice(NEWS_X)}"
                if (head, year) in self._keys:
                    continue
                self._keys.add((head, year))
                text = (f"{head}: сб. ст. / под ред. {rng.choice(INITIALS)}.{rng.choice(INITIALS)}. "
                        f"{rng.choice(SURNAMES)}. {pub}, {year}. {rng.randint(120, 600)} с.")
                made.append(Entry((head,), ("",), year, text, title_heading=True))
                continue
            n_auth = 1 if kind < 0.7 else (2 if kind < 0.9 else 3)
            names = tuple(rng.sample(SURNAMES, n_auth))
            key = (names[0], year)
            if key in self._keys and fails > 50:
                # 16x lists outgrow surname x year: take the first free year and letter
                year = next(f"{y}{x}" for y in range(1900, 2024) for x in ("", *"абвгде")
                            if (names[0], f"{y}{x}") not in self._keys)
                key = (names[0], year)
            elif key in self._keys:
                # a second work of the same author and year: the year takes a letter
                if (names[0], year + "а") in self._keys:
                    fails += 1
                    continue
                year = year + rng.choice("аб")
                key = (names[0], year)
                if key in self._keys:
                    fails += 1
                    continue
            fails = 0
            self._keys.add(key)
            inits = tuple(f"{rng.choice(INITIALS)}.{rng.choice(INITIALS)}." for _ in names)
            heads = ", ".join(f"{s} {i}" for s, i in zip(names, inits, strict=True))
            if rng.random() < 0.5:
                text = f"{heads} {title}. {pub}, {year}. {rng.randint(120, 600)} с."
            else:
                text = (f"{heads} {title} // {rng.choice(JOURNALS)}. {year}. №\x01{rng.randint(1, 12)}. "
                        f"С.\x01{rng.randint(5, 90)}–{rng.randint(91, 180)}.")
                if rng.random() < 0.15:
                    text += f" DOI: 10.{rng.randint(10000, 39999)}/{rng.randint(1000, 9999)}-{year[:4]}"
            made.append(Entry(names, inits, year, text))
        return made

    # ---- footnote texts ----------------------------------------------------------------

    def _url(self, rng: random.Random) -> str:
        dom = rng.choice(DOMAINS)
        sec = rng.choice(URL_SECTIONS)
        r = rng.random()
        if r < 0.45:
            slug = "-".join(rng.choice(SLUG_WORDS) for _ in range(rng.randint(4, 11)))
            if rng.random() < 0.3:
                slug += f"-{rng.randint(2015, 2024)}-{rng.randint(2025, 2040)}-gody"
            url = f"{dom}/{sec}/{slug}"
            if rng.random() < 0.5:
                url += "/"
        elif r < 0.8:
            stamp, ident = rng.randint(20150101, 20241231), rng.randint(10**8, 10**10)
            url = f"{dom}/{sec}/{stamp}/{rng.choice(SLUG_WORDS)}-{ident}.html"
        else:
            url = f"{dom}/{sec}/{rng.randint(1000000, 9999999)}"
        t = rng.random()
        if t < 0.07:
            url += f"?ysclid={''.join(rng.choice('abcdefghijklmnopqrstuvwxyz0123456789') for _ in range(20))}"
        elif t < 0.1:
            url += "?utm_source=telegram&utm_medium=social&utm_campaign=digest"
        elif t < 0.13:
            url += f"?id={rng.randint(1, 99999)}&lang=ru"
        return url

    def _access(self, rng: random.Random) -> tuple[str, str]:
        """(printed access date, ISO date)."""
        y, m, d = rng.randint(2019, 2024), rng.randint(1, 12), rng.randint(1, 28)
        iso = f"{y:04d}-{m:02d}-{d:02d}"
        r = rng.random()
        if r < 0.7:
            return f"(дата обращения: {d:02d}.{m:02d}.{y})", iso
        if r < 0.8:
            return f"(дата доступа: {d}.{m:02d}.{y % 100:02d})", iso
        if r < 0.87:
            return f"(дата посещения: {d} {MONTHS_GEN[m - 1]} {y} г.)", iso
        if r < 0.94:
            return f"(accessed {d} {MONTHS_EN[m - 1]} {y})", iso
        return f"(дата обращения: {iso})", iso

    def _footnote_text(self, rng: random.Random, prev_real: dict | None,
                       earlier_authors: list[tuple[str, int]]) -> tuple[str, list[str], list[str], str]:
        """(text, urls, ISO access dates, kind)."""
        r = rng.random()
        if prev_real is not None and r < 0.12:
            return rng.choice(("Там же.", f"Там же. С.\x01{rng.randint(2, 400)}.",
                               f"Там же. Т.\x01{rng.randint(1, 3)}. С.\x01{rng.randint(2, 90)}.")), [], [], "ibid"
        if earlier_authors and r < 0.16:
            name, _ = earlier_authors[-rng.randint(1, min(3, len(earlier_authors)))]
            return (f"{name} {rng.choice(INITIALS)}.{rng.choice(INITIALS)}. Указ. соч. "
                    f"С.\x01{rng.randint(2, 300)}."), [], [], "opcit:" + name
        if r < 0.36:
            name = rng.choice(SURNAMES)
            text = (f"{name} {rng.choice(INITIALS)}.{rng.choice(INITIALS)}. {rng.choice(TITLE_WORDS)}. "
                    f"{rng.choice(PUBLISHERS)}, {rng.randint(1970, 2023)}. С.\x01{rng.randint(3, 500)}.")
            return text, [], [], "book:" + name
        url = self._url(rng)
        title = rng.choice(NEWS_TITLES).format(x=rng.choice(NEWS_X), year=rng.randint(2010, 2023))
        y = rng.randint(2012, 2023)
        source = f"{y}. {rng.randint(1, 28)} {rng.choice(MONTHS_GEN)}. " if rng.random() < 0.6 else f"{y}. "
        if rng.random() < 0.05:  # no access date: a finding, but the URL must still be found
            return f"{title}. {source}URL: {url}.", [url], [], "web"
        acc, iso = self._access(rng)
        if rng.random() < 0.08:  # two URLs in one note
            url2 = self._url(rng)
            acc2, iso2 = self._access(rng)
            return (f"{title}. {source}URL: {url} {acc}; см. также: URL: {url2} {acc2}.",
                    [url, url2], [iso, iso2], "web")
        if rng.random() < 0.15:
            name = rng.choice(SURNAMES)
            text = (f"{name} {rng.choice(INITIALS)}.{rng.choice(INITIALS)}. {title} // "
                    f"{rng.choice(JOURNALS)}. {y}. №\x01{rng.randint(1, 12)}. С.\x01{rng.randint(3, 99)}. "
                    f"URL: {url} {acc}.")
            return text, [url], [iso], "article:" + name
        return f"{title}. {source}URL: {url} {acc}.", [url], [iso], "web"

    # ---- citations -------------------------------------------------------------------

    def _cite(self, entry: Entry, rng: random.Random) -> tuple[str, dict]:
        """One citation of an entry: (raw text, expectation)."""
        r = rng.random()
        if entry.title_heading:
            who = entry.surnames[0]
        elif len(entry.surnames) >= 3:
            who = f"{entry.surnames[0]} и др."
        elif len(entry.surnames) == 2:
            who = f"{entry.surnames[0]}, {entry.surnames[1]}"
        elif r < 0.2:
            who = f"{entry.surnames[0]} {entry.initials[0]}"
        else:
            who = entry.surnames[0]
        loc = None
        q = rng.random()
        if q < 0.45:
            loc = str(rng.randint(3, 450))
            raw = f"{who} {entry.year}: {loc}"
        elif q < 0.55:
            loc = f"с. {rng.randint(3, 450)}"
            raw = f"{who} {entry.year}, {loc.replace(' ', NB)}"
        else:
            raw = f"{who} {entry.year}"
        return raw, {"author": entry.surnames[0], "year": entry.year, "locator": loc, "kind": "author-year",
                     "entry_obj": entry}

    def _bracket(self, rng: random.Random, pool: list[Entry], budget: int,
                 last_was_cite: bool) -> list[tuple[str, object]]:
        """The tokens of one bracket (1 or 2 citations, or an [Там же]); the first token of
        each citation carries its expectation."""
        if last_was_cite and rng.random() < 0.1:
            loc = str(rng.randint(2, 300)) if rng.random() < 0.7 else None
            parts = [(f"Там же: {loc}" if loc else "Там же",
                      {"author": None, "year": None, "locator": loc, "kind": "ibid", "entry_obj": self._last_cited})]
        else:
            n = 2 if budget >= 2 and rng.random() < 0.2 else 1
            picks = rng.sample(pool, n)
            parts = [self._cite(e, rng) for e in picks]
            self._last_cited = picks[-1]
        tokens: list[tuple[str, object]] = []
        for k, (raw, ex) in enumerate(parts):
            words = raw.split()
            words[0] = ("[" if k == 0 else "") + words[0]
            words[-1] += ";" if k < len(parts) - 1 else "]."
            tokens += [(w, ("c", ex) if j == 0 else None) for j, w in enumerate(words)]
        return tokens

    # ---- body text -------------------------------------------------------------------

    def _numeric(self, rng: random.Random) -> str:
        year = rng.randint(1950, 2030)
        return rng.choice(NUMERIC_ADJUNCTS).format(
            year=year, year2=year + rng.randint(5, 15), decade=rng.choice((1950, 1970, 1990, 2000)),
            pct=f"{rng.randint(1, 99)},{rng.randint(1, 9)}", num=rng.randint(10, 999),
            thousands=rng.randint(2, 95), small=rng.randint(1, 9), digit=rng.randint(1, 9),
            century=rng.choice(("XIX", "XX")),
        )

    def _sentence(self, rng: random.Random) -> str:
        parts = []
        if rng.random() < 0.35:
            parts.append(rng.choice(CONNECTORS))
        parts += [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS)]
        if rng.random() < 0.6:
            parts.append(rng.choice(ADJUNCTS))
        if rng.random() < 0.45:
            parts.append(self._numeric(rng))
        if parts[0] in CONNECTORS and rng.random() < 0.5:
            parts[0] += ","
        s = " ".join(parts)
        return s[0].upper() + s[1:]

    # ---- layout ----------------------------------------------------------------------

    def _wrap(self, tokens: list[tuple[str, object]], width: int, rng: random.Random,
              hyphenate: bool = True) -> list[tuple[str, list[object]]]:
        """Greedy wrap with PDF-style hyphenation; returns (line, tags on it)."""
        lines: list[tuple[str, list[object]]] = []
        cur: list[str] = []
        cur_len = 0
        tags: list[object] = []
        for word, tag in tokens:
            extra = len(word) + (1 if cur else 0)
            if cur and cur_len + extra > width:
                point = _hyphen_point(word, rng) if hyphenate and rng.random() < 0.5 else None
                room = width - cur_len - 1
                if point is not None and point + 1 <= room:
                    cur.append(word[:point] + "-")
                    lines.append((" ".join(cur), tags))
                    cur, cur_len, tags = [word[point:]], len(word) - point, []
                    if tag is not None:
                        tags.append(tag)
                    continue
                lines.append((" ".join(cur) + " ", tags))
                cur, cur_len, tags = [], 0, []
                extra = len(word)
            cur.append(word)
            cur_len += extra
            if tag is not None:
                tags.append(tag)
        if cur:
            lines.append((" ".join(cur), tags))
        return lines

    def _wrap_note(self, text: str, width: int, rng: random.Random) -> list[str]:
        """Wrap a footnote body; URLs that do not fit are broken as pdftotext breaks them."""
        lines: list[str] = []
        cur = ""
        for word in text.split(" "):
            while True:
                sep = " " if cur else ""
                if len(cur) + len(sep) + len(word) <= width:
                    cur += sep + word
                    break
                if "://" in word or (cur.endswith("URL:") and word.startswith("http")):
                    room = width - len(cur) - len(sep)
                    cut = self._url_cut(word, room, rng)
                    if cut > 0:
                        lines.append(cur + sep + word[:cut])
                        cur, word = "", word[cut:]
                        continue
                if not cur:  # a single token longer than a line
                    lines.append(word[:width])
                    word = word[width:]
                    if not word:
                        break
                    continue
                lines.append(cur + " ")
                cur = ""
        if cur:
            lines.append(cur)
        return lines

    @staticmethod
    def _url_cut(url: str, room: int, rng: random.Random) -> int:
        """Where a URL breaks across lines: right after the scheme, after a hyphen (which
        stays with the URL) or a slash, or anywhere (no hyphen added)."""
        if room < 8:
            return 0
        scheme = url.find("://") + 3
        if scheme <= room and (room < scheme + 12 or rng.random() < 0.25):
            return scheme
        marks = [k + 1 for k, ch in enumerate(url[:room]) if ch in "-/" and k + 1 > scheme]
        if marks and rng.random() < 0.7:
            return marks[-1]
        host_end = url.find("/", scheme)
        if scheme <= room and room < host_end and rng.random() < 0.8:
            return scheme  # the host does not fit: most layouts break after "//"
        return room

    def _chapter(self, c: int, pool_global: list[Entry]) -> None:
        rng = random.Random(f"{self.seed}:{c}")
        own = self._new_entries(rng, self.rpc)
        self.entries.extend(own)
        pool = own + rng.sample(pool_global, min(len(pool_global), 10))
        formfeeds = c % 2 == 0  # half the chapters: form feeds; the other half: seed-like breaks
        width = rng.randint(70, 80)
        note_width = width + 12

        # the token stream of the chapter: sentences with markers and brackets
        tokens: list[tuple[str, object]] = []
        n_fn = self.fpc
        slots = ["m"] * n_fn
        cites_left = self.cpc
        n_brackets = int(self.cpc / 1.17)
        slots += ["c"] * n_brackets
        slots += ["f"] * int(n_fn * self.filler)
        slots += ["q"] * (n_fn // 25) + ["l"] * (n_fn // 60) + ["x"] * (n_fn // 40)
        rng.shuffle(slots)
        marker_no = 0
        last_cite = False
        for slot in slots:
            if slot == "l":
                tokens.append(("\n", None))
                for k, item in enumerate(rng.sample(LIST_ITEMS, 3), start=1):
                    tokens.append((f"{k})", None))
                    tokens.extend((w, None) for w in item.split())
                    tokens.append(("\n", None))
                continue
            sent = self._sentence(rng)
            words = sent.split()
            if slot == "x":  # brackets that are not citations
                words.insert(rng.randint(1, len(words) - 1),
                             rng.choice(("[sic]", "[...]", "[курсив мой. – Авт.]", "[т.е. в 1998 г.]")))
            if slot == "q":
                who = rng.choice(SUBJECTS)
                words = [who[0].upper() + who[1:], "отмечали:", *f"«{rng.choice(QUOTES)}».".split()]
                tokens.extend((w, None) for w in words)
                continue
            if slot == "m":
                marker_no += 1
                self.running += 1
                num = marker_no if self.numbering == "chapter" else self.running
                style = rng.random()
                if not words[-1].rstrip(".").isalpha() and style < 0.55:
                    style = 0.6  # "G20" + marker would be unreadable even to a human
                if style < 0.55:
                    words[-1] = _end(f"{words[-1]}{num}")
                    at = len(words) - 1
                elif style < 0.75:
                    words += ["в", "ходе", f"{rng.choice(GLUE_WORDS)}{num},"]
                    at = len(words) - 1
                    words += ["что", "подтверждают", "источники."]
                elif style < 0.9:
                    words[-1] += ","
                    quote = f"«{rng.choice(QUOTES)}»{num}.".split()
                    words += ["по", "словам", "участников,", *quote]
                    at = len(words) - 1
                else:  # after the subject, mid-sentence: "Частные инвесторы12 расширяли"
                    at = next((k for k in range(1, len(words) - 1) if words[k].isalpha() and len(words[k]) > 3
                               and words[k + 1].isalpha()), len(words) - 1)
                    words[at] += f"{num}"
                    words[-1] = _end(words[-1])
                tokens.extend((w, ("m", num) if k == at else None) for k, w in enumerate(words))
                last_cite = False
                continue
            if slot == "c" and cites_left > 0:
                btoks = self._bracket(rng, pool, cites_left, last_cite)
                cites_left -= sum(1 for _, tag in btoks if tag)
                tokens.extend((w, None) for w in words)
                tokens.extend(btoks)
                last_cite = True
                continue
            tokens.extend((w, None) for w in words[:-1])
            tokens.append((_end(words[-1]), None))
            if rng.random() < 0.18:
                tokens.append(("\n", None))  # paragraph break
        # a chapter that ran out of citation slots gets its remaining brackets at the end
        while cites_left > 0:
            btoks = self._bracket(rng, pool, cites_left, False)
            cites_left -= sum(1 for _, tag in btoks if tag)
            tokens.extend((w, None) for w in self._sentence(rng).split())
            tokens.extend(btoks)

        # wrap paragraphs into lines
        body: list[tuple[str, list[object]]] = []
        para: list[tuple[str, object]] = []
        for tok in tokens:
            if tok[0] == "\n":
                if para:
                    body += self._wrap(para, width, rng)
                    body.append(("", []))
                    para = []
                continue
            para.append(tok)
        if para:
            body += self._wrap(para, width, rng)

        # cut into pages; each page ends with the bodies of the markers on it
        heading_done = False
        prev_real: dict | None = None
        prev_note: int | None = None
        earlier_authors: list[tuple[str, int]] = []
        pos = 0
        while pos < len(body):
            size = rng.randint(22, 30)
            page = body[pos : pos + size]
            pos += size
            out = self.out
            first = True
            if not heading_done:
                if self.out.lines:
                    out.add("\f" + f"Глава {c + 1}. {rng.choice(TITLE_WORDS)} и {rng.choice(TITLE_TAILS)}")
                else:
                    out.add(f"Глава {c + 1}. {rng.choice(TITLE_WORDS)} и {rng.choice(TITLE_TAILS)}")
                out.add("")
                heading_done = True
                first = False
            markers: list[tuple[int, int]] = []
            for text, tags in page:
                if first:
                    text = ("\f" if formfeeds else " ") + text
                    first = False
                ln = out.add(text)
                for tag in tags:
                    if tag[0] == "m":
                        markers.append((tag[1], ln))
                    else:
                        self.expected.citations.append({**tag[1], "line": ln})
            if not markers:
                if formfeeds:
                    out.add("")
                    out.add(f"{self.page_no}")
                self.page_no += 1
                continue
            out.add("")
            annotations: list[str] = []
            for num, mline in markers:
                text, urls, dates, kind = self._footnote_text(rng, prev_real, earlier_authors)
                lines = self._wrap_note(f"{num} {text}", note_width, rng)
                start = out.next_number
                for ln_text in lines:
                    out.add(ln_text)
                if not formfeeds or rng.random() < 0.5:
                    out.add("")
                refers = alt = None
                if kind == "ibid":
                    # "Там же" after "Указ. соч." repeats the same work: either note is right
                    refers = prev_real["number"] if prev_real else None
                    alt = prev_note
                elif kind.startswith("opcit:"):
                    name = kind.split(":", 1)[1]
                    refers = next((n for a, n in reversed(earlier_authors) if a == name), None)
                    prev_real = {"number": refers} if refers is not None else prev_real
                prev_note = num
                self.expected.footnotes.append({"number": num, "line": start, "marker_line": mline,
                                                "urls": urls, "dates": dates, "refers_to": refers,
                                                "refers_to_alt": alt, "kind": kind.split(":")[0]})
                if kind != "ibid" and not kind.startswith("opcit:"):
                    prev_real = {"number": num}
                    if ":" in kind:
                        earlier_authors.append((kind.split(":", 1)[1], num))
                for u in urls:
                    if rng.random() < 0.35:
                        annotations.append(u)
                        if rng.random() < 0.2:
                            annotations.append(u)
            for u in annotations:
                out.add((" " if rng.random() < 0.4 else "") + u)
            if formfeeds:
                out.add("")
                out.add(f"{self.page_no}")
            self.page_no += 1
        self.out.add("")

    def build(self, chapters: int) -> tuple[str, Expected]:
        intro = random.Random(f"{self.seed}:intro")
        self.out.add("Введение")
        self.out.add("")
        for _ in range(3):
            for text, _tags in self._wrap([(w, None) for w in " ".join(
                    self._sentence(intro) + "." for _ in range(6)).split()], 76, intro):
                self.out.add(text)
            self.out.add("")
        for c in range(chapters):
            self._chapter(c, self.entries[-200:])
        # the reference list, alphabetical, as monographs print it
        self.entries.sort(key=lambda e: (e.surnames[0].replace("ё", "е"), e.year))
        self.out.add("\fСписок литературы")
        self.out.add("")
        self.expected.reference_line = self.out.next_number - 2
        ref_rng = random.Random(f"{self.seed}:refs")
        line_of: dict[int, int] = {}
        for k, e in enumerate(self.entries, start=1):
            e.index = k
            line_of[id(e)] = self.out.next_number
            for ln in self._wrap_note(e.text, 90, ref_rng):
                self.out.add(ln)
        for c in self.expected.citations:
            obj = c.pop("entry_obj")
            c["entry_line"] = line_of[id(obj)] if obj is not None else None
        self.expected.references = sorted(line_of.values())
        self.expected.chapters = chapters
        self.expected.pages = self.page_no - 1
        return "\n".join(self.out.lines) + "\n", self.expected


def generate(scale: float, seed: int = 20240601, numbering: str = "chapter") -> tuple[str, Expected]:
    chapters = max(1, round(CHAPTERS_1X * scale))
    gen = Generator(seed=seed, numbering=numbering)
    return gen.build(chapters)


def generate_paper(seed: int = 7) -> tuple[str, Expected]:
    """A journal-article-sized text (~30 KB) for the cold-start measurement."""
    gen = Generator(seed=seed, footnotes_per_chapter=9, citations_per_chapter=15,
                    references_per_chapter=14, filler=14)
    return gen.build(1)


# --------------------------------------------------------------------------------------
# Generated files are cached, keyed by everything that changes them
# --------------------------------------------------------------------------------------


def cached_monograph(scale: float, seed: int, numbering: str) -> tuple[Path, Path]:
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    stem = f"mono-v{GENERATOR_VERSION}-{numbering}-s{seed}-x{scale:g}"
    txt, exp = CACHE_DIR / f"{stem}.txt", CACHE_DIR / f"{stem}.expected.json"
    if not (txt.exists() and exp.exists()):
        text, expected = generate(scale, seed, numbering)
        _write_expected(exp, expected)
        txt.write_text(text, encoding="utf-8")
    return txt, exp


def _write_expected(path: Path, expected: Expected) -> None:
    path.write_text(json.dumps(dataclasses.asdict(expected), ensure_ascii=False), encoding="utf-8")


# --------------------------------------------------------------------------------------
# Scoring what the parser found against what was generated
# --------------------------------------------------------------------------------------


def _pr(tp: int, expected: int, found: int) -> dict:
    return {"tp": tp, "expected": expected, "found": found,
            "recall": tp / expected if expected else 1.0, "precision": tp / found if found else 1.0}


def score(doc, expected: dict) -> dict:  # type: ignore[no-untyped-def]
    ex_fn = {f["line"]: f for f in expected["footnotes"]}
    got_fn = {fn.line: fn for fn in doc.footnotes}
    fn_tp = sum(1 for line, f in ex_fn.items() if line in got_fn and got_fn[line].number == f["number"])
    pair_tp = sum(1 for line, f in ex_fn.items()
                  if line in got_fn and f["marker_line"] in got_fn[line].marker_lines)
    n_pairs = sum(len(fn.marker_lines) for fn in doc.footnotes)
    ex_urls = Counter((line, u) for line, f in ex_fn.items() for u in f["urls"])
    got_urls = Counter((fn.line, m.url) for fn in doc.footnotes for m in fn.urls)
    url_tp = sum((ex_urls & got_urls).values())
    ex_dates = Counter((line, d) for line, f in ex_fn.items() for d in f["dates"])
    got_dates = Counter((fn.line, u.access_date.value.isoformat()) for fn in doc.footnotes for u in fn.urls
                        if u.access_date is not None and u.access_date.value is not None)
    date_tp = sum((ex_dates & got_dates).values())
    rep = [(line, f) for line, f in ex_fn.items() if f["kind"] in ("ibid", "opcit") and f["refers_to"] is not None]
    rep_tp = sum(1 for line, f in rep
                 if line in got_fn and got_fn[line].refers_to in (f["refers_to"], f.get("refers_to_alt")))
    rep_found = sum(1 for fn in doc.footnotes if fn.refers_to is not None)

    def loc(text: str | None) -> str:
        # "с. 25" and "25" are the same locator; the parser may keep or drop the prefix
        return re.sub(r"^(?:[сСpP]\.\s*)", "", text or "")

    def ckey(c: dict) -> tuple:
        return (c["line"], c["kind"], c["author"] or "", c["year"] or "", loc(c["locator"]))

    def gkey(c) -> tuple:  # type: ignore[no-untyped-def]
        author = ""
        if c.authors:
            author = re.sub(r"(?:\s*(?:[А-ЯЁA-Z]\.\s?){1,3})$", "", c.authors[0]).strip()
        return (c.line, c.kind, author, c.year or "", loc(c.locator))

    ex_c = Counter(ckey(c) for c in expected["citations"])
    got_c = Counter(gkey(c) for c in doc.citations)
    cite_tp = sum((ex_c & got_c).values())
    # matching to the list: the entry a citation was matched to, named by its first line
    refs = doc.references
    ex_m = Counter((*ckey(c), c["entry_line"]) for c in expected["citations"] if c["entry_line"])
    got_m = Counter((*gkey(c), refs[c.reference].line) for c in doc.citations
                    if c.reference is not None and 0 <= c.reference < len(refs))
    ex_refs = Counter(expected["references"])
    got_refs = Counter(r.line for r in refs)
    return {
        "footnotes": _pr(fn_tp, len(ex_fn), len(doc.footnotes)),
        "marker_pairs": _pr(pair_tp, len(ex_fn), n_pairs),
        "urls": _pr(url_tp, sum(ex_urls.values()), sum(got_urls.values())),
        "access_dates": _pr(date_tp, sum(ex_dates.values()), sum(got_dates.values())),
        "repeat_refers_to": _pr(rep_tp, len(rep), rep_found),
        "citations": _pr(cite_tp, len(expected["citations"]), len(doc.citations)),
        "citation_to_entry": _pr(sum((ex_m & got_m).values()), sum(ex_m.values()), sum(got_m.values())),
        "references": _pr(sum((ex_refs & got_refs).values()), len(expected["references"]), len(refs)),
    }


# --------------------------------------------------------------------------------------
# One size, in its own process
# --------------------------------------------------------------------------------------


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def measure_one(txt: Path, exp_path: Path, mode: str, repeat: int) -> dict:
    """Runs inside the child process."""
    sys.path.insert(0, str(ROOT / "src"))
    import datetime as dt

    from footcheck.load import load_path
    from footcheck.pipeline import audit_static
    from footcheck.rules import RuleContext

    ctx = RuleContext(today=dt.date(2024, 6, 1))
    rss_imports = _maxrss_mb()
    t0 = time.perf_counter()
    loaded = load_path(txt)
    t_load = time.perf_counter() - t0
    size_mb = txt.stat().st_size / 1e6
    rss_loaded = _maxrss_mb()
    result: dict = {"size_mb": size_mb, "lines": loaded.text.count("\n"), "load_s": t_load}

    if mode == "tracemalloc":
        import tracemalloc

        gc.collect()
        tracemalloc.start()
        audit = audit_static(loaded, ctx)
        _cur, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        result["tracemalloc_peak_mb"] = peak / 1e6
        return result
    if mode == "profile":
        import cProfile
        import io
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        audit = audit_static(loaded, ctx)
        prof.disable()
        buf = io.StringIO()
        stats = pstats.Stats(prof, stream=buf)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(35)
        result["profile"] = buf.getvalue()
        return result

    times, cpu = [], []
    audit = None
    for _ in range(repeat):
        audit = None
        gc.collect()
        t0, c0 = time.perf_counter(), time.process_time()
        audit = audit_static(loaded, ctx)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    assert audit is not None
    result["audit_s"] = min(times)
    result["audit_cpu_s"] = min(cpu)  # other engineers share the 2 cores: CPU time is steadier
    result["audit_runs_s"] = times
    result["rss_imports_mb"] = rss_imports
    result["rss_loaded_mb"] = rss_loaded
    result["rss_peak_mb"] = _maxrss_mb()
    # baseline (after the audit, so its memory does not count): what it costs just to look
    # at every line and run one regex over the text.
    t0 = time.perf_counter()
    lines = loaded.text.split("\n")
    hits = sum(1 for _ in re.finditer(r"(?<=[^\W\d_])\d{1,3}(?=[.,;:»])|\[[^\[\]]{1,400}\]", loaded.text))
    t_base = time.perf_counter() - t0
    del lines
    result["baseline_s"] = t_base
    result["baseline_hits"] = hits

    # scoring runs after the memory figures are read: its data must not count
    expected = json.loads(exp_path.read_text(encoding="utf-8"))
    result["score"] = score(audit.document, expected)
    result["counts"] = {"footnotes": len(audit.document.footnotes), "markers": len(audit.document.markers),
                        "citations": len(audit.document.citations),
                        "references": len(audit.document.references), "links": len(audit.links),
                        "findings": dict(Counter(f.code for f in audit.findings)),
                        "per_page_numbering": audit.document.per_page_numbering}
    result["expected_counts"] = {"footnotes": len(expected["footnotes"]),
                                 "citations": len(expected["citations"]),
                                 "references": len(expected["references"]), "pages": expected["pages"]}
    return result


def run_child(scale: float, args: argparse.Namespace, mode: str, src: str | None = None) -> dict:
    """One size in a subprocess of its own; ``src``: another tree's ``src`` folder to
    import footcheck from (``--before``)."""
    txt, exp = cached_monograph(scale, args.seed, args.numbering)
    cmd = [sys.executable, __file__, "_child", str(txt), str(exp), "--mode", mode, "--repeat", str(args.repeat)]
    env = None
    if src is not None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (src, os.environ.get("PYTHONPATH"))))}
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"scale": scale, "timeout": args.timeout, "size_mb": txt.stat().st_size / 1e6}
    if proc.returncode != 0:
        return {"scale": scale, "error": proc.stderr[-3000:], "size_mb": txt.stat().st_size / 1e6}
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["scale"] = scale
    out["child_wall_s"] = time.perf_counter() - t0
    return out


# --------------------------------------------------------------------------------------
# Cold start
# --------------------------------------------------------------------------------------

NETWORK_MODULES = ("httpx", "httpcore", "h11", "anyio", "ssl", "bs4", "waybackpy", "requests",
                   "urllib3", "sqlite3", "charset_normalizer", "platformdirs")


def parse_importtime(stderr: str) -> dict[str, dict[str, float]]:
    """Per top-level package: ``self`` = the sum of its own modules' self times (ms, each
    module counted once, so the packages add up to the total), ``incl`` = cumulative time
    where it is entered from another package (ms, what importing it costs, including what
    it pulls in), and the package that first imported it."""
    rows = []
    for line in stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S+)", line)
        if m:
            rows.append((int(m[1]), int(m[2]), len(m[3]) // 2, m[4]))
    per: dict[str, dict] = defaultdict(lambda: {"self": 0.0, "incl": 0.0, "by": []})
    stack: list[tuple[int, str]] = []  # (depth, top-level package) of open ancestors
    # importtime prints children before their parent; walk it backwards to know parents
    for self_us, cum_us, depth, name in reversed(rows):
        while stack and stack[-1][0] >= depth:
            stack.pop()
        top = name.split(".")[0]
        parent_top = stack[-1][1] if stack else "(main)"
        per[top]["self"] += self_us / 1000
        if parent_top != top:
            per[top]["incl"] += cum_us / 1000
            if parent_top not in per[top]["by"]:
                per[top]["by"].append(parent_top)
        stack.append((depth, top))
    return {k: dict(v) for k, v in per.items()}


def _module_self_ms(stderr: str, prefix: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for m in re.finditer(r"import time:\s+(\d+) \|\s+\d+ \| +(\S+)$", stderr, re.M):
        if m[2] == prefix or m[2].startswith(prefix + "."):
            out[m[2]] = int(m[1]) / 1000
    return out


def cold_start(args: argparse.Namespace) -> dict:
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    paper = CACHE_DIR / f"paper-v{GENERATOR_VERSION}.txt"
    if not paper.exists():
        text, _ = generate_paper()
        paper.write_text(text, encoding="utf-8")
    exe = Path(sys.executable).parent / "footcheck"
    cli = [str(exe)] if exe.exists() else [sys.executable, "-m", "footcheck"]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}
    cmd = [*cli, str(paper), "--offline", "--format", "json", "--today", "2024-06-01"]
    first = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)  # warms .pyc files
    result: dict = {"paper_kb": paper.stat().st_size / 1000, "cmd": cmd, "exit_code": first.returncode}
    try:
        report = json.loads(first.stdout)
        result["paper_counts"] = report.get("summary")
    except json.JSONDecodeError:
        result["stdout_head"] = first.stdout[:300]
        result["stderr_head"] = first.stderr[:300]

    def wall(c: list[str], n: int) -> list[float]:
        ts = []
        for _ in range(n):
            t0 = time.perf_counter()
            subprocess.run(c, capture_output=True, env=env, timeout=60)
            ts.append(time.perf_counter() - t0)
        return ts

    n = args.cold_runs
    result["footcheck_s"] = wall(cmd, n)
    result["python_bare_s"] = wall([sys.executable, "-c", "pass"], n)
    result["python_site_s"] = wall([sys.executable, "-c", "import footcheck"], n)
    result["import_cli_s"] = wall([sys.executable, "-c", "import footcheck._cli"], n)
    result["footcheck_version_s"] = wall([*cli, "--version"], n)

    # import costs: median per package over several -X importtime runs of the same command
    runs: list[dict[str, dict[str, float]]] = []
    footcheck_runs: list[dict[str, float]] = []
    modules: set[str] = set()
    for _ in range(max(3, n // 2)):
        proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "footcheck", *cmd[1:]],
                              capture_output=True, text=True, env=env, timeout=60)
        runs.append(parse_importtime(proc.stderr))
        footcheck_runs.append(_module_self_ms(proc.stderr, "footcheck"))
        modules |= {m[1] for m in re.finditer(r"import time:.*\| +(\S+)$", proc.stderr, re.M)}
    tops = sorted({k for r in runs for k in r})
    result["imports"] = {
        k: {"self": statistics.median(r[k]["self"] if k in r else 0.0 for r in runs),
            "incl": statistics.median(r[k]["incl"] if k in r else 0.0 for r in runs),
            "by": ", ".join(next((r[k]["by"] for r in runs if k in r), []))}
        for k in tops
    }
    result["import_total_ms"] = statistics.median(sum(v["self"] for v in r.values()) for r in runs)
    names = sorted({k for r in footcheck_runs for k in r})
    result["footcheck_modules_ms"] = {k: statistics.median(r.get(k, 0.0) for r in footcheck_runs) for k in names}
    result["modules_imported"] = len(modules)
    result["network_modules_imported"] = sorted(
        m for m in modules if m.split(".")[0] in NETWORK_MODULES)
    result["rich_imported"] = any(m.split(".")[0] == "rich" for m in modules)
    result["click_imported"] = any(m.split(".")[0] == "click" for m in modules)
    result["typer_vendored_click"] = any(m.startswith("typer._click") for m in modules)
    return result


# --------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------


def _machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {sys.version.split()[0]}"


def _git() -> str:
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return head + (" (src/ has uncommitted changes)" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "?"


def _predict(measured: list[tuple[float, float]], size_mb: float) -> tuple[float | None, float]:
    """Extrapolate the audit time from the two largest sizes measured: t ~ size^k."""
    if len(measured) < 2:
        return None, 1.0
    (m1, t1), (m2, t2) = sorted(measured)[-2:]
    if m2 <= m1 * 1.2 or t1 <= 0:
        return None, 1.0
    k = max(1.0, math.log(t2 / t1) / math.log(m2 / m1))
    return t2 * (size_mb / m2) ** k, k


def print_sizes(results: list[dict]) -> None:
    print("\n== parse + offline audit (pipeline.audit_static), one subprocess per size ==")
    print("MB/s and growth use CPU time of the audit (the 2 cores are shared); wall time beside it.")
    print(f"{'size':>6} {'MB':>6} {'CPU s':>8} {'wall s':>8} {'MB/s':>7} {'of goal':>8} {'s/MB':>7} {'growth':>7} "
          f"{'base MB/s':>9} {'x base':>7} {'RSS peak':>9} {'RSS+audit':>9} {'tracemalloc':>11}")
    base = None
    for r in results:
        tag = f"{r['scale']:g}x" + ("*" if r.get("probe") else "")
        if "audit_s" not in r:
            if r.get("skipped"):
                why = (f"not run: predicted {r['predicted_s']:.0f} s ({r['predicted_s'] / 3600:.1f} h), "
                       f"{r['size_mb'] / r['predicted_s']:.3f} MB/s, time ~ size^{r['exponent']:.2f}")
            elif "timeout" in r:
                why = f"did not finish in {r['timeout']:g} s: < {r['size_mb'] / r['timeout']:.3f} MB/s"
            else:
                why = "failed:\n" + r.get("error", "")
            print(f"{tag:>6} {r['size_mb']:6.1f}  {why}")
            continue
        cpu = r["audit_cpu_s"]
        mbps = r["size_mb"] / cpu
        spm = cpu / r["size_mb"]
        base = base or spm
        tm = f"{r['tracemalloc_peak_mb']:.0f} MB" if r.get("tracemalloc_peak_mb") else "-"
        print(f"{tag:>6} {r['size_mb']:6.1f} {cpu:8.2f} {r['audit_s']:8.2f} {mbps:7.3f} {mbps / GOAL_MBPS:7.3f}x "
              f"{spm:7.3f} {spm / base:6.2f}x {r['size_mb'] / r['baseline_s']:9.1f} "
              f"{cpu / r['baseline_s']:6.0f}x {r['rss_peak_mb']:6.0f} MB "
              f"{r['rss_peak_mb'] - r['rss_loaded_mb']:6.0f} MB {tm:>11}")
        if r.get("predicted_s"):
            print(f"{'':>6} (predicted {r['predicted_s']:.1f} s from the smaller sizes, "
                  f"time ~ size^{r['exponent']:.2f})")
    print("growth = (s/MB at this size) / (s/MB at the smallest size); linear is 1.0. * = probe size.")
    print("base = text.split('\\n') + one regex pass (markers and brackets) over the same text, same process.")
    print("\n== recall / precision against the generated document ==")
    for r in results:
        if "score" not in r:
            continue
        print(f"-- {r['scale']:g}x: expected {r['expected_counts']}, parser found {r['counts']}")
        for kind, s in r["score"].items():
            if "recall" in s:
                print(f"   {kind:<22} recall {s['recall']:.4f}  precision {s['precision']:.4f}  "
                      f"({s['tp']}/{s['expected']} expected, {s['found']} found)")
            else:
                print(f"   {kind:<22} {s}")


def print_cold(c: dict) -> None:
    med = statistics.median
    print("\n== cold start ==")
    print(f"command: {' '.join(c['cmd'])}  (exit {c['exit_code']}, paper {c['paper_kb']:.0f} KB,"
          f" summary {c.get('paper_counts')})")
    fc = med(c["footcheck_s"])
    print(f"footcheck --offline --format json: median {fc:.3f} s, min {min(c['footcheck_s']):.3f} s "
          f"over {len(c['footcheck_s'])} runs -> {fc / GOAL_COLD_S:.2f}x the {GOAL_COLD_S} s goal")
    for key, label in (("python_bare_s", "python -c pass"), ("python_site_s", "python -c 'import footcheck'"),
                       ("import_cli_s", "python -c 'import footcheck._cli'"),
                       ("footcheck_version_s", "footcheck --version")):
        print(f"  {label:<36} median {med(c[key]):.3f} s")
    imp = c["imports"]
    print(f"import cost (python -X importtime, median of runs): total {c['import_total_ms']:.0f} ms in "
          f"{c['modules_imported']} modules")
    print(f"  {'package':<22} {'self ms':>8} {'incl ms':>8}  imported by ((main): lazily, at run time)")
    key = ("typer", "click", "rich", "pydantic", "pydantic_core", "footcheck", "charset_normalizer", "httpx",
           "importlib", "email")
    shown = [k for k in key if k in imp] + sorted(
        (k for k in imp if k not in key and imp[k]["self"] >= 2.0), key=lambda k: -imp[k]["self"])
    for k in shown:
        v = imp[k]
        print(f"  {k:<22} {v['self']:8.1f} {v['incl']:8.1f}  {v['by']}")
    rest = sum(v["self"] for k, v in imp.items() if k not in shown)
    print(f"  {'(everything else)':<22} {rest:8.1f}")
    for k in key:
        if k not in imp:
            print(f"  {k:<22} not imported")
    print(f"  typer vendors click as typer._click: {c['typer_vendored_click']}; the click package imported: "
          f"{c['click_imported']}")
    print("  footcheck modules (self ms): " + ", ".join(
        f"{k.removeprefix('footcheck.')} {v:.1f}" for k, v in sorted(c["footcheck_modules_ms"].items(),
                                                                  key=lambda kv: -kv[1]) if v >= 0.5))
    print(f"rich imported: {c['rich_imported']}; network/heavy modules imported: "
          f"{c['network_modules_imported'] or 'none'}"
          f" (httpx: {'YES' if any(m.startswith('httpx') for m in c['network_modules_imported']) else 'no'})")


def before_after(sizes: list[float], args: argparse.Namespace) -> list[dict]:
    """``--before SRC``: this tree and the one at SRC, each size timed in subprocesses that
    alternate (before, after, after, before, ...) for ``--rounds`` rounds, so that both see
    the same load on the shared cores; the minimum and the median CPU time of each, and
    their ratio. The speed-up is the figure to quote: absolute MB/s move with the load."""
    out = []
    print(f"\n== before ({args.before}) and after (this tree), alternating, {args.rounds} rounds per size ==")
    print(f"{'size':>6} {'MB':>6} {'before min':>11} {'median':>7} {'after min':>10} {'median':>7} "
          f"{'MB/s before':>11} {'after':>6} {'speed-up min':>12} {'median':>7}")
    for s in sizes:
        times: dict[str, list[float]] = {"before": [], "after": []}
        size_mb = 0.0
        for k in range(args.rounds):
            for tag in (("before", "after") if k % 2 == 0 else ("after", "before")):
                r = run_child(s, args, "time", args.before if tag == "before" else str(ROOT / "src"))
                if "audit_cpu_s" in r:
                    times[tag].append(r["audit_cpu_s"])
                    size_mb = r["size_mb"]
        if not times["before"] or not times["after"]:
            print(f"{s:g}x: a run failed or timed out")
            continue
        b, a = min(times["before"]), min(times["after"])
        bm, am = statistics.median(times["before"]), statistics.median(times["after"])
        print(f"{s:>5g}x {size_mb:6.1f} {b:11.2f} {bm:7.2f} {a:10.2f} {am:7.2f} {size_mb / b:11.2f} "
              f"{size_mb / a:6.2f} {b / a:11.2f}x {bm / am:6.2f}x")
        out.append({"scale": s, "size_mb": size_mb, **times})
    load = Path("/proc/loadavg")
    if load.exists():
        print(f"load average after: {' '.join(load.read_text().split()[:3])}")
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd")
    g = sub.add_parser("generate", help="write a generated monograph and its expectations")
    g.add_argument("--scale", type=float, default=1.0)
    g.add_argument("--seed", type=int, default=20240601)
    g.add_argument("--numbering", choices=("chapter", "continuous"), default="chapter")
    g.add_argument("--out", type=Path, required=True)
    ch = sub.add_parser("_child")
    ch.add_argument("txt", type=Path)
    ch.add_argument("exp", type=Path)
    ch.add_argument("--mode", default="time")
    ch.add_argument("--repeat", type=int, default=1)
    p.add_argument("--sizes", default="1,4,16", help="comma-separated scales (1 = ~10 MB)")
    p.add_argument("--seed", type=int, default=20240601)
    p.add_argument("--numbering", choices=("chapter", "continuous"), default="chapter",
                   help="footnote numbers restart in each chapter (default) or run through the book")
    p.add_argument("--repeat", type=int, default=1, help="timed runs per size (the minimum is kept)")
    p.add_argument("--timeout", type=float, default=900,
                   help="seconds allowed per size; a size predicted to take longer is not run")
    p.add_argument("--probe", default="0.1,0.2",
                   help="small sizes run first to fit the growth exponent used for that prediction")
    p.add_argument("--tracemalloc", action="store_true", help="also measure the tracemalloc peak per size")
    p.add_argument("--profile", action="store_true", help="print a cProfile of the first size")
    p.add_argument("--no-coldstart", action="store_true")
    p.add_argument("--before", metavar="SRC", help="also time the footcheck at SRC (a tree's src/ folder), "
                   "alternating with this one, and print the speed-up")
    p.add_argument("--rounds", type=int, default=3, help="alternating runs per tree with --before (3)")
    p.add_argument("--cold-runs", type=int, default=11)
    p.add_argument("--json", type=Path, help="write every figure to this file")
    args = p.parse_args(argv)

    if args.cmd == "_child":
        print(json.dumps(measure_one(args.txt, args.exp, args.mode, args.repeat)))
        return 0
    if args.cmd == "generate":
        text, expected = generate(args.scale, args.seed, args.numbering)
        args.out.write_text(text, encoding="utf-8")
        _write_expected(args.out.with_suffix(".expected.json"), expected)
        print(f"{args.out}: {len(text.encode()) / 1e6:.1f} MB, {len(expected.footnotes)} footnotes, "
              f"{len(expected.citations)} citations, {len(expected.references)} references, "
              f"{expected.pages} pages")
        return 0

    print(f"machine: {_machine()}; footcheck at {_git()}")
    sizes = [float(s) for s in args.sizes.split(",") if s.strip()]
    all_out: dict = {"machine": _machine(), "git": _git(), "sizes": []}
    if args.profile and sizes:
        r = run_child(sizes[0], args, "profile")
        print(r.get("profile") or r)
        all_out["profile"] = r.get("profile")
    probes = [float(x) for x in args.probe.split(",") if x] if args.probe else []
    measured: list[tuple[float, float]] = []  # (MB, audit CPU s) of the sizes that ran
    for s in [*probes, *sizes]:
        predicted, exponent = _predict(measured, s * 10.0)
        if predicted is not None and predicted > args.timeout:
            # a run that cannot finish in the budget would only hold the shared cores
            r = {"scale": s, "size_mb": s * 10.0, "skipped": True, "predicted_s": predicted,
                 "exponent": exponent, "probe": s in probes and s not in sizes}
            all_out["sizes"].append(r)
            print(f"[{s:g}x not run: predicted {predicted:.0f} s (time ~ size^{exponent:.2f}) > {args.timeout:g} s]",
                  flush=True)
            continue
        t0 = time.perf_counter()
        cached_monograph(s, args.seed, args.numbering)
        print(f"[{s:g}x generated/cached in {time.perf_counter() - t0:.1f} s]", flush=True)
        r = run_child(s, args, "time")
        r["probe"] = s in probes and s not in sizes
        if predicted is not None:
            r["predicted_s"], r["exponent"] = predicted, exponent
        if args.tracemalloc and r.get("audit_cpu_s", math.inf) < args.timeout / 4:
            r["tracemalloc_peak_mb"] = run_child(s, args, "tracemalloc").get("tracemalloc_peak_mb")
        if "audit_cpu_s" in r:
            measured.append((r["size_mb"], r["audit_cpu_s"]))
        elif "timeout" in r:
            measured.append((r["size_mb"], float(args.timeout)))  # a lower bound: later predictions are too
        all_out["sizes"].append(r)
        print(f"[{s:g}x: {r.get('audit_s', 'n/a')} s audit, {r.get('child_wall_s', 0):.1f} s in the child]",
              flush=True)
    print_sizes(all_out["sizes"])
    if args.before:
        all_out["before_after"] = before_after(sizes, args)
    if not args.no_coldstart:
        c = cold_start(args)
        all_out["cold"] = c
        print_cold(c)
    if args.json:
        args.json.write_text(json.dumps(all_out, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
