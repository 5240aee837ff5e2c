"""``python -m footcheck`` and the ``footcheck`` command.

The compile cache goes in before anything else is imported, the CLI module included, so
that every pattern and dataclass of the run is served from it (start-up time)."""


def main() -> None:
    from footcheck import _compile_cache

    _compile_cache.install()
    from footcheck._cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
