"""Stage 1: file -> text. See :mod:`footcheck.load.loader`."""

from footcheck.load.loader import LoadedText, LoadError, decode_bytes, load_path

__all__ = ["LoadError", "LoadedText", "decode_bytes", "load_path"]
