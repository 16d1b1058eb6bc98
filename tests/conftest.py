"""Shared fixtures: the real national reference is loaded once per test database."""

import io
import os

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("import_territories", verbosity=0)


def pytest_collection_modifyitems(items):
    """Browser tests last: they are the slowest and need a started browser."""
    items.sort(key=lambda item: "tests/browser/" in str(item.path))


@pytest.fixture
def test_database_env(db):
    """The environment for running `arobase` in a subprocess on the test database."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{settings['NAME']}"
    else:
        url = f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "arobase.settings"}


@pytest.fixture
def demo(db):
    """The demo data: the seed towns' real facts and the generated palmarès."""
    call_command("demo", verbosity=0, stdout=io.StringIO())


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty page cache: a rolled-back test's data version
    could otherwise match a page cached by the previous test."""
    from django.core.cache import cache

    cache.clear()
