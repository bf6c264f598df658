"""The district server: HTTP API, storage and the admin CLI (built by the bundles/server issue)."""
