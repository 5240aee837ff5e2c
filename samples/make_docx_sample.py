"""Writes samples/practice_report.docx with the DOCX writer of the tests (nothing binary is
edited by hand):  python samples/make_docx_sample.py"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "load"))

from docx_writer import make_docx  # noqa: E402

PARAGRAPHS = [
    ["Отчёт о практике: приложение для планирования задач"],
    ["Введение"],
    ["Рынок мобильных планировщиков вырос за три года вдвое", ("fn", [
        "Петров А. А. Обзор рынка приложений. URL: https://obzor.example.ru/planirovshchiki"
        " (дата обращения: 12.11.2025)."]), "."],
    ["Спрос на офлайн-режим ", ("del", "резко "), ("ins", "заметно "), "вырос", ("fn", ["Там же. С. 4."]),
     ("comment", "Проверить цифры по второму кварталу"), "."],
    ["Архитектура описана в блоге разработчиков", ("fn", [
        "Блог команды // ", ("link", "https://blog.example.org/arkhitektura",
                             "https://blog.example.org/arkhitektura?ysclid=lt5k2m9x1q"),
        " (дата обращения: 21.12.2025)."]), " и в документации",
     ("fn", ["Документация фреймворка // ", ("link", "Сайт проекта", "https://docs.example.org/start"),
             " (дата обращения: 3.1.2026)"]), "."],
    ["Ср. методику оценки ", ("field", "на сайте ведомства", "https://vedomstvo.example.gov/metodika"),
     ", где нет даты обращения", ("fn", ["Методика оценки. URL: https://vedomstvo.example.gov/metodika"]), "."],
    ["Список использованных источников"],
    ["Иванов И. И. Мобильные приложения. М.: Наука, 2022. 200 с."],
    ["Петров А. А. Обзор рынка приложений [Электронный ресурс]. URL: https://obzor.example.ru/planirovshchiki"
     " (дата обращения: 12.11.2025)."],
]

if __name__ == "__main__":
    out = HERE / "practice_report.docx"
    out.write_bytes(make_docx(PARAGRAPHS, order=[3, 0, 2, 1, 4], numbered=frozenset({7, 8})))
    print(out)
