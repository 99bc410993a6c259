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
}


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
            "DJANGO_SECRET_KEY": "k7#Qv9!zR2@xL5$wN8^pT3&mB6*cY1(hJ4)fD0_gS-uE+aZ=oI" * 2,
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
