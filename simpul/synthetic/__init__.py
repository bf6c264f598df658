"""Seeded synthetic data: Indonesian names, Pemalang villages, plausible cases and outreach."""
