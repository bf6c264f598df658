"""Where a profile lives: ``--profile DIR``, else ``SIMPUL_PROFILE``, else the platform data dir."""

from __future__ import annotations

import os
import sys
from pathlib import Path

VAULT_NAME = "vault.json"


def default_profile_dir() -> Path:
    """The platform's per-user data directory for Simpul (no Qt needed to find it)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "Simpul" / "profile"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Simpul" / "profile"
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "simpul" / "profile"


def resolve_profile_dir(option: str | os.PathLike[str] | None = None) -> Path:
    """Pick the profile directory from the option, the environment, or the default."""
    if option:
        return Path(option).expanduser()
    env = os.environ.get("SIMPUL_PROFILE")
    if env:
        return Path(env).expanduser()
    return default_profile_dir()
