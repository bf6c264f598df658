"""Seeded synthetic data: Indonesian names, Pemalang villages, plausible cases and outreach."""

from simpul.synthetic.generator import (
    DEFAULT_TODAY,
    generate_cases,
    generate_outreach,
    make_template,
)

__all__ = [
    "DEFAULT_TODAY",
    "generate_cases",
    "generate_outreach",
    "make_template",
]
