"""Comparing a cited title with a page's title: one judgement for every stage.

The checker uses it to pick the page title to report and to tell an error page from an
article that merely mentions an error; the FC508 rule (``link-title-changed``) and the
archive lookup use it to say that a live page no longer is the page cited. It lives
below the stages (like ``model``) so that none of them imports another for it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_WORD = re.compile(r"[a-zа-я0-9]+")
_STOP = frozenset(
    {
        "для", "при", "как", "что", "это", "или", "его", "она", "они", "так", "все", "над", "под",
        "без", "про", "котор", "также", "между", "после", "более", "через", "элект", "ресур",
        "режим", "досту", "дата", "обращ", "сайт", "офици", "главн", "url", "http",
        "https", "www", "html", "htm", "php", "the", "and", "for", "with", "from", "that", "this",
        "are", "was", "its", "into", "about", "index", "page", "home",
    }
)
_MIN_CITED_WORDS = 3
_MIN_PAGE_WORDS = 2
_MISMATCH_BELOW = 0.2


def _stems(text: str) -> set[str]:
    words = _WORD.findall(text.lower().replace("ё", "е"))
    # Five letters are a crude but serviceable stem for Russian inflection
    # (закон/закона/законом) and English plurals.
    return {
        w[:5] for w in words if len(w) >= 3 and not w.isdigit() and w[:5] not in _STOP
    }


_DOMAIN_LIKE = re.compile(r"\S+\.[a-z]{2,}\S*", re.IGNORECASE)


def _script(text: str) -> str | None:
    # a site's domain in its title ("Купить домен kremlin-docs.ru") says nothing of the
    # language the title is written in
    text = _DOMAIN_LIKE.sub(" ", text)
    cyrillic = len(re.findall(r"[а-яё]", text, re.IGNORECASE))
    latin = len(re.findall(r"[a-z]", text, re.IGNORECASE))
    if cyrillic + latin == 0:
        return None
    return "cyrillic" if cyrillic >= latin else "latin"


def title_similarity(cited: str, page: str) -> float | None:
    """Share of words the two titles have in common, from the better side (0..1).

    None when they cannot be compared: too few words, or different scripts (a Russian
    translation of an English title is not a mismatch).
    """
    if _script(cited) != _script(page):
        return None
    page_stems = _stems(page)
    if len(page_stems) < _MIN_PAGE_WORDS:
        return None
    best: float | None = None
    # A GOST citation puts authors, the source and the date around the title
    # ("Иванов И. И. Заглавие // Журнал. 2020"); the part before "//" is the core.
    for variant in {cited, re.split(r"\s//\s|\s/\s", cited, maxsplit=1)[0]}:
        cited_stems = _stems(variant)
        if len(cited_stems) < _MIN_CITED_WORDS:
            continue
        common = len(cited_stems & page_stems)
        score = max(common / len(cited_stems), common / len(page_stems))
        best = score if best is None else max(best, score)
    return best


def title_mismatch(cited: str, page_title: str) -> bool:
    score = title_similarity(cited, page_title)
    return score is not None and score < _MISMATCH_BELOW


def choose_title(candidates: Sequence[str], cited: str | None) -> str | None:
    """The page title to report: the candidate closest to the cited title, if any."""
    candidates = [c for c in candidates if c]
    if not candidates:
        return None
    if not cited:
        return candidates[0]
    return max(candidates, key=lambda c: title_similarity(cited, c) or 0.0)


def title_drift(cited: str | None, live: str | None) -> bool:
    """Whether a live page's title no longer matches the title a footnote cites.

    The same judgement as FC508 (``link-title-changed``), so that "the page changed"
    has one definition for the checker's finding and for the archive lookup."""
    if not cited or not live:
        return False
    return title_mismatch(cited, live)
