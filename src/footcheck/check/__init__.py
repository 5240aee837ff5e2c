"""Checking links over HTTP; the public names live in :mod:`footcheck.check.interface`."""

from footcheck._lean_httpx import skip_httpx_cli

skip_httpx_cli()
