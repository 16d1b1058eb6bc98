"""A database restart between two requests costs no request (persistent connections
are health-checked before reuse). Runs in the PostgreSQL pass of the suite, against a
private cluster that the test starts and restarts itself."""

import os

import pytest
from django.db import connection

from tests.support.servers import Gunicorn, PrivatePostgres, arobase, postgres_binaries


@pytest.fixture
def private_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL pass only (DATABASE_URL=postgres://…)")
    if postgres_binaries() is None:
        pytest.skip("no local PostgreSQL binaries to start a private cluster")
    server = PrivatePostgres().start()
    yield server
    server.stop()


def test_requests_after_a_database_restart_succeed(private_postgres, tmp_path):
    private_postgres.create_database("arobase_restart")
    env = {**os.environ, "DATABASE_URL": private_postgres.url("arobase_restart"), "DJANGO_SETTINGS_MODULE": "arobase.settings",
           "AROBASE_VAR_DIR": str(tmp_path), "SECRET_KEY": "restart-test-" + "k" * 40, "DEBUG": "0", "HTTPS": "0",
           "ALLOWED_HOSTS": "127.0.0.1"}
    arobase("migrate", "--noinput", env=env)
    arobase("collectstatic", "--noinput", env=env)
    server = Gunicorn(env, workers=1)
    try:
        assert server.get("/palmares/")[0] == 200  # the worker now holds a persistent connection
        private_postgres.restart()  # which the restart closes under its feet
        assert server.get("/palmares/")[0] == 200
        assert server.get("/api/v1/editions")[0] == 200
    finally:
        errors = server.stop()
    assert "Traceback" not in errors, errors
