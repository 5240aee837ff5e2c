"""Checking links over HTTP; the public names live in :mod:`footcheck.check.interface`."""
