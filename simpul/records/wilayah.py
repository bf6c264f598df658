"""Kemendagri region codes of Kabupaten Pemalang: kecamatan, desa and kelurahan.

Read from ``resources/wilayah/pemalang-wilayah.csv`` (columns ``kode,nama,tingkat``). Village codes
look like ``33.27.08.2012``: kabupaten ``33.27``, kecamatan ``08``, village ``2012``
(``1xxx`` kelurahan, ``2xxx`` desa).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from simpul.errors import Error, UserError
from simpul.resources import resources_dir

__all__ = [
    "KABUPATEN_CODE",
    "Kecamatan",
    "Regions",
    "UnknownVillageError",
    "Village",
    "WilayahError",
    "load_regions",
    "wilayah_path",
]

KABUPATEN_CODE = "33.27"
"""Kemendagri code of Kabupaten Pemalang."""

VillageKind = Literal["desa", "kelurahan"]


class WilayahError(Error):
    """The shipped region file is missing or malformed (a packaging bug, not user input)."""


class UnknownVillageError(UserError):
    """A village code is not a desa or kelurahan of Kabupaten Pemalang."""

    def __init__(self, code: str) -> None:
        super().__init__("unknown_village", "Unknown village code {village}", village=code)
        self.village = code


@dataclass(frozen=True)
class Kecamatan:
    """A kecamatan (sub-district); ``code`` is the full code, e.g. ``33.27.08``."""

    code: str
    name: str


@dataclass(frozen=True)
class Village:
    """A desa or kelurahan; ``code`` is the full code, e.g. ``33.27.08.2012``."""

    code: str
    name: str
    kind: VillageKind
    kecamatan_code: str
    kecamatan_name: str


def wilayah_path() -> Path:
    """Return the path of the shipped region CSV."""
    return resources_dir() / "wilayah" / "pemalang-wilayah.csv"


class Regions:
    """The kecamatan and villages of the kabupaten, in code order."""

    def __init__(self, kecamatans: list[Kecamatan], villages: list[Village]) -> None:
        """Build the region index.

        Args:
            kecamatans: Every kecamatan.
            villages: Every desa and kelurahan.
        """
        self._kecamatans = tuple(sorted(kecamatans, key=lambda k: k.code))
        self._villages = tuple(sorted(villages, key=lambda v: v.code))
        self._by_code = {v.code: v for v in self._villages}

    @classmethod
    def from_csv(cls, path: Path) -> Regions:
        """Read the region CSV.

        Args:
            path: A CSV file with columns ``kode,nama,tingkat``.

        Returns:
            The region index.

        Raises:
            WilayahError: The file is missing or a row is malformed.
        """
        try:
            with path.open(encoding="utf-8", newline="") as f:
                rows = list(csv.DictReader(f))
        except OSError as exc:
            raise WilayahError(f"cannot read region file {path}: {exc}") from exc
        kec_names: dict[str, str] = {}
        village_rows: list[tuple[str, str, str]] = []
        for row in rows:
            code, name, level = row.get("kode"), row.get("nama"), row.get("tingkat")
            if not code or not name or not level:
                raise WilayahError(f"malformed row in {path}: {row!r}")
            if level == "kecamatan":
                kec_names[code] = name
            elif level in ("desa", "kelurahan"):
                village_rows.append((code, name, level))
            elif level != "kabupaten":
                raise WilayahError(f"unknown level {level!r} in {path}")
        villages: list[Village] = []
        for code, name, level in village_rows:
            kec_code = code.rsplit(".", 1)[0]
            if kec_code not in kec_names:
                raise WilayahError(f"village {code} has no kecamatan in {path}")
            kind: VillageKind = "desa" if level == "desa" else "kelurahan"
            villages.append(Village(code, name, kind, kec_code, kec_names[kec_code]))
        return cls([Kecamatan(c, n) for c, n in kec_names.items()], villages)

    def kecamatans(self) -> list[Kecamatan]:
        """Return every kecamatan, in code order."""
        return list(self._kecamatans)

    def villages(self, kecamatan_code: str | None = None) -> list[Village]:
        """Return the villages, in code order.

        Args:
            kecamatan_code: Only the villages of this kecamatan (full code, e.g. ``33.27.08``).
        """
        if kecamatan_code is None:
            return list(self._villages)
        return [v for v in self._villages if v.kecamatan_code == kecamatan_code]

    def village(self, code: str) -> Village:
        """Return the village with this code.

        Raises:
            UnknownVillageError: No desa or kelurahan has this code.
        """
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownVillageError(code) from None

    def is_village(self, code: object) -> bool:
        """Return whether ``code`` is the code of a desa or kelurahan."""
        return isinstance(code, str) and code in self._by_code

    def search(self, text: str) -> list[Village]:
        """Return villages whose name or kecamatan name contains ``text`` (case-insensitive).

        Args:
            text: The text to look for; blank text matches every village.
        """
        needle = text.strip().casefold()
        return [
            v
            for v in self._villages
            if needle in v.name.casefold() or needle in v.kecamatan_name.casefold()
        ]


@cache
def load_regions() -> Regions:
    """Return the shipped region index (read once, then cached).

    Raises:
        WilayahError: The region file is missing or malformed.
    """
    return Regions.from_csv(wilayah_path())
