"""Reading a paper from disk into text, whatever encoding it came in.

Russian texts arrive as UTF-8 (with or without a BOM), UTF-16 from Windows tools, and
the two legacy single-byte encodings cp1251 and koi8-r. UTF-8 is tried first because it
is self-validating: a legacy file practically never decodes as UTF-8 by accident. For
the rest charset-normalizer (imported only then, to keep start-up fast) picks the
encoding. Binary, empty and unreadable files raise :class:`LoadError` with a message
fit for one line of output.

Line numbers are preserved exactly: only line endings are normalised, so line ``n`` of
the returned text is line ``n`` of the file.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 512 * 1024 * 1024  # a paper is kilobytes; a monograph tens of megabytes

# Bytes that never occur in text (C0 controls other than tab, newlines, form feed, escape).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_CONTROL_TABLE = bytes.maketrans(_CONTROL, b"\x00" * len(_CONTROL))


class LoadError(Exception):
    """The file cannot be read as text; the message is shown to the user as is."""


@dataclass(frozen=True, slots=True)
class LoadedText:
    path: str
    text: str
    encoding: str


def load_path(path: str | Path, *, max_bytes: int = MAX_BYTES) -> LoadedText:
    p = Path(path)
    try:
        if p.is_dir():
            raise LoadError(f"{p}: is a directory, not a text file")
        size = p.stat().st_size
        if size > max_bytes:
            raise LoadError(
                f"{p}: file is {size / 1_048_576:.0f} MiB, larger than the {max_bytes // 1_048_576}"
                " MiB limit (is it really a paper?)"
            )
        data = p.read_bytes()
    except FileNotFoundError:
        raise LoadError(f"{p}: no such file") from None
    except PermissionError:
        raise LoadError(f"{p}: permission denied") from None
    except OSError as exc:
        raise LoadError(f"{p}: cannot read: {exc.strerror or exc}") from None
    text, encoding = decode_bytes(data, name=str(p))
    return LoadedText(path=str(p), text=text, encoding=encoding)


def decode_bytes(data: bytes, *, name: str = "<input>") -> tuple[str, str]:
    """Decode a file's bytes; returns (text with '\\n' line ends, encoding name)."""
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
            return _finish(_strict(data[len(bom) :], encoding, name), encoding, name)
    utf16 = _guess_bomless_utf16(data)
    if utf16:
        return _finish(_strict(data, utf16, name), utf16, name)
    if _looks_binary(data):
        raise LoadError(f"{name}: looks like a binary file, not text")
    try:
        return _finish(data.decode("utf-8"), "utf-8", name)
    except UnicodeDecodeError:
        pass
    return _finish(*_detect_legacy(data, name), name)


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


def _finish(text: str, encoding: str, name: str) -> tuple[str, str]:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise LoadError(f"{name}: contains NUL characters: binary, or a mislabelled encoding")
    return text, encoding
