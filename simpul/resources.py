"""Where the shipped reference data lives (``resources/`` at the top of the project)."""

from __future__ import annotations

import os
from pathlib import Path


def resources_dir() -> Path:
    """Return the resources directory; ``SIMPUL_RESOURCES`` overrides the default."""
    override = os.environ.get("SIMPUL_RESOURCES")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "resources"
