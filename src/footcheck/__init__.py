"""footcheck: a citation and footnote auditor for Russian academic text."""

__version__ = "0.1.0"
