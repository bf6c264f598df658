"""The cases table: its model passes Qt's model tester and shows the working set's summaries."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPersistentModelIndex, Qt
from pytestqt.modeltest import ModelTester

from desktop.storage.store import Store
from desktop.ui.cases import CaseRow, CaseTableModel
from desktop.ui.language import Texts
from desktop.ui.tablemodel import SORT_ROLE
from simpul.synthetic import generate_cases

from .conftest import FAST_KDF, PASS, VILLAGE


def rows(profile_dir: Path, n: int) -> list[CaseRow]:
    store, _code = Store.create(
        profile_dir, village=VILLAGE, user="kader", passphrase=PASS, cost=FAST_KDF
    )
    with store:
        store.save_many(generate_cases(n, seed=5, village=VILLAGE))
        return [CaseRow.from_view(v) for v in store.records("case")]


def test_the_model_passes_the_model_tester(qtmodeltester: ModelTester, tmp_path: Path) -> None:
    model = CaseTableModel(Texts("id"))
    qtmodeltester.check(model)  # empty
    model.set_rows(rows(tmp_path / "profile", 12))
    qtmodeltester.check(model)
    model.set_rows([])
    qtmodeltester.check(model)


def test_the_model_sorts_itself_and_still_passes_the_tester(
    qtmodeltester: ModelTester, tmp_path: Path
) -> None:
    model = CaseTableModel(Texts("id"))
    model.sort(CaseTableModel.VICTIMS, Qt.SortOrder.DescendingOrder)
    cases = rows(tmp_path / "profile", 12)
    model.set_rows(cases)  # new rows arrive in the chosen order
    victims = [model.index(r, CaseTableModel.VICTIMS).data(SORT_ROLE) for r in range(12)]
    assert victims == sorted(victims, reverse=True)
    qtmodeltester.check(model)
    kept = QPersistentModelIndex(model.index(3, 0))
    code = kept.data()
    model.sort(CaseTableModel.CODE, Qt.SortOrder.AscendingOrder)
    codes = [model.index(r, 0).data() for r in range(12)]
    assert codes == sorted(c.code for c in cases)
    assert kept.isValid() and kept.data() == code  # a selection follows its case
    qtmodeltester.check(model)


def test_columns_show_labels_in_the_language(tmp_path: Path) -> None:
    texts = Texts("id")
    model = CaseTableModel(texts)
    case = CaseRow("id-1", "PML-080012-2025-AB-0001", "2025-03-07", "dirujuk", 2, True)
    model.set_rows([case, CaseRow("id-2", "PML-080012-2025-AB-0002", "", "dicatat", 1, False)])
    cells = [model.index(0, c).data() for c in range(model.columnCount())]
    assert cells == [
        "PML-080012-2025-AB-0001",
        "07/03/2025",
        texts.label("case_status", "dirujuk"),
        "2",
        "Perlu ditinjau",
    ]
    assert model.index(1, CaseTableModel.REPORTED).data() == "-"
    assert model.index(1, CaseTableModel.REVIEW).data() == ""
    assert model.index(0, CaseTableModel.VICTIMS).data(SORT_ROLE) == 2
    assert model.index(0, CaseTableModel.REVIEW).data(Qt.ItemDataRole.ToolTipRole)

    texts.set_language("en")
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Case code"
    assert model.index(0, CaseTableModel.REVIEW).data() == "Needs review"
    assert model.index(0, CaseTableModel.STATUS).data() == texts.label("case_status", "dirujuk")
    assert texts.missing == set()
