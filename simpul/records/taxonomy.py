"""Versioned label lists (taxonomy) from ``resources/taxonomy``: codes, labels, SIMFONI mapping.

Codes are what records store; labels are for display and export. DOMAIN.md asks that these lists
stay reference data and never become hard-coded enums, because no official SIMFONI field
dictionary is public and the lists will change.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from simpul.errors import Error, UserError
from simpul.resources import resources_dir

__all__ = [
    "TAXONOMY_VERSION",
    "Taxonomy",
    "TaxonomyError",
    "UnknownCodeError",
    "UnknownListError",
    "load_taxonomy",
    "taxonomy_path",
]

TAXONOMY_VERSION = 1
"""The taxonomy version this code reads (``resources/taxonomy/taxonomy-v<N>.json``)."""

Lang = Literal["id", "en"]


class TaxonomyError(Error):
    """The shipped taxonomy file is missing or malformed (a packaging bug, not user input)."""


class UnknownListError(Error):
    """A caller asked for a list the taxonomy does not have (a programming error)."""

    def __init__(self, list_name: str) -> None:
        super().__init__(f"unknown taxonomy list: {list_name!r}")
        self.list_name = list_name


class UnknownCodeError(UserError):
    """A code is not in its taxonomy list (for instance typed on the command line)."""

    def __init__(self, list_name: str, code: str) -> None:
        super().__init__(
            "unknown_code",
            "Unknown code {value} in list {list_name}",
            list_name=list_name,
            value=code,
        )
        self.list_name = list_name
        self.value = code


def taxonomy_path(version: int = TAXONOMY_VERSION) -> Path:
    """Return the path of the taxonomy file of ``version``.

    Args:
        version: Taxonomy version number.

    Returns:
        ``resources/taxonomy/taxonomy-v<version>.json`` under the resources directory.
    """
    return resources_dir() / "taxonomy" / f"taxonomy-v{version}.json"


class Taxonomy:
    """The label lists of one taxonomy version; read-only.

    Each item is a mapping with at least ``code``, ``id`` (Indonesian label), ``en`` (English
    gloss) and ``simfoni`` (the SIMFONI label, or ``None`` where SIMFONI has no such list);
    ``age_band`` items also carry ``min`` and ``max`` ages (``max`` is ``None`` for the last).
    """

    def __init__(self, version: int, lists: Mapping[str, list[dict[str, Any]]]) -> None:
        """Build a taxonomy from parsed JSON.

        Args:
            version: The taxonomy version.
            lists: List name to its items, in display order.

        Raises:
            TaxonomyError: An item lacks a code or a list repeats a code.
        """
        self._version = version
        self._items: dict[str, dict[str, Mapping[str, Any]]] = {}
        for name, items in lists.items():
            by_code: dict[str, Mapping[str, Any]] = {}
            for item in items:
                code = item.get("code")
                if not isinstance(code, str) or not code:
                    raise TaxonomyError(f"list {name!r} has an item without a code")
                if code in by_code:
                    raise TaxonomyError(f"list {name!r} repeats code {code!r}")
                by_code[code] = MappingProxyType(dict(item))
            self._items[name] = by_code

    @classmethod
    def from_file(cls, path: Path) -> Taxonomy:
        """Read a taxonomy JSON file.

        Args:
            path: The file to read.

        Returns:
            The parsed taxonomy.

        Raises:
            TaxonomyError: The file is missing or not a taxonomy document.
        """
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise TaxonomyError(f"cannot read taxonomy {path}: {exc}") from exc
        if (
            not isinstance(raw, dict)
            or not isinstance(raw.get("version"), int)
            or not isinstance(raw.get("lists"), dict)
            or not all(isinstance(v, list) for v in raw["lists"].values())
        ):
            raise TaxonomyError(f"{path} is not a taxonomy document")
        return cls(raw["version"], raw["lists"])

    @property
    def version(self) -> int:
        """The taxonomy version number."""
        return self._version

    def lists(self) -> list[str]:
        """Return the names of all lists, in file order."""
        return list(self._items)

    def _list(self, list_name: str) -> dict[str, Mapping[str, Any]]:
        try:
            return self._items[list_name]
        except KeyError:
            raise UnknownListError(list_name) from None

    def _get(self, list_name: str, code: str) -> Mapping[str, Any]:
        items = self._list(list_name)
        try:
            return items[code]
        except KeyError:
            raise UnknownCodeError(list_name, code) from None

    def codes(self, list_name: str) -> tuple[str, ...]:
        """Return the codes of a list, in display order.

        Raises:
            UnknownListError: ``list_name`` is not a taxonomy list.
        """
        return tuple(self._list(list_name))

    def has(self, list_name: str, code: object) -> bool:
        """Return whether ``code`` is a code of the list.

        Raises:
            UnknownListError: ``list_name`` is not a taxonomy list.
        """
        return isinstance(code, str) and code in self._list(list_name)

    def item(self, list_name: str, code: str) -> dict[str, Any]:
        """Return a copy of one item (``code``, ``id``, ``en``, ``simfoni`` and any extras).

        Raises:
            UnknownListError: ``list_name`` is not a taxonomy list.
            UnknownCodeError: ``code`` is not in the list.
        """
        return dict(self._get(list_name, code))

    def label(self, list_name: str, code: str, lang: Lang = "id") -> str:
        """Return the display label of a code.

        Args:
            list_name: The taxonomy list.
            code: A code of that list.
            lang: ``"id"`` for the Indonesian label, ``"en"`` for the English gloss.

        Raises:
            UnknownListError: ``list_name`` is not a taxonomy list.
            UnknownCodeError: ``code`` is not in the list.
            ValueError: ``lang`` is neither ``"id"`` nor ``"en"``.
        """
        if lang not in ("id", "en"):
            raise ValueError(f"unsupported label language: {lang!r}")
        return str(self._get(list_name, code)[lang])

    def simfoni(self, list_name: str, code: str) -> str | None:
        """Return the SIMFONI label a code maps to, or ``None`` when SIMFONI has no such list.

        Raises:
            UnknownListError: ``list_name`` is not a taxonomy list.
            UnknownCodeError: ``code`` is not in the list.
        """
        value = self._get(list_name, code).get("simfoni")
        return None if value is None else str(value)


@cache
def load_taxonomy() -> Taxonomy:
    """Return the shipped taxonomy (read once, then cached).

    Raises:
        TaxonomyError: The taxonomy file is missing or malformed.
    """
    return Taxonomy.from_file(taxonomy_path())
