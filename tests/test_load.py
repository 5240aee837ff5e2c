"""Loading: encodings, line numbers, and clear errors for what is not text."""

from __future__ import annotations

import os

import pytest

from footcheck.load import LoadError, decode_bytes, load_path

RUSSIAN = 'Первая строка о политике.\nВторая строка: "цитата" и ё.\n\fТретья страница\n'


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (RUSSIAN.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + RUSSIAN.encode("utf-8"), "utf-8-sig"),
        (RUSSIAN.encode("cp1251"), "cp1251"),
        (RUSSIAN.encode("koi8-r"), "koi8-r"),
        (RUSSIAN.encode("utf-16"), "utf-16-le"),
        (RUSSIAN.encode("utf-16-be"), "utf-16-be"),
        (RUSSIAN.encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_decodes_russian_in_common_encodings(data: bytes, encoding: str) -> None:
    text, found = decode_bytes(data)
    assert text == RUSSIAN
    assert found == encoding


def test_short_cp1251_and_koi8_are_told_apart() -> None:
    phrase = "Внешняя политика страны."
    assert decode_bytes(phrase.encode("cp1251")) == (phrase, "cp1251")
    assert decode_bytes(phrase.encode("koi8-r")) == (phrase, "koi8-r")


def test_windows_line_endings_keep_line_numbers() -> None:
    text, _ = decode_bytes("а\r\nб\r\nв".encode())
    assert text.split("\n") == ["а", "б", "в"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "binary"),
        (b"%PDF-1.7\n\x00\x01\x02\x03stream", "binary"),
    ],
)
def test_rejects_what_is_not_text(data: bytes, message: str) -> None:
    with pytest.raises(LoadError, match=message):
        decode_bytes(data, name="paper.txt")


def test_random_bytes_are_rejected_or_decoded_never_crash() -> None:
    for seed in range(50):
        data = os.urandom(200 + seed)
        try:
            text, _ = decode_bytes(data)
        except LoadError:
            continue
        assert isinstance(text, str)


def test_load_path_errors(tmp_path) -> None:
    with pytest.raises(LoadError, match="no such file"):
        load_path(tmp_path / "missing.txt")
    with pytest.raises(LoadError, match="directory"):
        load_path(tmp_path)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2048)
    with pytest.raises(LoadError, match="limit"):
        load_path(big, max_bytes=1024)


def test_load_path_reads_file(tmp_path) -> None:
    p = tmp_path / "p.txt"
    p.write_bytes(RUSSIAN.encode("cp1251"))
    loaded = load_path(p)
    assert loaded.text == RUSSIAN and loaded.encoding == "cp1251" and loaded.path == str(p)
