"""The CLI tests reuse ``cli_env`` (clean working directory, settings pointing at the test database)."""

from tests.cli.conftest import cli_env

__all__ = ["cli_env"]
