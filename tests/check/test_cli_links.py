"""End to end: ``footcheck PAPER --allow-private --format json`` against loopback servers."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from check_servers import Site, html

PAPER = """\
Сохранность ссылок в региональной периодике

Введение

Итоги переписи 2010 г. опубликованы на сайте ведомства1. Отчет о
проекте позднее переехал по новому адресу2, а архив новостей за 2015 г.
больше недоступен3. Часть документов удалена4, а портал библиотеки
закрыт от автоматических обращений5. Сайт проекта давно не работает6,
а сервер журнала отвечает слишком медленно7. Программа фестиваля
сохранилась лишь в печатном виде8.

1 Итоги Всероссийской переписи населения 2010 года. URL: {ok} (дата обращения: 11.03.2024).
2 Отчет о реализации проекта «Память края». URL: {moved} (дата обращения: 11.03.2024).
3 Новости за 2015 год. URL: {soft} (дата обращения: 12.03.2024).
4 Положение о конкурсе. URL: {broken} (дата обращения: 12.03.2024).
5 Электронный каталог библиотеки. URL: {blocked} (дата обращения: 13.03.2024).
6 Сайт проекта «Открытый край». URL: {unreachable} (дата обращения: 13.03.2024).
7 Вестник краеведения. 2019. № 2. URL: {timeout} (дата обращения: 14.03.2024).
8 Программа фестиваля народной музыки «Звуки края». URL: {drift} (дата обращения: 14.03.2024).
"""


def _footcheck(paper: Path, *extra: str) -> tuple[int, dict]:
    command = [sys.executable, "-m", "footcheck", str(paper), "--format", "json",
               "--no-wayback", "--timeout", "1.5", "--today", "2024-04-01", "--quiet", *extra]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def _statuses(report: dict) -> dict[str, str]:
    (document,) = report["documents"]
    return {link["url"]: link["status"] for link in document["links"]}


@pytest.fixture
def paper(make_site, tmp_path: Path) -> tuple[Path, dict[str, str], Site]:
    a: Site = make_site("127.0.0.2")
    b: Site = make_site("127.0.0.3")
    dead = make_site("127.0.0.4")
    unreachable = dead.url("/project")
    dead.close()
    a.page("/", html("Главная страница ведомства"))
    a.page("/reports/2021/pamyat-kraya", html("Отчет о реализации проекта «Память края»"))
    urls = {
        "ok": a.page("/census/2010/itogi", html("Итоги Всероссийской переписи населения 2010 года")),
        "redirect": a.redirect("/project/report", "/reports/2021/pamyat-kraya", 301),
        "soft404": a.redirect("/news/2015/archive", "/", 302),
        "broken": a.page("/docs/polozhenie.pdf", "нет такого файла", status=404),
        "blocked": b.page("/catalog", "<title>Just a moment...</title>", status=403,
                          headers={"cf-mitigated": "challenge"}),
        "unreachable": unreachable,
        "timeout": b.page("/vestnik/2019/2", html("Вестник краеведения"), delay=3.0),
    }
    drift = a.page("/festival/programma", html("Купить диван недорого в Москве с доставкой"))
    text = PAPER.format(ok=urls["ok"], moved=urls["redirect"], soft=urls["soft404"],
                        broken=urls["broken"], blocked=urls["blocked"],
                        unreachable=urls["unreachable"], timeout=urls["timeout"], drift=drift)
    path = tmp_path / "paper.txt"
    path.write_text(text, encoding="utf-8")
    return path, urls, a


def test_json_reports_every_status_and_a_second_run_uses_the_cache(paper, tmp_path) -> None:
    path, urls, site = paper
    cache = ["--allow-private", "--cache-dir", str(tmp_path / "cache")]
    code, report = _footcheck(path, *cache)
    statuses = _statuses(report)
    for expected, url in urls.items():
        assert statuses.get(url) == expected, (expected, url, statuses)
    assert code == 1  # broken and unreachable links are errors
    (document,) = report["documents"]
    codes = {f["code"] for f in document["findings"] if f.get("url")}
    assert {"FC501", "FC502", "FC503", "FC504", "FC505", "FC506", "FC508"} <= codes

    before = Counter(site.stats.requests)
    _, again = _footcheck(path, *cache)
    assert Counter(site.stats.requests) - before == Counter()  # all of site a is settled
    assert _statuses(again) == statuses


def test_without_allow_private_loopback_links_are_skipped(paper, tmp_path: Path) -> None:
    path, _, site = paper
    _, report = _footcheck(path, "--no-cache")
    statuses = _statuses(report)
    assert set(statuses.values()) == {"skipped"}
    assert site.stats.total() == 0
    (document,) = report["documents"]
    assert any(f["code"] == "FC507" for f in document["findings"])
