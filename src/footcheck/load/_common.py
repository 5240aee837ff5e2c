"""Helpers the readers share: safe XML, bounded zip members, link checks, line counting."""

from __future__ import annotations

import bisect
import io
import re
import zipfile
from typing import Any

from footcheck.load.interface import LinkTarget, LoadDiagnostic, LoadError

LINK_MISMATCH = "FC004"
PART_UNREADABLE = "FC005"

MAX_MEMBERS = 10_000  # an office document has tens of parts
MAX_PART_BYTES = 128 * 1024 * 1024  # uncompressed size of one part read
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # uncompressed bytes read from one archive
MAX_RATIO = 200  # a part that inflates more than this (and is big) is a zip bomb


class Archive:
    """A zip container (DOCX, ODT) read with caps on member count and inflated sizes."""

    def __init__(self, data: bytes, name: str, kind: str) -> None:
        self.name, self.kind = name, kind
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zf.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
            raise LoadError(f"{name}: not a valid {kind} file (not a readable zip archive)") from None
        if len(infos) > MAX_MEMBERS:
            raise LoadError(f"{name}: {kind} archive has {len(infos)} members, more than {MAX_MEMBERS}")
        self.infos = {i.filename: i for i in infos}
        self.read_total = 0

    def has(self, member: str) -> bool:
        return member in self.infos

    def read(self, member: str) -> bytes | None:
        info = self.infos.get(member)
        if info is None:
            return None
        if info.file_size > MAX_PART_BYTES or (
            info.file_size > 10 * 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1)
        ):
            raise LoadError(f"{self.name}: {member} inflates to {info.file_size / 1_048_576:.0f} MiB"
                            " (a zip bomb?); refusing it")
        budget = min(MAX_PART_BYTES, MAX_TOTAL_BYTES - self.read_total)
        try:
            with self.zf.open(info) as f:
                data = f.read(budget + 1)  # never trust the header's size
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
            raise LoadError(f"{self.name}: cannot read {member} from the {self.kind} archive: {exc}") from None
        if len(data) > budget:
            raise LoadError(f"{self.name}: {member} inflates past the {budget // 1_048_576} MiB limit"
                            " (a zip bomb?); refusing it")
        self.read_total += len(data)
        return data


_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def parse_xml(data: bytes, name: str, member: str) -> Any:
    """An lxml element tree of an office XML part. A DTD is refused outright (office parts
    never carry one): no entity expansion, no external entities, no network."""
    from lxml import etree

    if _DTD.search(data[:4096]) or _DTD.search(data):
        raise LoadError(f"{name}: {member} declares a DTD or entities; refusing it")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise LoadError(f"{name}: {member} is not well-formed XML: {exc}") from None


_SCHEME = re.compile(r"^(?:https?|ftp)://", re.IGNORECASE)
_URLISH = re.compile(r"^\s*<?(?:(?:https?|ftp)://|www\.)\S+\s*$", re.IGNORECASE)


def looks_like_url(text: str) -> bool:
    return bool(_URLISH.match(text))


def same_url(a: str, b: str) -> bool:
    return _key(a) == _key(b)


def _key(url: str) -> str:
    u = url.strip().strip("<>").strip().lower()
    u = _SCHEME.sub("", u)
    if u.startswith("www."):
        u = u[4:]
    return u.rstrip("/.")


def link_diagnostics(links: list[LinkTarget] | tuple[LinkTarget, ...]) -> list[LoadDiagnostic]:
    """A link whose shown text is a URL other than its target (the target kept
    ``?ysclid=`` or pointed elsewhere): the reader of the PDF or print sees another address."""
    out: list[LoadDiagnostic] = []
    for link in links:
        if not looks_like_url(link.shown) or same_url(link.shown, link.url):
            continue
        out.append(LoadDiagnostic(
            LINK_MISMATCH, f"link text shows {link.shown.strip()} but the link points to {link.url}",
            link.location))
    return out


def http_target(url: str) -> bool:
    return bool(_SCHEME.match(url.strip())) or url.strip().lower().startswith("www.")


class LineIndex:
    """Offset -> 1-based line number of a text."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

