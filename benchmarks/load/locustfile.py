"""The load test's realistic mix against the stack (issue 15 item 2); 127.0.0.1 only.

Anonymous visitors browse, search, read and download; partners sign in and submit a small PDF;
a coordinator schedules meetings; an Outlook author edits indicator values. Every submission
the site confirms is appended to $ASMHUB_LOAD_WRITES so `verify.py` can prove none was lost.
Run by `run.sh` (headless, 50 users, 5 minutes); `HomeOnly`/`HealthzOnly` measure the
home/healthz throughput ratio.
"""

import json
import os
import random
import re
import threading
import uuid
from urllib.parse import urlparse

from forms import post_form  # noqa: I001 - beside this file (locust adds it to the path)
from locust import FastHttpUser, HttpUser, between, constant, events, task

PLAN = json.loads(open(os.environ["ASMHUB_LOAD_PLAN"]).read())  # noqa: SIM115
WRITES = os.environ.get("ASMHUB_LOAD_WRITES", "load-writes.jsonl")
_writes_lock = threading.Lock()


@events.test_start.add_listener
def _only_localhost(environment, **kwargs):
    host = urlparse(environment.host or "").hostname
    if host not in {"127.0.0.1", "localhost"}:
        raise SystemExit(f"refusing to load {host}: only 127.0.0.1 is allowed")


def record_write(kind, **fields):
    with _writes_lock, open(WRITES, "a") as out:
        out.write(json.dumps({"kind": kind, **fields}) + "\n")


class SignedIn:
    email = ""

    def sign_in(self):
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        self.client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "login": self.email,
                "password": PLAN["password"],
            },
            headers={"Referer": self.host + "/accounts/login/"},
            name="/accounts/login/ [POST]",
        )


class Visitor(FastHttpUser):
    """Anonymous browsing on a slow link: pages, search, details, downloads."""

    weight = 40
    wait_time = between(1, 4)

    @task(6)
    def home(self):
        self.client.get("/", name="/")

    @task(6)
    def browse(self):
        country = random.choice(PLAN["countries"])
        self.client.get(f"/resources/?country={country}", name="/resources/?country=")

    @task(5)
    def search(self):
        q = random.choice(PLAN["searches"])
        self.client.get(f"/resources/?q={q}", name="/resources/?q=")

    @task(2)
    def site_search(self):
        self.client.get(f"/search/?q={random.choice(PLAN['searches'])}", name="/search/?q=")

    @task(8)
    def detail(self):
        slug = random.choice(PLAN["resources"])
        self.client.get(f"/resources/{slug}/", name="/resources/<slug>/")

    @task(2)
    def download(self):
        slug = random.choice(PLAN["downloads"])
        self.client.get(f"/resources/{slug}/download/", name="/resources/<slug>/download/")

    @task(2)
    def country(self):
        code = random.choice(PLAN["countries"])
        self.client.get(f"/countries/{code}/", name="/countries/<code>/")

    @task(1)
    def dialogues(self):
        self.client.get("/dialogues/", name="/dialogues/")

    @task(1)
    def outlooks_compare(self):
        self.client.get("/outlooks/compare/", name="/outlooks/compare/")

    @task(1)
    def healthz(self):
        self.client.get("/healthz", name="/healthz")


class Partner(SignedIn, HttpUser):
    """A partner signs in, reads, follows their submissions and submits a small PDF."""

    weight = 6
    wait_time = between(2, 6)

    def on_start(self):
        self.email = random.choice(PLAN["partners"])
        self.sign_in()

    @task(4)
    def read(self):
        slug = random.choice(PLAN["resources"])
        self.client.get(f"/resources/{slug}/", name="/resources/<slug>/")

    @task(2)
    def mine(self):
        self.client.get("/resources/mine/", name="/resources/mine/")

    @task(1)
    def submit(self):
        page = self.client.get("/resources/submit/", name="/resources/submit/")
        form = post_form(page.text)
        if form is None:
            return
        title = f"Load test note {uuid.uuid4().hex[:12]}"
        data = dict(form["fields"])
        data.update(
            {
                "title": title,
                "summary": "A short field note written during a load test.",
                "languages": "en",
                "countries": random.choice(PLAN["countries"]),
            }
        )
        file_field = next((k for k in data if k.endswith("-language")), "files-0-language")
        file_name = file_field.replace("-language", "-file")
        with open(PLAN["sample_pdf"], "rb") as pdf:
            files = {file_name: ("field-note.pdf", pdf.read(), "application/pdf")}
        with self.client.post(
            "/resources/submit/",
            data=data,
            files=files,
            headers={"Referer": self.host + "/resources/submit/"},
            name="/resources/submit/ [POST]",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                record_write("resource", title=title, user=self.email)
                response.success()
            else:
                response.failure(f"submission not accepted ({response.status_code})")


class Coordinator(SignedIn, HttpUser):
    """A coordinator works in the group workspace and schedules meetings."""

    weight = 2
    wait_time = between(3, 8)

    def on_start(self):
        self.email = PLAN["coordinator"]["email"]
        self.group_slug = PLAN["coordinator"]["group"]
        self.sign_in()

    @task(4)
    def workspace(self):
        self.client.get(f"/groups/{self.group_slug}/", name="/groups/<slug>/ (member)")

    @task(1)
    def schedule(self):
        url = f"/groups/{self.group_slug}/meetings/new/"
        page = self.client.get(url, name="/groups/<slug>/meetings/new/")
        form = post_form(page.text)
        if form is None:
            return
        title = f"Load test meeting {uuid.uuid4().hex[:10]}"
        day = random.randint(10, 300)
        data = dict(form["fields"])
        data.update(
            {
                "title": title,
                "starts_at": f"2027-{1 + day % 12:02d}-{1 + day % 27:02d}T10:00",
                "ends_at": f"2027-{1 + day % 12:02d}-{1 + day % 27:02d}T12:00",
                "place": "Cooperative hall",
                "agenda": "1. Findings\n2. Next steps",
            }
        )
        with self.client.post(
            url,
            data=data,
            headers={"Referer": self.host + url},
            name="/groups/<slug>/meetings/new/ [POST]",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                record_write("meeting", title=title, group=self.group_slug)
                response.success()
            else:
                response.failure(f"meeting not accepted ({response.status_code})")


class Author(SignedIn, HttpUser):
    """An Outlook author edits indicator values of their country's draft edition."""

    weight = 2
    wait_time = between(3, 8)

    def on_start(self):
        self.plan = PLAN["author"]
        self.email = self.plan["email"]
        self.sign_in()

    @task
    def edit_indicator(self):
        code = random.choice(self.plan["indicators"])
        url = (
            f"/outlooks/{self.plan['country'].lower()}/{self.plan['year']}/edit/indicators/{code}/"
        )
        page = self.client.get(url, name="/outlooks/<edition>/edit/indicators/<code>/")
        form = post_form(page.text)
        if form is None:
            return
        data = dict(form["fields"])
        value = random.randint(1, 900000)
        data["value"] = str(value)
        # Values need a source and a data year; an indicator not yet filled in has neither.
        if not data.get("source_resource") and not data.get("source_citation", "").strip():
            data["source_citation"] = "National ASM survey (load test)"
        data["data_year"] = data.get("data_year") or "2025"
        with self.client.post(
            url,
            data=data,
            headers={"Referer": self.host + url},
            name="/outlooks/<edition>/edit/indicators/<code>/ [POST]",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                record_write("indicator", code=code, value=value)
                response.success()
            else:
                response.failure(f"indicator not accepted ({response.status_code})")


class HomeOnly(FastHttpUser):
    """Throughput of the home page alone (compared with HealthzOnly in the same run)."""

    weight = 1  # only when named on the command line (run.sh names the classes)
    wait_time = constant(0)

    @task
    def home(self):
        self.client.get("/", name="/ (throughput)")


class HealthzOnly(FastHttpUser):
    weight = 1  # only when named on the command line (run.sh names the classes)
    wait_time = constant(0)

    @task
    def healthz(self):
        self.client.get("/healthz", name="/healthz (throughput)")
