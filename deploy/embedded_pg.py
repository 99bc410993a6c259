"""Keep the embedded PostgreSQL running for the local stack and publish its DATABASE_URL.

`deploy/stack.sh` uses it when no DATABASE_URL is given: every app server, the worker and
the load test then connect to one server by URL (so CONN_HEALTH_CHECKS and the fault
scenarios apply as with any external server). SIGTERM stops the server cleanly.
"""

import os
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(url_file: str) -> None:
    from asmhub.embedded_db import database_settings

    db = database_settings()
    host = db["HOST"]
    if host.startswith("/"):
        url = f"postgres://{db['USER']}@/{db['NAME']}?host={host}&port={db['PORT']}"
    else:
        url = f"postgres://{db['USER']}@{host}:{db['PORT']}/{db['NAME']}"
    Path(url_file).write_text(url + "\n")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    print(f"embedded PostgreSQL at {url} (pid {os.getpid()})", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main(sys.argv[1])
