"""The `maalspor` command: `main`, a click group whose commands only wire the stages."""

from maalspor.cli import output_commands, plan_commands  # noqa: F401  (they add the commands)
from maalspor.cli.app import main

__all__ = ["main"]
