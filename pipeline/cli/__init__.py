"""The `maalspor` command: `main`, a click group whose commands only wire the stages."""

from maalspor.cli import (  # noqa: F401  (they add the commands)
    output_commands,
    plan_commands,
    review_commands,
)
from maalspor.cli.app import main

__all__ = ["main"]
