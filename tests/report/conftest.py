"""Fixtures for the report tests; the audits themselves are built in report_fixtures."""

from __future__ import annotations

import pytest
from report_fixtures import HOSTILE, build_document, build_findings, build_links, build_results

from footcheck.model import Audit, Document


@pytest.fixture
def audit() -> Audit:
    """An audit after link checking and archive lookups (online)."""
    return Audit(
        document=build_document(),
        links=build_links(),
        results=build_results(),
        findings=build_findings(),
        offline=False,
    )


@pytest.fixture
def offline_audit() -> Audit:
    return Audit(
        document=build_document("samples/offline.txt"),
        links=build_links(),
        results={},
        findings=build_findings()[:3],
        offline=True,
    )


@pytest.fixture
def empty_audit() -> Audit:
    return Audit(document=Document(path="empty.txt", encoding="cp1251", line_count=3), offline=True)


@pytest.fixture
def hostile() -> str:
    return HOSTILE
