"""Settings for the test suite (pytest's DJANGO_SETTINGS_MODULE): the development defaults, so
a bare `pytest` works with no environment, on the embedded PostgreSQL or on DATABASE_URL.

Everything else still comes from asmhub/settings.py, read from the environment there.
"""

import os

# Development mode unless the caller chose otherwise (the test runner itself turns DEBUG off
# while tests run); read by asmhub.settings below.
os.environ.setdefault("DJANGO_DEBUG", "1")

from asmhub.settings import *  # noqa: E402, F403

# Accounts are made by the hundred in tests; a slow hasher there measures nothing useful.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303

# Each test run collects static files into a folder of its own (the parallel workers of one
# run share it; tests/conftest.py collects once and removes it), so two runs never rewrite
# each other's files while pages are being served from them.
TEST_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"run-{os.getpid()}"
STATIC_ROOT = BASE_DIR / ".test-static" / TEST_RUN  # noqa: F405
