"""The hostile-input sweep: every URL pattern of the project, every role, hostile values: no 5xx.

URL patterns come from the resolver itself (admin and allauth included), so a new page is
swept the day it is added; a pattern whose parameters this file cannot fill fails the
coverage test, naming it. Parameters are filled with real slugs and ids from one world (a
published resource with a file, a group with a meeting, action item, document, invitation and
join request, a dialogue in a series, Outlook editions). Each role then sends, to each URL:
- GET: once per payload, every query parameter the page's forms use (and common ones:
  q, page, sort, facets, token, next…) set to that payload;
- POST: once per payload, every field of the page's forms (and the same common names);
- the path itself: each parameter replaced by each payload its converter accepts.
Payloads: NUL, control characters, 100 kB, 5,000 digits, an out-of-range integer, a negative
and a non-numeric number, repeated parameters, and invalid UTF-8 percent-encodings.

Payloads are spread round-robin over a page's parameters (each payload once per URL and role,
a different parameter meeting it for each role), plus NUL in every parameter at once, control
characters in every POSTed field, and, for the curator, NUL in each of the page's own link
parameters one at a time (the admin's change lists refuse a whole query at its first unknown
parameter, which hid their filters' 500s).

Every request runs in a savepoint that is rolled back, so an accepted POST (leaving a group,
deleting a document) does not change what the next request sees. The admin answers only
curators (others are redirected before any input is read), so other roles get one GET and one
POST per admin URL; for curators the admin's generic history/delete pages get the path
payloads only. About 5,200 requests; each role's count and time is printed with -s.
"""

import logging
import re
import time
from urllib.parse import quote, unquote

import pytest
from django.apps import apps
from django.contrib.admin.sites import site as admin_site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from asmhub.taxonomy.models import Commodity, Country, Region, StakeholderType, Theme
from learning_groups import services as group_services
from tests.dialogues.factories import DialogueFactory, DialogueSeriesFactory
from tests.factories import (
    CuratorFactory,
    LearningGroupFactory,
    MembershipFactory,
    ResourceFactory,
    UserFactory,
)
from tests.learning_groups.factories import ActionItemFactory, InvitationFactory, MeetingFactory
from tests.outlooks.factories import (
    EditionFactory,
    IndicatorDefinitionFactory,
    MethodologyFactory,
    SectionDefinitionFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "partner", "member", "coordinator", "curator"]

# Value payloads (one request each); the invalid UTF-8 one is sent raw, percent-encoded.
PAYLOADS = {
    "nul": "gold\x00mine",
    "control": "\x0b\x1b[31m\x7f\x85",
    "100kB": "a" * 100_000,
    "5000 digits": "9" * 5_000,
    "out of range": "99999999999999999999",
    "negative": "-1",
    "non-numeric": "²",
}
REPEATED = ["1", "\x00", "-5"]
PATH_PAYLOADS_PER_ROLE = 2
BAD_UTF8 = "%ff%fe%c3%28"

# Query parameters pages read without a form on the page (links, feeds, admin, exports).
COMMON_NAMES = [
    "q",
    "page",
    "sort",
    "next",
    "token",
    "revision",
    "action",
    "decision",
    "form",
    "o",
    "p",
    "e",
    "_changelist_filters",
    "_to_field",
    "_popup",
    "term",
    "app_label",
    "model_name",
    "field_name",
]

_FIELD_NAME = re.compile(r'<(?:input|select|textarea|button)\b[^>]*\bname="([^"]+)"')
# Query parameters of the page's own links (admin filters, facets, pagination).
_LINK_QUERY = re.compile(r'href="[^"#]*\?([^"#]*)"')


# ---------------------------------------------------------------- the world


class World:
    pass


def build_world() -> World:
    w = World()
    tz = Country.objects.get(code="TZ")
    w.partner = UserFactory(email="partner@example.org")
    w.member = UserFactory(email="member@example.org")
    w.coordinator = UserFactory(email="coordinator@example.org")
    w.curator = CuratorFactory(email="curator@example.org")
    w.resource = ResourceFactory(slug="geita-gold", countries=["TZ"], submitted_by=w.partner)
    w.resource.tags.add("mercury")
    w.resource_file = w.resource.files.create(
        file=SimpleUploadedFile("r.txt", b"Licensing costs in Geita.\n"),
        original_name="r.txt",
        content_type="text/plain",
        size=26,
    )
    w.pending = ResourceFactory(
        slug="pending-one", status="pending", submitted_by=w.partner, published_at=None
    )
    w.group = LearningGroupFactory(slug="tanzania", country=tz)
    w.coordinator_ms = MembershipFactory(group=w.group, user=w.coordinator, role="coordinator")
    w.member_ms = MembershipFactory(group=w.group, user=w.member)
    w.meeting = MeetingFactory(group=w.group)
    w.item = ActionItemFactory(group=w.group, meeting=w.meeting, owner=w.member)
    w.invitation = InvitationFactory(group=w.group, invited_by=w.coordinator)
    w.join_request = group_services.join_request_create(group=w.group, user=w.partner)
    w.document = group_services.document_upload(
        group=w.group,
        actor=w.coordinator,
        title="Draft brief",
        upload=SimpleUploadedFile("brief.txt", b"Licensing costs in Geita.\n"),
    )
    w.series = DialogueSeriesFactory(slug="asm-lsm")
    w.dialogue = DialogueFactory(slug="sharing-concessions", series=w.series)
    methodology = MethodologyFactory()
    w.section = SectionDefinitionFactory(methodology=methodology, slug="sector-overview")
    w.indicator = IndicatorDefinitionFactory(methodology=methodology, code="asm-miners")
    w.draft = EditionFactory(methodology=methodology, country=tz, year=2026)
    w.published = EditionFactory(
        methodology=methodology, country=Country.objects.get(code="PE"), year=2025
    )
    w.published.__class__.objects.filter(pk=w.published.pk).update(status="published")
    return w


def fillers(w: World) -> dict:
    """URL name → values of its parameters (by parameter name)."""
    group = {"slug": w.group.slug}
    edition = {"country_code": w.draft.country_id, "year": w.draft.year}
    return {
        "country_detail": {"code": "TZ"},
        "resources:detail": {"slug": w.resource.slug},
        "resources:edit": {"slug": w.pending.slug},
        "resources:download": {"slug": w.resource.slug},
        "resources:download_file": {"slug": w.resource.slug, "file_id": w.resource_file.pk},
        "resources:cite_bibtex": {"slug": w.resource.slug},
        "resources:cite_ris": {"slug": w.resource.slug},
        "resources:cite_csl_json": {"slug": w.resource.slug},
        "api:resource-detail": {"slug": w.resource.slug},
        "api:dialogue-detail": {"slug": w.dialogue.slug},
        "api:country-detail": {"code": "TZ"},
        "api:theme-detail": {"slug": Theme.objects.first().slug},
        "api:commodity-detail": {"slug": Commodity.objects.first().slug},
        "api:stakeholder-type-detail": {"slug": StakeholderType.objects.first().slug},
        "api:language-detail": {"code": "en"},
        "api:region-detail": {"slug": Region.objects.first().slug},
        "learning_groups:invitation": {"key": w.invitation.key},
        "learning_groups:detail": group,
        "learning_groups:join": group,
        "learning_groups:members": group,
        "learning_groups:member_role": {**group, "membership_id": w.member_ms.pk},
        "learning_groups:member_remove": {**group, "membership_id": w.member_ms.pk},
        "learning_groups:join_request_decide": {**group, "request_id": w.join_request.pk},
        "learning_groups:invitations": group,
        "learning_groups:invitation_revoke": {**group, "invitation_id": w.invitation.pk},
        "learning_groups:settings": group,
        "learning_groups:meeting_new": group,
        "learning_groups:meeting": {**group, "meeting_id": w.meeting.pk},
        "learning_groups:meeting_edit": {**group, "meeting_id": w.meeting.pk},
        "learning_groups:meeting_respond": {**group, "meeting_id": w.meeting.pk},
        "learning_groups:meeting_cancel": {**group, "meeting_id": w.meeting.pk},
        "learning_groups:meeting_attendance": {**group, "meeting_id": w.meeting.pk},
        "learning_groups:action_new": {**group, "meeting_id": w.meeting.pk},
        "learning_groups:meeting_ics": {**group, "meeting_id": w.meeting.pk},
        "learning_groups:action_status": {**group, "item_id": w.item.pk},
        "learning_groups:calendar": group,
        "learning_groups:calendar_feed": {**group, "token": w.member_ms.calendar_token},
        "learning_groups:documents": group,
        "learning_groups:document_download": {**group, "document_id": w.document.pk},
        "learning_groups:document_delete": {**group, "document_id": w.document.pk},
        "learning_groups:document_publish": {**group, "document_id": w.document.pk},
        "dialogues:series": {"slug": w.series.slug},
        "dialogues:detail": {"slug": w.dialogue.slug},
        "outlooks:detail": edition,
        "outlooks:edit": edition,
        "outlooks:edit_section": {**edition, "slug": w.section.slug},
        "outlooks:edit_indicator": {**edition, "code": w.indicator.code},
        "outlooks:submit": edition,
        "outlooks:review": edition,
        "outlooks:export_csv": edition,
        "outlooks:export_json": edition,
        "outlooks:export_pdf": edition,
        "account_confirm_email": {"key": "Mg:1tWbFq:abc"},
        "account_reset_password_from_key": {"uidb36": "1", "key": "set-password"},
        "admin:app_list": {"app_label": "resources"},
        "admin:view_on_site": {"content_type_id": "1", "object_id": "1"},
    }


# ---------------------------------------------------------------- the URL patterns


def url_patterns():
    """(name, [(pattern, ...)] chain) for every URL pattern, admin and allauth included."""

    def walk(patterns, chain, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                yield from walk(entry.url_patterns, [*chain, entry], ns)
            elif isinstance(entry, URLPattern):
                name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
                yield name, [*chain, entry]

    return list(walk(get_resolver().url_patterns, [], ""))


def parameters(chain) -> dict:
    """Parameter name → regex its converter (or regex group) accepts, along the chain."""
    found = {}
    for entry in chain:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            for name, converter in pattern.converters.items():
                found[name] = converter.regex
        elif isinstance(pattern, RegexPattern):
            found.update(dict(_named_groups(pattern._regex)))
    return found


def _named_groups(regex: str):
    """(name, body) of each (?P<name>body) group; bodies here hold no nested groups."""
    return re.findall(r"\(\?P<(\w+)>((?:\[[^\]]*\]|[^()])*)\)", regex)


def build_path(chain, values: dict) -> str:
    """The URL path of a chain of patterns with these (already URL-safe) parameter values."""
    path = "/"
    for entry in chain:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            path += re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), pattern._route)
        else:
            regex = pattern._regex.lstrip("^").rstrip("$")
            path += re.sub(
                r"\(\?P<(\w+)>(?:\[[^\]]*\]|[^()])*\)", lambda m: str(values[m.group(1)]), regex
            )
    return path


def admin_values(chain, name, params) -> dict | None:
    """Fill a ModelAdmin URL's object_id with a real row of its model (or "1")."""
    model = admin_model(chain)
    values = {}
    for param in params:
        if param in ("object_id", "id") and model is not None:
            row = model._default_manager.order_by("pk").first()
            values[param] = quote(str(row.pk if row else 1), safe="")
        elif param == "url":  # the admin's catch-all: an unknown admin path
            values[param] = "no-such-page/"
        else:
            return None
    return values


def admin_model(chain):
    """The model of a ModelAdmin URL: its include() is mounted at "<app_label>/<model>/"."""
    if len(chain) < 3:
        return None
    found = re.fullmatch(r"(\w+)/(\w+)/", str(chain[-2].pattern))
    if not found:
        return None
    try:
        return apps.get_model(*found.groups())
    except LookupError:
        return None


def fill(name, chain, table) -> dict | None:
    """Real values for the pattern's parameters, or None when this file cannot fill them."""
    params = parameters(chain)
    if not params:
        return {}
    if name in table:
        values = {k: quote(str(v), safe="") for k, v in table[name].items()}
        return values if set(values) >= set(params) else None
    if name is None or name.startswith("admin:"):
        return admin_values(chain, name, params)
    return None


def is_admin(chain) -> bool:
    return str(chain[0].pattern) == "admin/"


# Admin pages whose forms and filters differ per model (the rest are Django's generic history,
# delete and redirect pages, whose only input is the object id: swept through the path).
ADMIN_INPUT_PAGES = ("_changelist", "_add", "_change", "merge_tags")


def admin_reads_input(name, chain) -> bool:
    if admin_model(chain) is None:
        return True  # the index, app lists, autocomplete, password change…
    return bool(name) and name.endswith(ADMIN_INPUT_PAGES)


# ---------------------------------------------------------------- requests


def _html(response) -> str:
    if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
        return response.content.decode(errors="replace")
    return ""


def link_names(response) -> list[str]:
    """Query parameters of the page's own links (filters, facets, sorting, pagination)."""
    names = set()
    for query in _LINK_QUERY.findall(_html(response)):
        names |= {part.split("=")[0] for part in query.replace("&amp;", "&").split("&")}
    return sorted(names - {""})


def field_names(response) -> list[str]:
    names = {*_FIELD_NAME.findall(_html(response)), *link_names(response), *COMMON_NAMES}
    return sorted(names - {"csrfmiddlewaretoken"})


class Sweep:
    def __init__(self, client: Client):
        self.client = client
        self.failures: list[str] = []
        self.count = 0

    def request(self, method: str, path: str, *, what: str, **kwargs):
        """One request in a rolled-back savepoint, the client's cookies kept as they were."""
        cookies = self.client.cookies
        self.client.cookies = type(cookies)(cookies)
        try:
            with transaction.atomic():
                response = getattr(self.client, method)(path, **kwargs)
                transaction.set_rollback(True)
        except Exception as error:  # noqa: BLE001 - reported as a failure, with the cause
            self.failures.append(f"{method.upper()} {path[:120]} [{what}]: raised {error!r}")
            response = None
        finally:
            self.client.cookies = cookies
        self.count += 1
        if response is not None and response.status_code >= 500:
            self.failures.append(f"{method.upper()} {path[:120]} [{what}]: {response.status_code}")
        if response is not None and response.streaming:
            b"".join(response.streaming_content)  # a download must also finish
        return response

    def url(self, path: str, *, full: bool, seed: int, one_by_one: bool = False):
        first = self.request("get", path, what="plain GET")
        names = field_names(first) if first is not None else COMMON_NAMES
        if one_by_one and first is not None:
            # A page may refuse the whole query at its first unknown parameter (the admin's
            # change lists do), hiding the others: its own links' parameters, one at a time.
            for name in link_names(first):
                self.request("get", path, what=f"GET nul in {name}", data={name: "a\x00"})
        if not full:
            self.request("post", path, what="plain POST", data=dict.fromkeys(names, "x"))
            return
        # NUL and control characters are what broke pages before: every name gets them once.
        self.request("get", path, what="GET nul everywhere", data=dict.fromkeys(names, "a\x00"))
        self.request(
            "post", path, what="POST control everywhere", data=dict.fromkeys(names, "a\x0b\x1b")
        )
        for query, labels in hostile_queries(names, seed):
            what = ", ".join(labels)
            self.request("get", f"{path}?{query}", what=f"GET {what}")
            self.request(
                "post",
                path,
                what=f"POST {what}",
                data=query,
                content_type="application/x-www-form-urlencoded",
            )

    def path_payloads(self, chain, params: dict, values: dict, *, seed: int):
        """Each parameter in turn replaced by payloads its converter lets through.

        Two per parameter and role, rotating, so the five roles send each one (the path is
        resolved before the role matters; the view's access check comes after).
        """
        candidates = {
            **{label: quote(v, safe="") for label, v in PAYLOADS.items()},
            "100kB slug": "a" * 100_000,
            "invalid UTF-8": BAD_UTF8,
        }
        for param, regex in params.items():
            accepted = []
            for label, encoded in candidates.items():
                # Django keeps invalid UTF-8 in a path percent-encoded ("%FF%FE…").
                seen = encoded.upper() if label == "invalid UTF-8" else unquote(encoded)
                if re.fullmatch(regex, seen, re.DOTALL):
                    accepted.append((label, encoded))
            for n in range(min(PATH_PAYLOADS_PER_ROLE, len(accepted))):
                label, encoded = accepted[(seed * PATH_PAYLOADS_PER_ROLE + n) % len(accepted)]
                path = build_path(chain, {**values, param: encoded})
                self.request("get", path, what=f"path {param}={label}")


def hostile_queries(names: list[str], seed: int) -> list[tuple[str, list[str]]]:
    """Encoded query strings giving each name one payload, round-robin: every payload once.

    Names meet a different payload for each seed (URL and role), so over the sweep each
    parameter meets many payloads without sending every combination. The invalid UTF-8
    payload is put in as raw percent-encoded bytes.
    """
    payloads = [
        *((label, quote(value, safe="")) for label, value in PAYLOADS.items()),
        ("repeated", None),
        ("invalid UTF-8", BAD_UTF8),
    ]
    rounds = max(1, -(-len(payloads) // len(names)))
    queries = []
    for r in range(rounds):
        parts, labels = [], set()
        for i, name in enumerate(names):
            label, encoded = payloads[(seed + r * len(names) + i) % len(payloads)]
            key = quote(name, safe="")
            if encoded is None:
                parts += [f"{key}={quote(v, safe='')}" for v in REPEATED]
            else:
                parts.append(f"{key}={encoded}")
            labels.add(label)
        queries.append(("&".join(parts), sorted(labels)))
    return queries


def login(client: Client, world: World, role: str) -> None:
    user = {
        "anonymous": None,
        "partner": world.partner,
        "member": world.member,
        "coordinator": world.coordinator,
        "curator": world.curator,
    }[role]
    if user is not None:
        client.force_login(user)


@pytest.fixture
def _quiet_logs():
    """404s, 405s and refused hosts come by the thousand here: only errors are logged."""
    loggers = {logging.getLogger("django.request"): logging.ERROR}
    loggers[logging.getLogger("django.security")] = logging.CRITICAL
    before = {logger: logger.level for logger in loggers}
    for logger, level in loggers.items():
        logger.setLevel(level)
    yield
    for logger, level in before.items():
        logger.setLevel(level)


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def test_every_url_pattern_can_be_filled(world):
    """Coverage stays complete: a new URL pattern must get its parameters filled here."""
    table = fillers(world)
    unfilled = [
        "/".join(str(e.pattern) for e in chain) + f" ({name})"
        for name, chain in url_patterns()
        if fill(name, chain, table) is None
    ]
    assert unfilled == [], "Give these URL patterns values in tests/test_hostile_inputs.py"
    # And every model the admin shows is swept through its ModelAdmin's URLs.
    swept_admins = {
        getattr(chain[-1].callback, "model_admin", None) for _name, chain in url_patterns()
    }
    assert set(admin_site._registry.values()) <= swept_admins


@pytest.mark.parametrize("role", ROLES)
def test_no_input_makes_a_server_error(world, role, _quiet_logs):
    """Never a 5xx, whatever the role, URL, method or value."""
    started = time.monotonic()
    client = Client(raise_request_exception=False)
    login(client, world, role)
    sweep = Sweep(client)
    table = fillers(world)
    seed_base = ROLES.index(role)
    for number, (name, chain) in enumerate(url_patterns()):
        values = fill(name, chain, table)
        assert values is not None, name  # see test_every_url_pattern_can_be_filled
        admin = is_admin(chain)
        full = not admin or (role == "curator" and admin_reads_input(name, chain))
        sweep.url(
            build_path(chain, values),
            full=full,
            seed=seed_base + number,
            one_by_one=role == "curator",  # who sees the most links (the admin's filters)
        )
        params = parameters(chain)
        if params and (not admin or role == "curator"):
            sweep.path_payloads(chain, params, values, seed=seed_base)
    elapsed = time.monotonic() - started
    print(f"\n{role}: {sweep.count} requests in {elapsed:.1f} s")
    assert sweep.failures == [], "\n".join(sweep.failures[:200])
