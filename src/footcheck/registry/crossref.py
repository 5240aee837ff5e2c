"""Crossref's REST API: ``works/{doi}``, ``works?filter=updates:{doi}`` and
``works?query.bibliographic=…&rows=2``, read in the shapes the API documents:
``{"status": "ok", "message-type": "work", "message": {...}}`` with ``title[]``,
``author[{family, given}]``, ``issued.date-parts``, ``update-to[]`` and ``relation``.

The polite-pool address goes with every request as ``mailto=`` (and in the user agent).
Answers are cached: records, notices and candidates for a week, "not held" for a day.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

from footcheck.model import RegistryNotice
from footcheck.registry.cached import CachedService, path_doi
from footcheck.registry.interface import Record, RegistryOptions
from footcheck.registry.transport import RegistryError, Transport


def _year(value: Any) -> str | None:
    """The year of a Crossref date object: ``{"date-parts": [[2019, 3, 1]]}``."""
    if not isinstance(value, dict):
        return None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        first = parts[0][0]
        if isinstance(first, int) and 1000 <= first <= 2999:
            return str(first)
        if isinstance(first, str) and first.isdigit() and len(first) == 4:
            return first
    return None


def _iso(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        nums = [p for p in parts[0] if isinstance(p, int)]
        if len(nums) == 3:
            return f"{nums[0]:04d}-{nums[1]:02d}-{nums[2]:02d}"
    return None


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str) and v.strip()]
    return []


def _authors(value: Any) -> tuple[str, ...]:
    out: list[str] = []
    if isinstance(value, list):
        for a in value:
            if not isinstance(a, dict):
                continue
            name = a.get("family") or a.get("name") or a.get("literal")
            if isinstance(name, str) and name.strip():
                out.append(name.strip())
    return tuple(out)


def notices_in(message: dict[str, Any], doi: str | None = None) -> tuple[RegistryNotice, ...]:
    """The updates a notice record declares (``update-to``), those that point at ``doi``
    when given; the notice's own DOI is ``message["DOI"]``."""
    out: list[RegistryNotice] = []
    own = message.get("DOI")
    for item in message.get("update-to") or ():
        if not isinstance(item, dict) or not isinstance(item.get("DOI"), str):
            continue
        if doi is not None and item["DOI"].lower() != doi.lower():
            continue
        kind = str(item.get("type") or item.get("label") or "update").strip().lower().replace(" ", "_")
        date = _iso(item.get("updated"))
        out.append(RegistryNotice(own if isinstance(own, str) else item["DOI"], kind, date))
    return tuple(out)


def _updated_by(message: dict[str, Any]) -> tuple[RegistryNotice, ...]:
    """Notices an original's record lists itself (``updated-by``, or a relation such as
    ``is-retracted-by``), when the service provides them."""
    out: list[RegistryNotice] = []
    for item in message.get("updated-by") or ():
        if isinstance(item, dict) and isinstance(item.get("DOI"), str):
            kind = str(item.get("type") or item.get("label") or "update").strip().lower().replace(" ", "_")
            out.append(RegistryNotice(item["DOI"], kind, _iso(item.get("updated"))))
    relation = message.get("relation")
    if isinstance(relation, dict):
        for name, items in relation.items():
            low = str(name).lower()
            related = ("retraction" if "retract" in low else "correction" if "correct" in low or "errat" in low
                       else None)
            if related is None or not isinstance(items, list):
                continue
            for item in items:
                if isinstance(item, dict) and isinstance(item.get("id"), str) and item.get("id-type", "doi") == "doi":
                    out.append(RegistryNotice(item["id"], related, None))
    return tuple(out)


def record_from_message(message: Any, *, agency: str = "crossref") -> Record:
    """A :class:`Record` from a Crossref work (the ``message`` of ``works/{doi}`` or an
    item of a work list). RegistryError when it is not a work."""
    if not isinstance(message, dict) or not isinstance(message.get("DOI"), str):
        raise RegistryError("the registry's record has no DOI (not a work)")
    titles = _strings(message.get("title")) + _strings(message.get("original-title")) + _strings(
        message.get("short-title"))
    subtitles = _strings(message.get("subtitle"))
    if titles and subtitles:
        titles.append(f"{titles[0]}: {subtitles[0]}")
    year = None
    others: list[str] = []
    for key in ("issued", "published-print", "published-online", "published", "created"):
        y = _year(message.get(key))
        if y is None:
            continue
        if year is None:
            year = y
        elif y not in others and y != year:
            others.append(y)
    container = _strings(message.get("container-title"))
    notices = _updated_by(message)
    if titles and re.match(r"\s*(?:RETRACTED|WITHDRAWN)\b", titles[0]):
        # some publishers mark the original's own title: «RETRACTED: …»
        kind = "retraction" if titles[0].lstrip().upper().startswith("RETRACTED") else "withdrawal"
        notices += (RegistryNotice(message["DOI"], kind, None),)
        titles = [re.sub(r"^\s*(?:RETRACTED|WITHDRAWN)\s*(?:ARTICLE)?\s*[:.-]?\s*", "", t) for t in titles]
    return Record(
        doi=message["DOI"],
        titles=tuple(dict.fromkeys(t.strip() for t in titles)),
        year=year,
        other_years=tuple(others),
        authors=_authors(message.get("author")) or _authors(message.get("editor")),
        kind=message.get("type") if isinstance(message.get("type"), str) else None,
        container=container[0] if container else None,
        agency=agency,
        notices=notices,
    )


def record_to_json(record: Record) -> dict[str, Any]:
    return asdict(record)


def record_from_json(data: dict[str, Any]) -> Record:
    return Record(
        doi=data["doi"], titles=tuple(data["titles"]), year=data["year"],
        other_years=tuple(data.get("other_years", ())), authors=tuple(data["authors"]),
        kind=data.get("kind"), container=data.get("container"), agency=data.get("agency", "crossref"),
        notices=tuple(RegistryNotice(n["doi"], n["kind"], n.get("date")) for n in data.get("notices", ())),
    )


def _message(payload: Any, url: str) -> Any:
    if not isinstance(payload, dict) or payload.get("status") != "ok" or "message" not in payload:
        raise RegistryError(f"unexpected answer from {url} (no status ok / message)")
    return payload["message"]


def _items(payload: Any, url: str) -> list[Any]:
    message = _message(payload, url)
    items = message.get("items") if isinstance(message, dict) else None
    if not isinstance(items, list):
        raise RegistryError(f"unexpected answer from {url} (no items)")
    return items


class Crossref(CachedService):
    """The Crossref REST API as a :class:`~footcheck.registry.interface.MetadataService`."""

    def __init__(self, transport: Transport, options: RegistryOptions, cache: Any = None) -> None:
        super().__init__(transport, options.crossref_url, "Crossref", options, cache)

    def _params(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        params = dict(extra or {})
        if self.options.mailto:
            params["mailto"] = self.options.mailto
        return params

    def _headers(self) -> dict[str, str]:
        return {"User-Agent": self.options.user_agent, "Accept": "application/json"}

    async def work(self, doi: str) -> Record | None:
        key = f"work|{doi.lower()}"
        hit = self._cached(key)
        if hit is not None:
            return record_from_json(hit["record"]) if hit.get("record") else None
        url = f"{self.base}/works/{path_doi(doi)}"
        answer = await self.transport.get(url, params=self._params(), headers=self._headers())
        if answer.status == 404:
            self._store(key, {"record": None}, self.options.missing_ttl)
            return None
        if answer.status != 200:
            raise RegistryError(f"Crossref answered HTTP {answer.status} for {doi}")
        record: Record = await self._read(key, lambda: record_from_message(_message(answer.json(), url)))
        self._store(key, {"record": record_to_json(record)}, self.options.found_ttl)
        return record

    async def updates(self, doi: str) -> tuple[RegistryNotice, ...]:
        key = f"updates|{doi.lower()}"
        hit = self._cached(key)
        if hit is not None:
            return tuple(RegistryNotice(n["doi"], n["kind"], n.get("date")) for n in hit["notices"])
        url = f"{self.base}/works"
        answer = await self.transport.get(url, params=self._params({"filter": f"updates:{doi}"}),
                                          headers=self._headers())
        if answer.status in (400, 404):
            self._store(key, {"notices": []}, self.options.missing_ttl)  # the service has no such query
            return ()
        if answer.status != 200:
            raise RegistryError(f"Crossref answered HTTP {answer.status} to the updates query for {doi}")
        items = await self._read(key, lambda: _items(answer.json(), url))
        notices: list[RegistryNotice] = []
        for item in items:
            if isinstance(item, dict):
                notices += notices_in(item, doi)
        self._store(key, {"notices": [asdict(n) for n in notices]}, self.options.found_ttl)
        return tuple(notices)

    async def search(self, bibliographic: str, rows: int = 2) -> tuple[Record, ...]:
        query = " ".join(bibliographic.split())[:500]
        key = f"search|{rows}|{query}"
        hit = self._cached(key)
        if hit is not None:
            return tuple(record_from_json(r) for r in hit["records"])
        url = f"{self.base}/works"
        answer = await self.transport.get(
            url, params=self._params({"query.bibliographic": query, "rows": str(rows)}), headers=self._headers())
        if answer.status in (400, 404):
            self._store(key, {"records": []}, self.options.missing_ttl)  # the service has no such query
            return ()
        if answer.status != 200:
            raise RegistryError(f"Crossref answered HTTP {answer.status} to a bibliographic query")
        items = await self._read(key, lambda: _items(answer.json(), url))
        records = []
        for item in items[:rows]:
            try:
                records.append(record_from_message(item))
            except RegistryError:
                continue
        self._store(key, {"records": [record_to_json(r) for r in records]}, self.options.found_ttl)
        return tuple(records)
