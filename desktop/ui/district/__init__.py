"""District mode of the desktop app: district staff sign in to the district server and import
bundles, follow cases up, manage devices and make reports (docs/architecture.md)."""
