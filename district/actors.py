"""Who did something, as the audit log names it (``staff:<name>``, ``cli:<user>``, …).

Every action of the district service that the audit log records takes the actor from its
caller: the HTTP API passes the signed-in staff member, the ``simpul-district`` command the
operating-system account that ran it. :data:`SYSTEM_ACTOR` is what a script, a benchmark or
a test that calls the service directly is recorded as.
"""

from __future__ import annotations

import getpass
import os
from typing import Final

from district.views import StaffView

__all__ = ["MAX_ACTOR_CHARS", "SYSTEM_ACTOR", "cli_actor", "device_actor", "staff_actor"]

SYSTEM_ACTOR: Final = "system"
"""The actor of a service call made by code without a person behind it (scripts, tests)."""

MAX_ACTOR_CHARS: Final = 160
"""Width of ``audit.actor`` (a staff name is at most 128 characters)."""


def staff_actor(staff: StaffView) -> str:
    """The audit actor of a signed-in staff member: ``staff:<name>``."""
    return f"staff:{staff.name}"


def device_actor(device_id: str) -> str:
    """The audit actor of an enrolled laptop: ``device:<id>``."""
    return f"device:{device_id}"


def cli_actor() -> str:
    """The audit actor of the ``simpul-district`` command: ``cli:<operating-system user>``.

    The login name comes from the environment (``LOGNAME``, ``USER``…) or the password
    database; when neither knows it (a container without an entry for its uid) the numeric
    uid stands in, so an action is never recorded without anyone behind it.
    """
    try:
        name = getpass.getuser()
    except (OSError, KeyError):  # no name for this uid (getpass raises OSError from 3.13)
        name = f"uid-{os.getuid()}" if hasattr(os, "getuid") else "unknown"
    name = "".join(c for c in name if c.isprintable()).strip() or "unknown"
    return f"cli:{name}"[:MAX_ACTOR_CHARS]
