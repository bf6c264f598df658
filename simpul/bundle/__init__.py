"""The sealed sync bundle format and receipts (built by the bundles issue)."""
