"""The admin's forms, sent by the staff, the Conseil d'Orientation and a superuser with
hostile values in every field: never a 5xx, and a refused form writes nothing.

Each model's add and change forms are posted with the fields their page shows (inline
formsets and their management forms included), as test_form_fuzz does for the site's
forms. An accepted form (302) is fine: what it stored is escaped wherever it is shown.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.conftest import client_as
from tests.security.test_form_fuzz import FIELD_NAME, HOSTILE, writes
from tests.security.test_permission_matrix import ADMIN_MODELS, NO_ADD, admin_object


def admin_cases():
    for label, roles in sorted(ADMIN_MODELS.items()):
        for role in sorted(roles & {"staff", "conseil"}) or ["superuser"]:
            for kind in ("add", "change"):
                if kind == "add" and label in NO_ADD:
                    continue
                yield label, role, kind


def admin_url(sec, label, kind):
    app, model = label.split(".")
    args = [admin_object(sec, label).pk] if kind == "change" else []
    return reverse(f"admin:{app}_{model}_{kind}", args=args)


def posted_fields(client, url):
    response = client.get(url)
    if response.status_code != 200:
        return []
    return sorted(set(FIELD_NAME.findall(response.content.decode("utf-8", "replace"))) - {"csrfmiddlewaretoken", "file"})


@pytest.mark.parametrize("label, role, kind", list(admin_cases()))
def test_admin_forms_never_answer_a_server_error(sec, isolated, label, role, kind):
    url = admin_url(sec, label, kind)
    client = client_as(sec, role)
    fields = posted_fields(client, url)

    def post(hostile):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, hostile)
        where = f"POST {url} as {role} with {({k: v[:40] for k, v in hostile.items()})}"
        assert response.status_code in (200, 302, 400, 403), f"{where}: {response.status_code}"
        if response.status_code != 302:
            assert not writes(queries.captured_queries), f"{where}: a refused form wrote {writes(queries.captured_queries)[0][:200]}"

    if not fields:
        return
    for value in HOSTILE:
        post(dict.fromkeys(fields, value))

    @settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.dictionaries(st.sampled_from(fields), st.sampled_from(HOSTILE) | st.text(max_size=30), min_size=1))
    def mixture(hostile):
        post(hostile)

    mixture()


@pytest.mark.parametrize("role", ["staff", "conseil"])
def test_the_admin_password_form_never_answers_a_server_error(sec, isolated, role):
    client = client_as(sec, role)
    url = reverse("admin:password_change")
    for value in HOSTILE:
        response = client.post(url, {"old_password": value, "new_password1": value, "new_password2": value})
        assert response.status_code == 200, f"POST {url} as {role} with {value[:40]!r}: {response.status_code}"


def test_the_palmares_import_form_never_answers_a_server_error(sec, isolated):
    client = client_as(sec, "staff")
    url = reverse("admin:labels_label_import")
    for value in HOSTILE:
        response = client.post(url, {"replace": value, "payload": value, "confirm": value})
        assert response.status_code in (200, 302, 400), f"POST {url} with {value[:40]!r}: {response.status_code}"
