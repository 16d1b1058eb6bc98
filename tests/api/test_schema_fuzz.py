"""Property-based tests of API v1 from its own OpenAPI schema, every operation: never a
500, only documented status codes (the errors 400, 404 and 422 are documented for every
operation), the documented content type, and a body that matches the documented schema.
tests/security/test_api_schema.py calls each operation on real data with the same checks."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def test_transaction_connection(db):
    """Keep the test's connection open across WSGI requests, as Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_fails_and_matches_its_schema(case, test_transaction_connection):
    case.call_and_validate(checks=[not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance],
                           headers={"Accept-Encoding": "identity"})  # schemathesis reads WSGI answers as they travel
