"""The archive stage: Wayback Machine captures nearest each citation's access date, and
Save Page Now for live links. The contract is in :mod:`footcheck.archive.interface`."""

from footcheck._lean_httpx import skip_httpx_cli

skip_httpx_cli()
