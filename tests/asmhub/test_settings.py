"""Production settings: refuse to start without a secret, pass `check --deploy` cleanly."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(env_overrides)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _database_url():
    db = settings.DATABASES["default"]
    host = db["HOST"] or "localhost"
    if host.startswith("/"):
        return f"postgres://{db['USER']}@/{db['NAME']}?host={host}&port={db['PORT']}"
    return f"postgres://{db['USER']}@{host}:{db['PORT']}/{db['NAME']}"


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_ALLOWED_HOSTS": "asmhub.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://asmhub.example.org",
    "DJANGO_SITE_URL": "https://asmhub.example.org",
}
SECRET = "k7#Qv9!zR2@xL5$wN8^pT3&mB6*cY1(hJ4)fD0_gS-uE+aZ=oI" * 2


def test_production_refuses_to_start_without_secret_key():
    result = _manage("check", env_overrides={**PRODUCTION, "DATABASE_URL": _database_url()})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_check_deploy_is_clean():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            **PRODUCTION,
            "DATABASE_URL": _database_url(),
            "DJANGO_SECRET_KEY": SECRET,
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_site_url():
    """Links in emails and calendars are built by the worker: no host to fall back on."""
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SITE_URL"}
    result = _manage(
        "check", env_overrides={**env, "DATABASE_URL": _database_url(), "DJANGO_SECRET_KEY": SECRET}
    )
    assert result.returncode != 0
    assert "DJANGO_SITE_URL is not set" in result.stderr


def test_trusted_proxies_come_from_the_environment():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.ALLAUTH_TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)",
        env_overrides={
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": _database_url(),
            "ASMHUB_TRUSTED_PROXY_COUNT": "2",
            "ASMHUB_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["2", "X-Real-IP"]


def test_site_url_must_be_an_absolute_address():
    result = _manage(
        "check",
        env_overrides={
            **PRODUCTION,
            "DATABASE_URL": _database_url(),
            "DJANGO_SECRET_KEY": SECRET,
            "DJANGO_SITE_URL": "asmhub.example.org",
        },
    )
    assert result.returncode != 0
    assert "DJANGO_SITE_URL must be an absolute address" in result.stderr
