"""Where the district server keeps its data and which database it uses."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "DATABASE_URL_ENV",
    "DATA_DIR_ENV",
    "DB_NAME",
    "DistrictConfig",
    "default_data_dir",
    "resolve_data_dir",
]

DATA_DIR_ENV = "SIMPUL_DISTRICT_DATA"
DATABASE_URL_ENV = "SIMPUL_DATABASE_URL"
DB_NAME = "district.db"


def default_data_dir() -> Path:
    """Return the platform's per-user data directory for the district server."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "Simpul" / "district"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Simpul" / "district"
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "simpul" / "district"


def resolve_data_dir(option: str | os.PathLike[str] | None = None) -> Path:
    """Pick the data directory: ``--data DIR``, else ``SIMPUL_DISTRICT_DATA``, else the default.

    Args:
        option: The value of ``--data`` if given.

    Returns:
        The directory (not created).
    """
    if option:
        return Path(option).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return default_data_dir()


@dataclass(frozen=True)
class DistrictConfig:
    """Where a district server's state lives.

    Attributes:
        data_dir: Holds ``keys.json`` and, by default, the SQLite database.
        database_url: A SQLAlchemy URL (``sqlite:///…`` or ``postgresql+psycopg://…``);
            ``None`` means the SQLite file ``<data_dir>/district.db``.
    """

    data_dir: Path
    database_url: str | None = None

    @classmethod
    def from_env(
        cls,
        data_dir: str | os.PathLike[str] | None = None,
        database_url: str | None = None,
    ) -> DistrictConfig:
        """Build the configuration from options, then the environment, then defaults.

        Args:
            data_dir: ``--data`` (else ``SIMPUL_DISTRICT_DATA``, else the platform data dir).
            database_url: ``--database-url`` (else ``SIMPUL_DATABASE_URL``, else SQLite).

        Returns:
            The configuration.
        """
        url = database_url or os.environ.get(DATABASE_URL_ENV) or None
        return cls(resolve_data_dir(data_dir), url)

    @property
    def url(self) -> str:
        """The database URL actually used."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / DB_NAME}"

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is a SQLite file."""
        return self.url.startswith("sqlite")

    @property
    def keys_path(self) -> Path:
        """The key file ``<data_dir>/keys.json``."""
        return self.data_dir / "keys.json"
