"""The Qt binding in use does not corrupt Python's reference counts (PySide6 6.12.0 on Python
3.11 did: the app aborted with "bool_dealloc" after a few thousand signal emits)."""

from __future__ import annotations

import subprocess
import sys

_PROBE = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Probe(QObject):
    fired = Signal(bool)

app = QCoreApplication([])
probe = Probe()
none, true = sys.getrefcount(None), sys.getrefcount(True)
for _ in range(20_000):
    probe.fired.emit(True)
    probe.setObjectName("x")
print(sys.getrefcount(None) - none, sys.getrefcount(True) - true)
"""


def test_many_signal_emits_leave_reference_counts_alone() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-500:]
    drift_none, drift_true = map(int, result.stdout.split())
    assert abs(drift_none) < 100 and abs(drift_true) < 100
