"""API v1 against its own OpenAPI schema, on real data.

tests/api/test_schema_fuzz.py fuzzes every operation with schemathesis on a database
holding the territories only: most detail operations then answer 404. Here each
operation is called once with objects that exist (a published action with its actor,
a published edition with its palmarès, an EPCI, a région…), and the answer is checked
by schemathesis as well: no 5xx, a documented status code, the documented content
type, a body that matches the documented schema.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

from tests.security.conftest import CANDIDATURES_YEAR, MADELEINE, PUBLISHED_YEAR

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# (operation path, path parameters, query, expected status)
CALLS = [
    ("/api/v1/territories", {}, {"q": "Madeleine"}, 200),
    ("/api/v1/territories", {}, {"kind": "epci", "departement": "59", "page_size": 5}, 200),
    ("/api/v1/territories/{code}", {"code": MADELEINE}, {}, 200),
    ("/api/v1/territories/{code}", {"code": "200093201"}, {}, 200),
    ("/api/v1/territories/{code}", {"code": "59"}, {}, 200),
    ("/api/v1/territories/{code}", {"code": "00000"}, {}, 404),
    ("/api/v1/regions", {}, {}, 200),
    ("/api/v1/regions/{code}", {"code": "32"}, {}, 200),
    ("/api/v1/territories/{code}/labels", {"code": MADELEINE}, {}, 200),
    ("/api/v1/editions", {}, {}, 200),
    ("/api/v1/editions/{year}", {"year": PUBLISHED_YEAR}, {}, 200),
    ("/api/v1/editions/{year}", {"year": CANDIDATURES_YEAR}, {}, 200),
    ("/api/v1/editions/{year}/palmares", {"year": PUBLISHED_YEAR}, {}, 200),
    ("/api/v1/editions/{year}/palmares", {"year": CANDIDATURES_YEAR}, {}, 404),  # not published yet
    ("/api/v1/referential", {}, {"edition": CANDIDATURES_YEAR}, 200),
    ("/api/v1/actions", {}, {}, 200),
    ("/api/v1/actions", {}, {"territory": MADELEINE, "status": "en-cours", "page_size": 1}, 200),
    ("/api/v1/actions", {}, {"page": 99}, 404),
    ("/api/v1/actions/aggregate", {}, {"level": "commune"}, 200),
    ("/api/v1/actions/aggregate", {}, {"level": "region"}, 200),
    ("/api/v1/actions/aggregate", {}, {"level": "pays"}, 422),
    ("/api/v1/actions/{action_id}", {"action_id": "published"}, {}, 200),
    ("/api/v1/actions/{action_id}", {"action_id": "draft"}, {}, 404),  # a draft is never public
    ("/api/v1/actors", {}, {"q": "Fablab"}, 200),
    ("/api/v1/actors/{slug}", {"slug": "fablab-madeleine"}, {}, 200),
    ("/api/v1/actors/{slug}", {"slug": "inconnu"}, {}, 404),
]


@pytest.fixture
def published_action(sec, isolated):
    """Keep the test's connection across WSGI requests, as the test client does; and
    publish a copy of La Madeleine's action, with its actor."""
    from arobase.actions import rules
    from arobase.actions.models import Action

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    action = Action.objects.create(territory=sec.madeleine, title="Conseil municipal en ligne", summary="Séances filmées.",
                                   state=rules.PUBLISHED, published_at=timezone.now(), status="en-cours")
    action.services.set(sec.services[:2])
    action.actors.add(sec.actor_row)
    yield action
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)

# schemathesis reads WSGI answers as they travel: ask for them uncompressed (tests/public/test_compression.py checks gzip).
PLAIN = {"Accept-Encoding": "identity"}

def test_every_operation_is_called_here():
    operations = {result.ok().path for result in schema.get_all_operations()}
    assert operations == {path for path, *_ in CALLS}


@pytest.mark.parametrize("path, parameters, query, status", CALLS, ids=[f"{c[0]}-{i}" for i, c in enumerate(CALLS)])
def test_operation_on_real_data_matches_the_schema(sec, published_action, path, parameters, query, status):
    ids = {"published": published_action.pk, "draft": sec.draft.pk}
    parameters = {name: ids.get(value, value) for name, value in parameters.items()}
    case = schema[path]["GET"].Case(path_parameters=parameters, query=query)
    response = case.call_and_validate(checks=CHECKS, headers=PLAIN)
    assert response.status_code == status, f"{path} {parameters} {query}: {response.status_code} {response.text[:300]}"


@pytest.mark.parametrize("url, status", [
    ("/api/v1/actions/abc", 404),  # matches no operation: Django's resolver, not the API's
    ("/api/v1/nulle-part", 404),
    ("/api/v1/territories?q=a%00", 400),  # refused by a middleware before the API
    ("/api/v1/territories/%00", 400),
])
def test_api_errors_outside_its_operations_are_json_too(sec, isolated, url, status):
    from django.test import Client

    response = Client().get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert isinstance(response.json()["detail"], str)
