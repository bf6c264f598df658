"""Qt windows, dialogs and item models: the only package that imports Qt.

PySide6 is kept below 6.12 (pyproject.toml): 6.12.0 on Python 3.11 drops references to None and
True on every Qt call and aborts the app after a few thousand calls.
"""
