"""Simpul shared core: records, changes and their merge rule, sealed bundles (no Qt, no HTTP)."""
