"""From an HTTP answer to a verdict: status mapping, bot challenges, soft 404s.

Everything here is a pure function of what one response showed, so it can be tested
without a network. Whether to retry is decided here too (``retryable``); the checker
decides whether there is time left to do so.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import urlsplit

from footcheck.check.page import Page
from footcheck.model import LinkStatus
from footcheck.titles import title_similarity

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
BLOCKED_STATUSES = frozenset({401, 403, 429, 451, 999})
PERMANENT_REDIRECTS = frozenset({301, 308})


@dataclass(frozen=True, slots=True)
class Verdict:
    status: LinkStatus
    detail: str = ""
    transient: bool = False  # never cached: a later run must ask again
    retryable: bool = False  # worth another try after a pause


# --- bot challenges ---------------------------------------------------------------

# Markers specific enough to call a 2xx page a challenge rather than content.
_STRONG_BODY_MARKERS: tuple[tuple[str, str], ...] = (
    ("/cdn-cgi/challenge-platform/", "Cloudflare"),
    ("window._cf_chl_opt", "Cloudflare"),
    ("cf-browser-verification", "Cloudflare"),
    (".well-known/ddos-guard/", "DDoS-Guard"),
    ("ddos-guard.net/", "DDoS-Guard"),
    ("/__qrator/", "Qrator"),
    ("qauth_utm", "Qrator"),
    ("showcaptcha", "Yandex SmartCaptcha"),
    ("checkcaptcha", "Yandex SmartCaptcha"),
    ("_incapsula_resource", "Imperva Incapsula"),
    ("captcha-delivery.com", "DataDome"),
    ("variti", "Variti"),
    ("stormwall", "StormWall"),
    ("servicepipe", "ServicePipe"),
    ("sucuri website firewall", "Sucuri"),
    ("awswaf", "AWS WAF"),
)
# Phrases that give a challenge away only on a page with no content of its own.
_WEAK_BODY_MARKERS: tuple[tuple[str, str], ...] = (
    ("ddos-guard", "DDoS-Guard"),
    ("qrator", "Qrator"),
    ("smartcaptcha", "Yandex SmartCaptcha"),
    ("captcha.yandex", "Yandex SmartCaptcha"),
    ("cloudflare ray id", "Cloudflare"),
    ("cf-chl", "Cloudflare"),
    ("checking your browser", "bot challenge"),
    ("checking if the site connection is secure", "bot challenge"),
    ("ddos protection", "bot challenge"),
    ("проверка браузера", "bot challenge"),
    ("проверяем браузер", "bot challenge"),
    ("вы не робот", "bot challenge"),
    ("are you a robot", "bot challenge"),
    ("enable javascript and cookies", "bot challenge"),
    ("captcha", "captcha"),
)
_CHALLENGE_TITLES = re.compile(
    r"just a moment|attention required|checking your browser|please wait while we verify"
    r"|are you (a robot|human)|verify you are human|ddos-guard|проверка браузера"
    r"|проверяем (ваш )?браузер|вы не робот|подтвердите, что вы не робот|один момент"
    r"|captcha|капча",
    re.IGNORECASE,
)
_SERVER_VENDORS: tuple[tuple[str, str], ...] = (
    ("cloudflare", "Cloudflare"),
    ("ddos-guard", "DDoS-Guard"),
    ("qrator", "Qrator"),
    ("variti", "Variti"),
    ("stormwall", "StormWall"),
    ("servicepipe", "ServicePipe"),
)


def is_captcha_url(url: str) -> bool:
    if "captcha" not in url.lower():  # urlsplit of a URL not seen before costs ~10 us
        return False
    path = urlsplit(url).path.lower()
    return "showcaptcha" in path or "checkcaptcha" in path


def challenge_vendor(status: int, headers: Mapping[str, str], url: str, page: Page | None) -> str | None:
    """The bot protection this answer comes from, when it is a challenge or a wall."""
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return "Cloudflare"
    if headers.get("x-yandex-captcha"):
        return "Yandex SmartCaptcha"
    if is_captcha_url(url):
        return "Yandex SmartCaptcha"
    if page is not None:
        text = page.text
        strong = next((v for m, v in _STRONG_BODY_MARKERS if m in text), None)
        interstitial = _is_interstitial(page)
        if status >= 400 or interstitial:
            if strong or _challenge_title(page.title):
                return strong or _server_vendor(headers) or "bot challenge"
            if interstitial:
                weak = next((v for m, v in _WEAK_BODY_MARKERS if m in text), None)
                if weak is not None:
                    vendor = _server_vendor(headers)
                    return vendor if vendor and weak == "bot challenge" else weak
        elif strong and _challenge_title(page.title):
            return strong
    if status in (401, 403, 429) and page is not None and "captcha" in page.text:
        return _server_vendor(headers) or "captcha"
    return None


def _challenge_title(title: str | None) -> bool:
    return bool(title and _CHALLENGE_TITLES.search(title))


def _server_vendor(headers: Mapping[str, str]) -> str | None:
    server = headers.get("server", "").lower()
    for marker, vendor in _SERVER_VENDORS:
        if marker in server:
            return vendor
    return None


def _is_interstitial(page: Page) -> bool:
    # A real page that merely loads a protection script has a heading or a long text;
    # a challenge page has neither.
    return page.heading is None and len(page.text) < 50000


# --- soft 404 ---------------------------------------------------------------------

_MISSING = re.compile(
    r"(страниц\w*|документ\w*|файл\w*|материал\w*|стать[яи]|запис[ьи]|новост[ьи]"
    r"|публикаци[яи]|ресурс\w*|раздел\w*)\s+(не\s+найден\w*|не\s+существует|удален\w*"
    r"|отсутству\w*|не\s+обнаружен\w*)"
    r"|(такой|этой|данной)\s+страницы\s+(нет|не\s+существует)|нет\s+такой\s+страницы"
    r"|не\s+удалось\s+найти\s+(страниц|документ)|ошибка\s*404|404\s*ошибка"
    r"|page\s+not\s+found|page\s+(does\s+not|doesn't|no\s+longer)\s+exists?"
    r"|(cannot|can't|could\s+not|couldn't)\s+be\s+found|(was\s+not|wasn't)\s+found"
    r"|error\s*404|404\s*error|file\s+not\s+found"
    r"|this\s+page\s+is\s+(missing|gone|no\s+longer\s+available)"
    r"|(cannot|can't|could\s+not|couldn't|unable\s+to|we\s+can't)\s+find\s+(the|this|that|your|any)\s+page"
    r"|мы\s+не\s+(можем|смогли)\s+найти\s+(эту\s+|такую\s+|запрашиваемую\s+)?страниц",
    re.IGNORECASE,
)
# Looser: in a short title or heading, a "missing" phrase next to a word for a page.
_GONE = re.compile(
    r"не\s+найден\w*|не\s+существует|удал[её]н\w*|отсутству\w*"
    r"|not\s+found|(does\s+not|doesn't|no\s+longer)\s+exists?|no\s+longer\s+available"
    r"|(cannot|can't|could\s+not|couldn't)\s+be\s+(found|located)|is\s+missing"
    r"|(cannot|can't|could\s+not|couldn't|unable\s+to)\s+(find|locate)|не\s+(можем|смогли|удалось)\s+найти",
    re.IGNORECASE,
)
_PAGE_WORD = re.compile(
    r"страниц|документ|файл|каталог|материал|стать|запис|ресурс|раздел|публикаци|адрес"
    r"|\bpage|\bdocument|\bfile|\bresource|\bcontent|\burl\b|\b404\b",
    re.IGNORECASE,
)
_NOT_FOUND_SHORT = re.compile(r"\bnot\s+found\b|\bне\s+найден[оа]?\b", re.IGNORECASE)
_BARE_404 = re.compile(r"^\W*404\b|\b404\W*$")
_NUMBER_404 = re.compile(r"(№|n[o°]\.?|#)\s*404\b", re.IGNORECASE)


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "′": "'", "`": "'", "´": "'", "ё": "е", "Ё": "Е",
                               "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "\u00a0": " "})
_QUOTED = re.compile(r'"[^"]{1,100}"')


def normalise_phrase(text: str) -> str:
    """Typographic apostrophes and quotes as ASCII (``couldn’t`` -> ``couldn't``), ё as е."""
    return text.translate(_APOSTROPHES)


def missing_phrase(text: str | None) -> bool:
    """Does a title or heading say the page is missing?

    Typographic apostrophes and quotes count as plain ones, and a quoted name inside
    the phrase («Страница "/doc/15" не найдена») is read as if it were not there.
    """
    if not text:
        return False
    return _missing_phrase(text)


@functools.lru_cache(maxsize=2048)  # a page's title and heading are often the same text
def _missing_phrase(text: str) -> bool:
    text = normalise_phrase(text)
    unquoted = _QUOTED.sub(" ", text)
    return _missing(text) or (unquoted != text and _missing(unquoted))


def _missing(text: str) -> bool:
    if _MISSING.search(text):
        return True
    words = len(text.split())
    if words <= 12 and _GONE.search(text) and _PAGE_WORD.search(text):
        return True
    if words <= 6 and _NOT_FOUND_SHORT.search(text):
        return True
    # "404" alone or at an edge of a short title, but not "Приказ № 404"
    return words <= 6 and bool(_BARE_404.search(text)) and not _NUMBER_404.search(text)


_FRONT_PATHS = frozenset(
    {"", "/", "/index.html", "/index.htm", "/index.php", "/default.aspx", "/default.asp",
     "/main", "/home", "/ru", "/en", "/ru/", "/en/", "/main/", "/home/"}
)
_ERROR_URL = re.compile(r"/404(\.\w+)?(/|$)|not[-_]?found|error[-_]?404|/errors?/404", re.IGNORECASE)


def is_front_page(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path.lower() in _FRONT_PATHS and not parts.query


# --- parked domains ---------------------------------------------------------------

_PARKED = re.compile(
    r"домен\w*\s+(?:[^\s.!?]+\s+){0,3}?(?:прода[её]тся|выставлен\w*\s+на\s+продажу|припаркован\w*)"
    r"|продажа\s+(?:этого\s+)?домена|купить\s+(?:этот\s+)?домен|этот\s+домен\s+(?:прода|можно\s+купить)"
    r"|domain\s+(?:name\s+)?(?:[^\s.!?]+\s+){0,3}?(?:is\s+|may\s+be\s+)?for\s+sale|buy\s+this\s+domain"
    r"|this\s+domain\s+(?:is\s+|has\s+been\s+)?(?:parked|registered\s+and\s+parked)|parked\s+(?:domain|free)"
    r"|domain\s+parking|парковка\s+домен",
    re.IGNORECASE,
)
# Parking and aftermarket services whose landers a lapsed domain is sent to.
_PARKING_MARKERS = (
    "sedoparking.com", "parkingcrew.net", "bodis.com", "above.com/marketplace", "dan.com/buy-domain",
    "afternic.com", "hugedomains.com", "undeveloped.com", "domainmarket.com", "parklogic.com",
    "sedo.com/search/details", "window.park", "parking-lander",
)
_SHORT_PAGE = 2000  # visible characters: a lander, not an article about domains


def _site(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


@functools.lru_cache(maxsize=2048)
def _parked_phrase(text: str) -> bool:
    return bool(_PARKED.search(normalise_phrase(text)))


def parked_reason(original: str, final: str, redirected: bool, page: Page | None) -> str | None:
    """Why a 2xx answer is a parked or for-sale domain page, or None.

    A "domain for sale" title or heading counts on a short page, or anywhere after a
    redirect to another site; a parking service's marker in the page only after such a
    redirect (a site may well link to a registrar)."""
    if page is None:
        return None
    elsewhere = redirected and _site(original) != _site(final)
    for text in (page.title, page.heading):
        if text and _parked_phrase(text) and (elsewhere or page.visible_chars < _SHORT_PAGE):
            where = f"redirected to another site's parked domain page {final}" if elsewhere else "a parked domain page"
            return f"{where}: «{text}»"
    if elsewhere and page.visible_chars < _SHORT_PAGE:
        text = normalise_phrase(page.text)
        marker = next((m for m in _PARKING_MARKERS if m in text), None)
        if marker is not None or _PARKED.search(text):
            shown = page.title or page.heading or marker or "domain for sale"
            return f"redirected to another site's parked domain page {final}: «{shown}»"
    return None


_ARTICLE_CHARS = 1500  # visible characters of a page with a body of its own
_SAME_TITLE = 0.5  # share of the cited title's words the page title must have


def _is_cited_article(text: str, cited_title: str | None, page: Page) -> bool:
    """A title that merely mentions an error (``Ошибка 404: почему…``) but is the title
    the footnote cites, on a page with a full body: the article itself, not an error."""
    if not cited_title or page.visible_chars < _ARTICLE_CHARS:
        return False
    score = title_similarity(cited_title, text)
    return score is not None and score >= _SAME_TITLE


def soft404_reason(
    original: str, final: str, redirected: bool, page: Page | None, cited_title: str | None = None
) -> str | None:
    """Why a 2xx answer is really a missing page, or None."""
    parked = parked_reason(original, final, redirected, page)
    if parked is not None:
        return parked
    if redirected and not is_front_page(original) and is_front_page(final):
        return f"a deep link redirects to the front page {final}"
    if redirected and _ERROR_URL.search(urlsplit(final).path) and not _ERROR_URL.search(
        urlsplit(original).path
    ):
        return f"redirects to an error page {final}"
    if page is not None:
        for label, text in (("title", page.title), ("heading", page.heading)):
            if missing_phrase(text) and not _is_cited_article(text or "", cited_title, page):
                return f"the page {label} says it is missing: «{text}»"
    return None


# --- status mapping ---------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def reason_phrase(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def classify(
    status: int,
    headers: Mapping[str, str],
    *,
    original: str,
    final: str,
    redirected: bool,
    page: Page | None,
    cited_title: str | None = None,
) -> Verdict:
    """The verdict for the last response of a redirect chain."""
    vendor = challenge_vendor(status, headers, final, page)
    if vendor is not None:
        return Verdict(
            LinkStatus.BLOCKED,
            f"bot challenge ({vendor}), HTTP {status}",
            transient=status == 429,
        )
    if 200 <= status < 300:
        reason = soft404_reason(original, final, redirected, page, cited_title)
        if reason is not None:
            return Verdict(LinkStatus.SOFT404, reason)
        return Verdict(LinkStatus.OK, reason_phrase(status))
    if status in BLOCKED_STATUSES:
        detail = reason_phrase(status) if status != 999 else "999 (request denied)"
        vendor = _server_vendor(headers)
        if vendor:  # a wall's answer; naming it helps the reader
            detail = f"{detail} from {vendor}"
        return Verdict(
            LinkStatus.BLOCKED, detail, transient=status == 429, retryable=status == 429
        )
    if status == 408:
        return Verdict(LinkStatus.TIMEOUT, reason_phrase(status), transient=True, retryable=True)
    if 300 <= status < 400:
        return Verdict(LinkStatus.BROKEN, f"{reason_phrase(status)} without a usable Location")
    if status == 503:
        # Temporary by definition (RFC 9110 §15.6.4): the site is down for now, which
        # says nothing about the page. Retried; if it lasts, a timeout, never "broken".
        return Verdict(
            LinkStatus.TIMEOUT, f"{reason_phrase(status)} (temporary)", transient=True, retryable=True
        )
    if status >= 500:
        return Verdict(
            LinkStatus.BROKEN,
            reason_phrase(status),
            transient=True,
            retryable=status in RETRYABLE_STATUSES,
        )
    if 400 <= status < 500:
        return Verdict(LinkStatus.BROKEN, reason_phrase(status))
    return Verdict(LinkStatus.BROKEN, f"unexpected status {status}")
