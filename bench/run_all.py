"""Run every benchmark in bench/ one after another and print their figures.

Run: ``.venv/bin/python bench/run_all.py``
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    status = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.name}", flush=True)
        status |= subprocess.run([sys.executable, str(script)], check=False).returncode
        print(flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
