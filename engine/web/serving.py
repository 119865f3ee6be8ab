"""The workspace's HTTP server: gunicorn, several processes of several threads each.

Why processes: pages are Python (templates, the engine's pipeline) and a plan's PDF takes a
core for about a second; in one process every request shares one interpreter lock, so a
20 ms page waits behind the PDFs of other case managers (measured: 50 users made light pages
100 times slower). Processes let the pages use every core. Why gunicorn: it forks, watches
and restarts its workers, and stops them cleanly on Ctrl+C or SIGTERM; the database
connections opened by the migrations are closed before the fork, so no two processes share
one.
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter

from engine.web.wsgi import application


class _Workspace(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return application


def _ready(server: Arbiter) -> None:
    """Say where the workspace is, once it listens (the port may have been chosen free)."""
    host, port = server.LISTENERS[0].sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"The workspace is at http://{shown}:{port}/ (Ctrl+C stops it)", flush=True)


def serve_forever(host: str, port: int, workers: int, threads: int) -> None:
    connections.close_all()
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    _Workspace({"bind": bind, "workers": workers, "threads": threads,
                "worker_class": "gthread", "when_ready": _ready, "accesslog": None,
                "errorlog": "-", "loglevel": "warning", "timeout": 120,
                "graceful_timeout": 10, "keepalive": 75, "proc_name": "reintegrate"}).run()
