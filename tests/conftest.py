"""Shared fixtures: the real national reference is loaded once per test database."""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("import_territories", verbosity=0)


def pytest_collection_modifyitems(items):
    """Browser tests last: they are the slowest and need a started browser."""
    items.sort(key=lambda item: "tests/browser/" in str(item.path))
