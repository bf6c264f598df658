"""The dependency rules of docs/architecture.md, enforced on the source and on real imports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# package -> top-level module prefixes it must never import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "simpul": ("desktop", "district", "PySide6", "shiboken6", "requests", "fastapi", "uvicorn"),
    "desktop/storage": (
        "PySide6",
        "shiboken6",
        "desktop.ui",
        "desktop.sync",
        "district",
        "requests",
    ),
    "desktop/sync": ("PySide6", "shiboken6", "desktop.ui", "district"),
    "district": ("desktop", "PySide6", "shiboken6"),
}

# The one exception: the district's PDF report uses Qt's PDF writer (the issue asks for it),
# importing PySide6.QtCore/QtGui inside its function only, so importing district loads no Qt.
QT_EXCEPTION = Path("district/report_pdf.py")
QT_EXCEPTION_MODULES = ("PySide6.QtCore", "PySide6.QtGui")


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_source_respects_the_dependency_rule(package: str) -> None:
    violations = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for lineno, module in _imports(path):
            if path.relative_to(ROOT) == QT_EXCEPTION and module in QT_EXCEPTION_MODULES:
                continue
            for banned in FORBIDDEN[package]:
                if module == banned or module.startswith(banned + "."):
                    violations.append(f"{path.relative_to(ROOT)}:{lineno} imports {module}")
    assert violations == []


def test_only_desktop_ui_imports_qt() -> None:
    offenders = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in {"tests", "bench", ".venv"} or rel.parts[:2] == ("desktop", "ui"):
            continue
        imported = [m for _, m in _imports(path)]
        if rel == QT_EXCEPTION:
            imported = [m for m in imported if m not in QT_EXCEPTION_MODULES]
        if any(m.startswith("PySide6") for m in imported):
            offenders.append(str(rel))
    assert offenders == []


def test_the_pdf_report_imports_qt_inside_its_functions_only() -> None:
    tree = ast.parse((ROOT / QT_EXCEPTION).read_text(encoding="utf-8"))
    top_level = [
        node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    assert not any(str(m).startswith(("PySide6", "shiboken6")) for m in top_level)


def test_importing_the_core_loads_no_qt() -> None:
    code = (
        "import sys, importlib, pkgutil\n"
        "import simpul, desktop.storage, desktop.sync, district\n"
        "for pkg in (simpul, desktop.storage, desktop.sync, district):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        if '.migrations' not in m.name and not m.name.endswith('__main__'):\n"
        "            importlib.import_module(m.name)\n"
        "import desktop.cli\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == ""
