"""doi.org: the handle API says whether a DOI exists, content negotiation gives any
registration agency's record.

``GET {doi_url}/api/handles/{doi}`` answers ``{"responseCode": 1, "handle": …, "values":
[…]}`` for a registered DOI and ``{"responseCode": 100, …}`` with HTTP 404 for one that is
not (200 means the handle exists without the values asked for: registered too). The
publisher's landing page is never asked: many answer 403 to automated clients.

``GET {doi_url}/{doi}`` with ``Accept: application/vnd.citationstyles.csl+json`` redirects
to the agency's own service (DataCite, mEDRA, JaLC, ...), which answers CSL JSON.
"""

from __future__ import annotations

from typing import Any

from footcheck.registry.cached import UNREADABLE_TTL, CachedService, path_doi
from footcheck.registry.crossref import record_from_json, record_to_json
from footcheck.registry.interface import Record, RegistryOptions
from footcheck.registry.transport import RegistryError, Transport

CSL_JSON = "application/vnd.citationstyles.csl+json"


def record_from_csl(data: Any, doi: str) -> Record:
    """A :class:`Record` from CSL JSON (``title`` a string or a list, ``author[{family}]``,
    ``issued.date-parts``)."""
    if not isinstance(data, dict):
        raise RegistryError("unreadable CSL JSON (not an object)")
    raw_title = data.get("title")
    titles = [raw_title] if isinstance(raw_title, str) else [t for t in raw_title or () if isinstance(t, str)]
    original = data.get("original-title")
    if isinstance(original, str):
        titles.append(original)
    authors = []
    for a in data.get("author") or ():
        if isinstance(a, dict):
            name = a.get("family") or a.get("literal") or a.get("name")
            if isinstance(name, str) and name.strip():
                authors.append(name.strip())
    year = None
    for key in ("issued", "published-print", "published-online", "created"):
        value = data.get(key)
        parts = value.get("date-parts") if isinstance(value, dict) else None
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            first = parts[0][0]
            if isinstance(first, (int, str)) and str(first).isdigit() and len(str(first)) == 4:
                year = str(first)
                break
    container = data.get("container-title")
    return Record(
        doi=str(data["DOI"]) if isinstance(data.get("DOI"), str) else doi,
        titles=tuple(t.strip() for t in titles if t.strip()),
        year=year,
        authors=tuple(authors),
        kind=data.get("type") if isinstance(data.get("type"), str) else None,
        container=container if isinstance(container, str) else None,
        agency="other",
    )


class DoiOrg(CachedService):
    """doi.org as a :class:`~footcheck.registry.interface.Resolver`."""

    def __init__(self, transport: Transport, options: RegistryOptions, cache: Any = None) -> None:
        super().__init__(transport, options.doi_url, "doi.org", options, cache)

    async def exists(self, doi: str) -> bool:
        key = f"handle|{doi.lower()}"
        hit = self._cached(key)
        if hit is not None:
            return bool(hit["exists"])
        url = f"{self.base}/api/handles/{path_doi(doi)}"
        answer = await self.transport.get(url, headers={"User-Agent": self.options.user_agent,
                                                        "Accept": "application/json"})
        try:
            payload = answer.json()
        except RegistryError:
            if answer.status != 404:
                await self._read(key, answer.json)
            payload = {"responseCode": 100}  # a 404 without the JSON body still says "no such handle"
        code = payload.get("responseCode") if isinstance(payload, dict) else None
        if code in (1, 200):
            self._store(key, {"exists": True}, self.options.found_ttl)
            return True
        if code == 100:
            self._store(key, {"exists": False}, self.options.missing_ttl)
            return False
        if code == 2:
            raise RegistryError(f"doi.org reported an error for {doi} (responseCode 2)")
        message = f"unexpected answer from doi.org for {doi} (HTTP {answer.status}, responseCode {code!r})"
        self._store(key, {"error": message}, UNREADABLE_TTL)
        raise RegistryError(message)

    async def metadata(self, doi: str) -> Record | None:
        key = f"csl|{doi.lower()}"
        hit = self._cached(key)
        if hit is not None:
            return record_from_json(hit["record"]) if hit.get("record") else None
        url = f"{self.base}/{path_doi(doi)}"
        answer = await self.transport.get(url, headers={"User-Agent": self.options.user_agent, "Accept": CSL_JSON})
        if answer.status in (404, 406, 410):
            self._store(key, {"record": None}, self.options.missing_ttl)
            return None
        if answer.status != 200:
            raise RegistryError(f"doi.org content negotiation answered HTTP {answer.status} for {doi}")
        record: Record = await self._read(key, lambda: record_from_csl(answer.json(), doi))
        self._store(key, {"record": record_to_json(record)}, self.options.found_ttl)
        return record
