"""The plain-text reader: a paper's bytes to text, whatever encoding they came in.

Russian texts arrive as UTF-8 (with or without a BOM), UTF-16 from Windows tools, and
the two legacy single-byte encodings cp1251 and koi8-r. UTF-8 is tried first because it
is self-validating: a legacy file practically never decodes as UTF-8 by accident, and a
UTF-8 file with one stray invalid byte is still UTF-8 (the byte is replaced and a
diagnostic says where). For the rest charset-normalizer (imported only then, to keep
start-up fast) picks the encoding. Binary and empty input raise :class:`LoadError` with a
message fit for one line of output.

Line numbers are preserved exactly: only line endings are normalised, so line ``n`` of
the returned text is line ``n`` of the file.
"""

from __future__ import annotations

import codecs
import re

from footcheck.load.interface import Format, LoadDiagnostic, LoadedText, LoadError, Reader
from footcheck.model import Location

# Bytes that never occur in text (C0 controls other than tab, newlines, form feed, escape).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))

INVALID_BYTES = "FC001"
FORMAT_HINT = "FC002"


class TextReader(Reader):
    """Plain text (the fallback: every file that no other reader claims)."""

    format = Format.TEXT

    def sniff(self, head: bytes, name: str) -> bool:
        return True

    def read(self, data: bytes, name: str) -> LoadedText:
        text, encoding, diagnostics = decode_text(data, name=name)
        hint = format_hint(text)
        if hint is not None:
            diagnostics = (*diagnostics, hint)
        return LoadedText(path=name, text=text, encoding=encoding, diagnostics=diagnostics)


def decode_bytes(data: bytes, *, name: str = "<input>") -> tuple[str, str]:
    """Decode a file's bytes; returns (text with '\\n' line ends, encoding name)."""
    text, encoding, _ = decode_text(data, name=name)
    return text, encoding


def decode_text(data: bytes, *, name: str = "<input>") -> tuple[str, str, tuple[LoadDiagnostic, ...]]:
    """Decode a file's bytes: (text with '\\n' line ends, encoding name, diagnostics)."""
    if not data.strip(b" \t\r\n\f\x00"):
        raise LoadError(f"{name}: file is empty")
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            if encoding == "utf-8-sig":
                return _utf8(data[len(bom) :], encoding, name) or _finish(
                    _strict(data[len(bom) :], encoding, name), encoding, name)
            return _finish(_strict(data[len(bom) :], encoding, name), encoding, name)
    utf16 = _guess_bomless_utf16(data)
    if utf16:
        return _finish(_strict(data, utf16, name), utf16, name)
    if _looks_binary(data):
        raise LoadError(f"{name}: looks like a binary file, not text")
    return _utf8(data, "utf-8", name) or _finish(*_detect_legacy(data, name), name)


def _utf8(data: bytes, encoding: str, name: str) -> tuple[str, str, tuple[LoadDiagnostic, ...]] | None:
    """UTF-8, strictly or with a few stray invalid bytes replaced (a file that is UTF-8
    everywhere else); None when the bytes are some other encoding."""
    try:
        return _finish(data.decode("utf-8"), encoding, name)
    except UnicodeDecodeError as exc:
        first = exc.start
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    wide = sum(1 for ch in text if ord(ch) > 0x7F) - bad - data.count("\ufffd".encode())
    # A legacy single-byte file is invalid at almost every non-ASCII byte; a UTF-8 file
    # damaged in transit has a handful of bad bytes among thousands of good sequences.
    if bad > max(3, wide // 100):
        return None
    line = data.count(b"\n", 0, first) + 1
    where = "byte" if bad == 1 else f"{bad} bytes, the first"
    diag = LoadDiagnostic(INVALID_BYTES, f"invalid UTF-8 ({where} at line {line}) replaced with U+FFFD",
                          Location(line=line))
    out = _finish(text, encoding, name)
    return out[0], out[1], (diag,)


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise LoadError(f"{name}: not valid {encoding} (byte {exc.start})") from None


def _guess_bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: text in it has NUL in every other byte for ASCII, and
    0x04 there for Cyrillic. Look at a sample of even and odd positions."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    for high, encoding in ((odd, "utf-16-le"), (even, "utf-16-be")):
        share = sum(1 for b in high if b in (0, 4)) / len(high)
        if share > 0.9:
            return encoding
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    return controls > max(8, len(sample) // 200)


# Common Russian letters; a right decoding of Russian text is full of them.
_FREQUENT = set("оеаинтсрвлкмдпуяыьгзбчйОЕАИНТСРВЛКМДПУ ")


def _detect_legacy(data: bytes, name: str) -> tuple[str, str]:
    import charset_normalizer  # slow import; only needed for non-UTF-8 input

    best = charset_normalizer.from_bytes(
        data[:200_000], cp_isolation=["cp1251", "koi8_r", "cp866", "mac_cyrillic", "iso8859_5",
                                      "cp1252", "latin_1"]
    ).best()
    candidates = ["cp1251", "koi8_r"]
    if best is not None and best.encoding not in candidates:
        candidates.append(best.encoding)
    # charset-normalizer tells Cyrillic from Latin well but sometimes confuses the two
    # Cyrillic code pages on short texts; the letter-frequency score settles that.
    scored = []
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = sum(1 for ch in text[:100_000] if ch in _FREQUENT)
        scored.append((score, encoding == (best.encoding if best else None), encoding, text))
    if not scored:
        raise LoadError(f"{name}: cannot determine the text encoding")
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    _, _, encoding, text = scored[0]
    return text, encoding.replace("_", "-")


def _finish(text: str, encoding: str, name: str) -> tuple[str, str, tuple[LoadDiagnostic, ...]]:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise LoadError(f"{name}: contains NUL characters: binary, or a mislabelled encoding")
    return text, encoding, ()


# What another format leaves in a text that the plain reader got (content sniffing sends
# clear cases to their readers; a hint here is a weak case, said once).
_HINTS = (
    ("Markdown", re.compile(r"\[\^[^\]\s]{1,20}\]")),
    ("LaTeX", re.compile(r"\\(?:footnote|cite|section|begin)\s*[{\[]")),
    ("HTML", re.compile(r"<(?:a\s+href|sup|p|div|span)\b[^>]*>", re.IGNORECASE)),
)


def format_hint(text: str) -> LoadDiagnostic | None:
    """A diagnostic when the text carries another format's markup that was read as text."""
    for fmt, pattern in _HINTS:
        m = pattern.search(text)
        if m:
            line = text.count("\n", 0, m.start()) + 1
            return LoadDiagnostic(
                FORMAT_HINT,
                f"looks like {fmt} ('{m.group(0)[:30]}' at line {line}) but was read as plain text:"
                " its footnotes and links may be missed",
                Location(line=line))
    return None
