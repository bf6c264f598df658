"""Render the desktop app's screens offscreen, in Indonesian, with synthetic data only.

Usage: .venv/bin/python scripts/screenshots.py [--village | --district] [OUT_DIR]
(default: both, into docs/screenshots)

The village app's screens (01–17) are driven by ``desktop/ui/screenshots.py``; district mode's
(18–25) by ``desktop/ui/district/screenshots.py``, against a ``simpul-district serve`` it
starts on 127.0.0.1 in a temporary folder and stops at the end (only ``desktop.ui`` imports Qt).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--village", action="store_true", help="only the village app (01–17)")
    which.add_argument("--district", action="store_true", help="only district mode (18–26)")
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    started = time.monotonic()
    if not args.district:
        from desktop.ui.screenshots import render

        render(args.out)
    if not args.village:
        from desktop.ui.district.screenshots import render as render_district

        render_district(args.out)
    print(f"{time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
