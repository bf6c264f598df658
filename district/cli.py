"""The ``simpul-district`` admin command (its subcommands arrive with the district-server issue)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``simpul-district``: today it only describes itself."""
    parser = argparse.ArgumentParser(
        prog="simpul-district",
        description="Simpul district server administration (init, serve, enroll, devices, import).",
    )
    parser.parse_args(argv)
    parser.print_help()
    return 2
