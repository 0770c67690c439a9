"""`python -m maalspor ...` is the `maalspor` command."""

from maalspor.cli import main

if __name__ == "__main__":
    main(prog_name="maalspor")
