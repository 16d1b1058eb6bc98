"""Browser tests: Playwright drives Debian's Chromium against a live server.

The server runs in a thread on the test database, which already holds the national
reference (tests/conftest.py). Unlike pytest-django's live_server, this one does not
flush the database after each test: browser tests only read.
"""

import io
import os
import shutil

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.test.testcases import LiveServerThread

def pytest_collection_modifyitems(items):
    """Browser tests read the test database through the live server: ask pytest-django
    for it, or running `pytest tests/browser` alone would create no database at all."""
    on_postgresql = os.environ.get("DATABASE_URL", "").startswith("postgres")
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.django_db)
            if on_postgresql:
                # The interface is the same on both databases; the PostgreSQL run covers
                # every HTTP path, and skipping the browser keeps CI under 20 minutes.
                item.add_marker(pytest.mark.skip(reason="tests navigateur : lancés sur SQLite seulement"))


# Playwright's sync API runs an event loop in the test's thread; the database set-up
# of each test runs there too and is really synchronous (Playwright's documented advice).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def site_url(django_db_setup, django_db_blocker):
    django_db_blocker.unblock()
    call_command("demo", verbosity=0, stdout=io.StringIO())  # committed: browser tests run last
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    yield f"http://127.0.0.1:{server.port}"
    server.terminate()
    django_db_blocker.restore()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Chromium est requis pour les tests navigateur : apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
