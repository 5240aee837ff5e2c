"""Reports of a document that went through the real loader, parser and rules.

The paper is invented for this test; it imitates what a journal PDF turns into as plain
text (markers glued to words, footnotes at the page bottom, a URL broken across lines,
a repeat, bracketed citations) and adds text that looks like markup.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from rich.cells import cell_len

from footcheck.report import get_reporter, load_schema
from footcheck.report.rich_report import RichReporter

pipeline = pytest.importorskip("footcheck.pipeline")
loader = pytest.importorskip("footcheck.load")
context = pytest.importorskip("footcheck.rules.context")

PAPER = """\
ТРАНСПОРТНЫЕ КОРИДОРЫ И ДИПЛОМАТИЯ МАЛЫХ ШАГОВ

Авторы рассматривают, как изменилась повестка региона после 2020 г.
[Иванова 2018: 44]. Концепция внешней политики была принята весной1. Её положения
обсуждались в деловой прессе2, а затем и в официальных сообщениях3.
Отдельные авторы [Петров, Сидоров 2021; Кузнецова и др. 2019а, с. 12] видят
в этом продолжение прежнего курса, однако [bold red]x[/] — это лишь шум.

1 О концепции внешней политики. URL: https://www.example-gov.kz/ru/legal_acts/decrees/o-konc
epcii-na-2020-2030-gody (дата обращения: 23.12.2023).
2 Деловой вестник. 2022. 6 июля. URL: https://www.example-news.ru/doc/5447449?utm_source=tg (дата
обращения: 23.12.2023).
3 Там же.

Список литературы
Иванова А.А. Региональная интеграция. М.: Наука, 2018. 210 с.
Петров П.П., Сидоров С.С. Коридоры и узлы. СПб., 2021. 180 с.
Кузнецова Е.В., Орлов Д.И., Белов К.К. Малые шаги. Казань, 2019. 96 с.
"""


@pytest.fixture
def parsed_audit(tmp_path: Path) -> Any:
    path = tmp_path / "статья.txt"
    path.write_text(PAPER, encoding="utf-8")
    loaded = loader.load_path(path)
    return pipeline.audit_static(loaded, context.RuleContext(today=dt.date(2024, 3, 1)))


def test_json_of_a_parsed_paper_validates(parsed_audit: Any) -> None:
    out = io.StringIO()
    get_reporter("json").render([parsed_audit], out, version="0.1.0")
    data = json.loads(out.getvalue())
    jsonschema.Draft202012Validator(load_schema()).validate(data)
    document = data["documents"][0]
    assert document["encoding"] == "utf-8"
    assert len(document["links"]) == len({link["url"] for link in document["links"]})
    assert all(link["status"] == "skipped" and link["detail"] == "offline" for link in document["links"])
    assert data["summary"]["footnotes"] == len(document["footnotes"])
    assert data["summary"]["citations"] == len(document["citations"])
    # "reference" names an entry by its index, whatever the parser's internal position.
    first = document["citations"][0]
    assert first["raw"] == "Иванова 2018: 44"
    assert first["reference"] == 1
    assert document["references"][0]["index"] == 1


def test_rich_report_of_a_parsed_paper(parsed_audit: Any) -> None:
    out = io.StringIO()
    RichReporter(details=True).render([parsed_audit], out, version="0.1.0", color=False, width=80)
    text = out.getvalue()
    # every line fits but the closing one-line summary and the blocks' "path:line" heads,
    # which name the long temporary path and are never broken
    assert all(cell_len(line) <= 80 or len(line.split()) <= 2 for line in text.splitlines()[:-1])
    assert "\x1b" not in text
    assert "статья.txt" in text
    assert "offline: not checked" in text
    assert re.search(r"line 4\s+\[Иванова 2018: 44\]\s+→ 1\. Иванова А\.А\.", text)


@pytest.mark.parametrize("name", ["sarif", "github", "markdown"])
def test_other_formats_of_a_parsed_paper(parsed_audit: Any, name: str) -> None:
    out = io.StringIO()
    get_reporter(name).render([parsed_audit], out, version="0.1.0", color=False, width=80)
    assert out.getvalue()
