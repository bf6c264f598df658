"""Serving the HTTP API with uvicorn: in this process, or in several worker processes.

With one worker (the default) the app runs over the district the command already opened. With
``--workers N`` uvicorn's supervisor starts N processes with multiprocessing's *spawn* method;
each needs the district keys, so each unlocks ``keys.json`` itself. The passphrase travels to a
worker inside the pickled :class:`AppFactory`, through the pipe multiprocessing opens to the
child — never in an environment variable or on a command line, where other local users (``ps``)
or crash reporters could read it. The supervisor keeps it in memory to start replacements of
workers that die.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Any, Final

import sqlalchemy as sa

from district.config import DistrictConfig
from simpul.errors import UserError

if TYPE_CHECKING:
    from fastapi import FastAPI

    from district.service import District

__all__ = ["LOG_CONFIG", "MAX_WORKERS", "AppFactory", "serve"]

MAX_WORKERS: Final = 64

LOG_CONFIG: Final[dict[str, Any]] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "stream": "ext://sys.stderr",
        },
    },
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"level": "INFO"},
        # The access log of district.app names route templates only; uvicorn's would carry
        # query strings and client addresses, so it stays off.
        "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        "district": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}

_log = logging.getLogger("district.serve")


class AppFactory:
    """Builds the app inside a worker process: opens the district, then ``create_app``.

    Picklable (it is sent to each spawned worker); its ``repr`` never shows the passphrase.
    """

    def __init__(self, config: DistrictConfig, passphrase: str) -> None:
        """Remember what a worker needs.

        Args:
            config: Data directory and database URL.
            passphrase: The server passphrase (already checked by the supervisor).
        """
        self._config = config
        self._passphrase = passphrase

    def __repr__(self) -> str:
        return f"AppFactory({str(self._config.data_dir)!r})"

    def __call__(self) -> FastAPI:
        """Open the district and build the app; a failure ends the worker as a start failure.

        uvicorn's supervisor stops, instead of restarting the worker again and again, when a
        worker exits with its start-failure status.
        """
        from uvicorn.config import STARTUP_FAILURE

        from district.app import create_app
        from district.service import District

        try:
            district = District.open(self._config, self._passphrase, helper=True)
        except (UserError, sa.exc.SQLAlchemyError) as exc:
            _log.error("a worker cannot open the district (%s)", getattr(exc, "code", "database"))
            sys.exit(STARTUP_FAILURE)
        return create_app(district)


def serve(
    district: District,
    *,
    passphrase: str,
    host: str,
    port: int,
    workers: int = 1,
) -> bool:
    """Serve the API until interrupted (Ctrl-C, SIGTERM).

    Args:
        district: The open district (served directly with one worker; closed before the
            workers start otherwise, since the supervisor serves nothing itself).
        passphrase: The server passphrase (handed to workers; unused with one worker).
        host: Address to listen on.
        port: Port to listen on.
        workers: Number of worker processes.

    Returns:
        ``False`` when the workers could not start (the log says why), else ``True``.
    """
    import uvicorn

    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "access_log": False,
        "log_config": LOG_CONFIG,
        "server_header": False,
        "timeout_graceful_shutdown": 10,
    }
    if workers <= 1:
        from district.app import create_app

        uvicorn.run(create_app(district), **options)
        return True

    from uvicorn.config import STARTUP_FAILURE
    from uvicorn.supervisors import Multiprocess

    config = district.config
    district.close()
    server_config = uvicorn.Config(
        AppFactory(config, passphrase), factory=True, workers=workers, **options
    )
    sock = server_config.bind_socket()
    supervisor = Multiprocess(server_config, sockets=[sock])
    try:
        supervisor.run()
    finally:
        sock.close()
    return not any(p.exitcode == STARTUP_FAILURE for p in supervisor.processes)
