"""Outbox, HTTP courier and bundle export/import (built by the desktop-sync issue)."""
