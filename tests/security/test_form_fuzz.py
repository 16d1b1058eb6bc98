"""Every POST form of every role, sent as that role with hostile values: never a 5xx.

The forms are those of the permission matrix (test_permission_matrix.RULES), each posted
by each role allowed to post it, starting from the well-formed data the matrix sends.
Hypothesis replaces some of its fields, and the fields the form's page shows, with
what an attacker or a careless paste sends: 5 000 digits, NUL, other scripts' digits,
20 000 characters, markup, negative numbers, `1e309`, quotes. The answer is 200, 302 or
400; a 400 says why in French and writes nothing.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.conftest import client_as
from tests.security.test_permission_matrix import RULES, prepared_url

HOSTILE = [
    "9" * 5000, "\x00", "1\x002", "١٢٣", "²", "①", "x" * 20000, "<script>alert(1)</script>", "<b>gras</b>", "-1", "-999999999999999999999",
    "1e309", "NaN", "'", '"', "' OR 1=1 --", "", " ", "0", "18446744073709551616", "2026-02-30", "١٢/٠٣/٢٠٢٦", "\u202e", "🙂",
]
# Forms answered with a file to download or a page of their own: their answer is checked
# like the others; their data keeps its file field as the matrix sends it.
FILE_FIELDS = {"file"}
FIELD_NAME = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')

CASES = [(name, role) for name in sorted(RULES) for role in sorted(RULES[name].posters)
         if (RULES[name].post or RULES[name].post_only) and role != "superuser"]


def form_fields(sec, role, url, rule):
    """The fields of the matrix's data and of the forms the page shows."""
    fields = set(rule.data(sec))
    response = client_as(sec, role).get(url)
    if response.status_code == 200 and not getattr(response, "streaming", False):
        fields |= set(FIELD_NAME.findall(response.content.decode("utf-8", "replace")))
    return sorted(fields - {"csrfmiddlewaretoken"} - FILE_FIELDS)


def writes(queries):
    return [q["sql"] for q in queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) and "django_session" not in q["sql"]]


@pytest.mark.parametrize("name, role", CASES)
def test_hostile_values_never_get_a_server_error(sec, isolated, name, role):
    rule = RULES[name]
    url = prepared_url(sec, name)
    fields = form_fields(sec, role, url, rule)
    client = client_as(sec, role)

    def post(hostile):
        data = {**rule.data(sec), **hostile}
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, data)
        where = f"POST {url} ({name}) as {role} with {({k: v[:40] for k, v in hostile.items()})}"
        assert response.status_code in (200, 302, 400), f"{where}: {response.status_code}"
        if response.status_code == 400:
            body = response.content.decode("utf-8", "replace")
            assert "Bad Request" not in body and re.search(r"[a-zà-ÿ]{3,} [a-zà-ÿ]{2,}", body), f"{where}: a 400 without a French message: {body[:200]}"
            assert not writes(queries.captured_queries), f"{where}: a refused form wrote {writes(queries.captured_queries)[0][:200]}"

    if not fields:
        return
    # Each hostile value in every field at once, then hypothesis's mixtures of them.
    for value in HOSTILE:
        post(dict.fromkeys(fields, value))

    @settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.dictionaries(st.sampled_from(fields), st.sampled_from(HOSTILE) | st.text(max_size=30), min_size=1))
    def mixture(hostile):
        post(hostile)

    mixture()
