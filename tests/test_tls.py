"""The Wayback and registry clients share one TLS context per process (footcheck._tls)."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from footcheck._tls import client_context


def test_one_context_serves_every_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    first = client_context()
    assert client_context() is first
    assert first.verify_mode is ssl.CERT_REQUIRED and first.check_hostname
    assert first.cert_store_stats()["x509_ca"] > 10  # certifi's bundle, as httpx loads it


def test_a_changed_ca_file_gets_a_context_of_its_own(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    pem = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    default = client_context()
    monkeypatch.setenv("SSL_CERT_FILE", str(pem))
    own = client_context()
    assert own is not default and own.cert_store_stats()["x509_ca"] == 1
    # a client that ignores the environment keeps the default CA source
    assert client_context(trust_env=False).cert_store_stats()["x509_ca"] > 10
