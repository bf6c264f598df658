"""Render the desktop app's screens offscreen, in Indonesian, with synthetic data only.

Usage: .venv/bin/python scripts/screenshots.py [OUT_DIR]   (default: docs/screenshots)

The screens are driven by ``desktop/ui/screenshots.py`` (only ``desktop.ui`` imports Qt).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from desktop.ui.screenshots import render

    render(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")


if __name__ == "__main__":
    main()
