"""An invented paper whose reference list exercises every registry verdict, and the fake
service's records for it. Every author, title and DOI is made up (prefix 10.12345)."""

from __future__ import annotations

from fake_registry import FakeRegistry, notice, work

PAPER = """Статья о регионах [Жильцов 2019; Петров 2020; Сидорова 2018; Орлов 2017; Кузнецов 2021;
Smith 2015; Волкова 2016; Морозов 2022].

Список литературы

1. Жильцов Ю. А. Политика регионов в эпоху перемен // Вестник Энского университета. 2019. № 3. С. 5–19. DOI: 10.12345/found.2019.1
2. Петров П. П. Реки и каналы Сибири // Полис. 2020. № 1. С. 10–20. DOI: 10.12345/missing.404
3. Сидорова С. С. Городская среда и её жители // Социум. 2018. № 2. С. 3–9. DOI: 10.12345/other.work
4. Орлов О. О. Теория союзов малых государств // Мир и политика. 2017. № 4. С. 44–50. DOI: 10.12345/retracted.1
5. Кузнецов К. К. Северные морские пути России // Арктика и Север. 2021. № 2. С. 1–9.
6. Smith J. Urban rivers and their banks // Journal of Invented Studies. 2015. Vol. 3. P. 1–10. DOI: 10.12345/garbage.1
7. Волкова В. В. Лесные законы империи // Право и история. 2016. № 1. С. 5–8. DOI: 10.12345/corrected.1
8. Морозов М. М. Набор данных о погоде в тайге. Новосибирск, 2022. DOI: 10.12345/datacite.1

References

1. Zhiltsov Yu.A. Politika regionov v epokhu peremen [Regional policy in an era of change]. Vestnik Enskogo universiteta, 2019, no. 3, pp. 5–19. (In Russ.)
2. Petrov P.P. Reki i kanaly Sibiri [Rivers and canals of Siberia]. Polis, 2020, no. 1, pp. 10–20. (In Russ.)
3. Sidorova S.S. Gorodskaya sreda i ee zhiteli [The urban environment and its dwellers]. Sotsium, 2018, no. 2, pp. 3–9. (In Russ.)
4. Orlov O.O. Teoriya soyuzov malykh gosudarstv [A theory of alliances of small states]. Mir i politika, 2017, no. 4, pp. 44–50. (In Russ.)
5. Kuznetsov K.K. Severnye morskie puti Rossii [Northern sea routes of Russia]. Arktika i Sever, 2021, no. 2, pp. 1–9. (In Russ.)
6. Smith J. Urban rivers and their banks. Journal of Invented Studies, 2015, vol. 3, pp. 1–10.
7. Volkova V.V. Lesnye zakony imperii [Forest laws of the empire]. Pravo i istoriya, 2016, no. 1, pp. 5–8. (In Russ.)
8. Morozov M.M. Nabor dannykh o pogode v taige [A data set of weather in the taiga]. Novosibirsk, 2022. (In Russ.)
"""

DOIS = ["10.12345/found.2019.1", "10.12345/missing.404", "10.12345/other.work", "10.12345/retracted.1",
        "10.12345/garbage.1", "10.12345/corrected.1", "10.12345/datacite.1"]


def stock(fake: FakeRegistry) -> FakeRegistry:
    """The records the fake holds for PAPER."""
    fake.add(work("10.12345/found.2019.1", "Regional policy in an era of change", 2019, "Zhiltsov"))
    fake.add(work("10.12345/other.work", "Quantum dots in coastal oceanography", 2011, "Brandt", "Okafor"))
    fake.add(work("10.12345/retracted.1", "A theory of alliances of small states", 2017, "Orlov"))
    fake.notices.append(notice("10.12345/retraction.notice.1", "10.12345/retracted.1", "retraction"))
    fake.add(work("10.12345/garbage.1", "Urban rivers and their banks", 2015, "Smith"))
    fake.garbage.add("10.12345/garbage.1")
    fake.add(work("10.12345/corrected.1", "Лесные законы империи", 2016, "Волкова"))
    fake.notices.append(notice("10.12345/correction.1", "10.12345/corrected.1", "correction", (2017, 2, 3)))
    fake.other["10.12345/datacite.1"] = {
        "DOI": "10.12345/datacite.1", "type": "dataset", "title": "Набор данных о погоде в тайге",
        "author": [{"family": "Морозов", "given": "М. М."}], "issued": {"date-parts": [[2022]]},
    }
    fake.search_results.append(("Кузнецов К. К. Северные морские пути", [
        work("10.12345/suggest.1", "Northern sea routes of Russia", 2021, "Kuznetsov"),
        work("10.12345/unrelated.2", "Northern lights over the sea", 2009, "Lind"),
    ]))
    return fake
