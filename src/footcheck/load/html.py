"""Html reader (to be written)."""

from __future__ import annotations

from footcheck.load.interface import Format, LoadedText, Reader


class HtmlReader(Reader):
    format = Format.HTML

    def sniff(self, head: bytes, name: str) -> bool:
        return False

    def read(self, data: bytes, name: str) -> LoadedText:
        raise NotImplementedError
