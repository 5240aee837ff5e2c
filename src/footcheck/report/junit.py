"""JUnit XML (the Ant/Jenkins dialect CI servers read): one test suite per paper, one test
case per rule and one per link.

A rule's case fails when the rule found something at warning or error level (each
finding one line of the failure text, ``path:line: message``); info findings go to
``system-out``. A link's case fails when any warning or error names the URL, and is
skipped when the link was not checked (offline, excluded).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO
from xml.etree import ElementTree as ET

from footcheck.model import Audit, Finding, LinkStatus, Severity

_FAILING = {Severity.ERROR, Severity.WARNING}


def _clean(text: str) -> str:
    # XML 1.0 forbids most control characters; paper text and server answers are untrusted
    return "".join(ch for ch in text if ch in "\t\n\r" or (ord(ch) >= 0x20 and ch not in "\ufffe\uffff"))


class JunitReporter:
    name = "junit"

    def render(self, audits: Sequence[Audit], out: TextIO, *, version: str, color: bool | None = None,
               width: int | None = None) -> None:
        from footcheck.rules.interface import all_rules

        rules = all_rules()
        root = ET.Element("testsuites", name=f"footcheck {version}")
        totals = {"tests": 0, "failures": 0, "skipped": 0}
        for audit in audits:
            suite = self._suite(audit, rules)
            for k in totals:
                totals[k] += int(suite.get(k, "0"))
            root.append(suite)
        for k, v in totals.items():
            root.set(k, str(v))
        root.set("errors", "0")
        ET.indent(root)
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(ET.tostring(root, encoding="unicode"))
        out.write("\n")

    def _suite(self, audit: Audit, rules: Sequence) -> ET.Element:  # type: ignore[type-arg]
        path = audit.document.path
        suite = ET.Element("testsuite", name=_clean(path))
        by_code: dict[str, list[Finding]] = {}
        for f in audit.findings:
            by_code.setdefault(f.code, []).append(f)
        failures = skipped = tests = 0
        for rule in rules:
            found = by_code.get(rule.code, [])
            case = ET.SubElement(suite, "testcase", classname=f"{_clean(path)}.rules",
                                 name=f"{rule.code} {rule.name}", time="0")
            tests += 1
            bad = [f for f in found if f.severity in _FAILING]
            if bad:
                failures += 1
                worst = max(bad, key=lambda f: f.severity.rank)
                fail = ET.SubElement(case, "failure", type=worst.severity.value,
                                     message=_clean(f"{len(bad)} finding(s): {worst.message}"))
                fail.text = _clean("\n".join(f"{path}:{f.line or 0}: {f.severity.value}: {f.message}" for f in bad))
            infos = [f for f in found if f.severity not in _FAILING]
            if infos:
                ET.SubElement(case, "system-out").text = _clean(
                    "\n".join(f"{path}:{f.line or 0}: info: {f.message}" for f in infos))
        for link in audit.links:
            tests += 1
            case = ET.SubElement(suite, "testcase", classname=f"{_clean(path)}.links", name=_clean(link.url),
                                 time="0")
            bad = [f for f in audit.findings if f.url == link.url and f.severity in _FAILING]
            result = audit.results.get(link.url) if audit.results else None
            if bad:
                failures += 1
                fail = ET.SubElement(case, "failure", type=max(bad, key=lambda f: f.severity.rank).severity.value,
                                     message=_clean(bad[0].message))
                fail.text = _clean("\n".join(f"{f.code}: {f.message}" for f in bad))
            elif result is None or LinkStatus(result.status) in (LinkStatus.SKIPPED, LinkStatus.UNVERIFIED):
                skipped += 1
                ET.SubElement(case, "skipped", message=_clean(result.detail if result else "not checked"))
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", str(skipped))
        suite.set("time", "0")
        return suite
