"""Shared fixtures: the real national reference is loaded once per test database."""

import io
from datetime import timedelta
import os

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("import_territories", verbosity=0)
    shared_demo.blocker = django_db_blocker
    yield
    shared_demo.close()
    shared_demo.blocker = None


def pytest_collection_modifyitems(items):
    """Browser tests last: they are the slowest and need a started browser. Before them,
    the tests that share the demo data come together, so it is loaded once per run of them.
    Tests marked `sqlite_pass_only` measure what doesn't depend on the database (the
    memory of a parser): the PostgreSQL pass skips them, to keep CI within its budget."""
    items.sort(key=lambda item: ("tests/browser/" in str(item.path), shared_demo.wanted_by(item)))
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        for item in items:
            if item.get_closest_marker("sqlite_pass_only"):
                item.add_marker(pytest.mark.skip(reason="ne dépend pas de la base : passe SQLite seulement"))


class SharedDemo:
    """The demo data, loaded once in a transaction that stays open while consecutive
    tests use it; each test runs in a savepoint inside it (pytest-django's `db`), so what
    a test writes is rolled back and the next one finds the demo intact. Loading it per
    test cost 2–4 s, about 80 times per database. Transactional tests (browser, live
    server, subprocesses) can't run inside it: they load their own."""

    def __init__(self):
        self.blocker = None
        self.atomic = None

    @staticmethod
    def wanted_by(item):
        if "demo" not in getattr(item, "fixturenames", ()):
            return False
        marker = item.get_closest_marker("django_db")
        transactional = marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
        return not transactional and not {"transactional_db", "live_server", "django_db_reset_sequences",
                                          "django_db_serialized_rollback"} & set(item.fixturenames)

    def prepare(self, item):
        """Before a test's fixtures: open the shared demo if it wants it, close it otherwise.
        Until the test database exists (first test of a process), `demo` loads its own."""
        if self.blocker is None:
            return
        if self.wanted_by(item):
            self.open()
        else:
            self.close()

    def open(self):
        if self.atomic is not None:
            return
        from django.db import transaction

        with self.blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            call_command("demo", verbosity=0, stdout=io.StringIO())

    def close(self):
        if self.atomic is None:
            return
        from django.db import transaction

        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None


shared_demo = SharedDemo()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    shared_demo.prepare(item)


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
    """The demo data: the seed towns' real facts and the generated palmarès (shared by
    consecutive tests: see SharedDemo)."""
    if shared_demo.atomic is None:
        call_command("demo", verbosity=0, stdout=io.StringIO())


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty page cache: a rolled-back test's data version
    could otherwise match a page cached by the previous test."""
    from django.core.cache import cache

    from arobase.evaluation import reviewing

    cache.clear()
    reviewing._recent_aggregates.clear()  # the same process-local copy of the review aggregates


def make_user(email, password="mot-de-passe-tres-long", **fields):
    from django.contrib.auth.models import User

    return User.objects.create_user(username=email, email=email, password=password, **fields)


@pytest.fixture
def world(db):
    """An edition taking candidatures (closing in 30 days), the initial referential,
    and one user per role: two correspondents of two towns, staff, evaluator, jury,
    Conseil d'Orientation, a local actor and a stranger with no role."""
    from types import SimpleNamespace

    from django.utils import timezone

    from arobase.accounts import roles
    from arobase.accounts.models import Role
    from arobase.labels.models import Edition
    from arobase.referential import loading
    from arobase.territories.models import Territory

    today = timezone.localdate()
    edition = Edition.objects.create(
        year=2027, phase="candidatures", opening_date=today - timedelta(days=100), closing_date=today + timedelta(days=30),
    )
    loading.load(2027)
    madeleine = Territory.objects.get(code="59368", kind="commune")
    lunel = Territory.objects.get(code="34145", kind="commune")
    w = SimpleNamespace(edition=edition, madeleine=madeleine, lunel=lunel)
    w.correspondent = make_user("corr@example.fr", first_name="Camille")
    w.other = make_user("autre@example.fr")
    w.staff = make_user("equipe@example.fr")
    w.evaluator = make_user("eval@example.fr")
    w.jury = make_user("jury@example.fr")
    w.conseil = make_user("conseil@example.fr")
    w.actor = make_user("acteur@example.fr")
    w.stranger = make_user("inconnu@example.fr")
    roles.attach_directly(w.correspondent, madeleine, None)
    roles.attach_directly(w.other, lunel, None)
    roles.grant(w.staff, Role.STAFF)
    roles.grant(w.evaluator, Role.EVALUATOR)
    roles.grant(w.jury, Role.JURY)
    roles.grant(w.conseil, Role.CONSEIL)
    roles.grant(w.actor, Role.LOCAL_ACTOR, territory=madeleine)
    w.services = list(loading.services_of(2027)[:3])
    return w


@pytest.fixture
def login(client):
    """login(user) → the test client, logged in as that user."""

    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def warm_fee_terms(db):
    """The current year's fee terms are cached per process (arobase/labels/fees.py): warm
    them so that query counts measure the page, not the first request after a change."""
    from django.utils import timezone

    from arobase.labels import fees

    fees.terms(timezone.localdate().year)
