"""Public pages, API answers and open-data files travel gzip-compressed when the client
accepts it; streamed files stay streamed; members' pages and compressed formats do not."""

import gzip
import json

import pytest

pytestmark = pytest.mark.django_db
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def body(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return gzip.decompress(content) if response.get("Content-Encoding") == "gzip" else content


@pytest.mark.parametrize("url", ["/", "/palmares/2024/", "/api/v1/actions", "/api/v1/editions/2024/palmares"])
def test_pages_and_answers_are_compressed_for_clients_that_accept_it(client, demo, url):
    plain = client.get(url)
    packed = client.get(url, **GZIP)
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert body(packed) == plain.content
    assert len(packed.content) < len(plain.content) / 3


def test_a_cached_page_still_answers_304_to_its_compressed_etag(client, demo):
    etag = client.get("/palmares/2024/", **GZIP)["ETag"]
    assert client.get("/palmares/2024/", HTTP_IF_NONE_MATCH=etag, **GZIP).status_code == 304


def test_open_data_files_stream_compressed(client, demo):
    response = client.get("/opendata/actions.geojson?demo=1", **GZIP)
    assert response.streaming and response["Content-Encoding"] == "gzip"
    compressed = b"".join(response.streaming_content)
    data = json.loads(gzip.decompress(compressed))
    assert data["type"] == "FeatureCollection" and data["features"]
    assert len(compressed) < len(gzip.decompress(compressed)) / 4


def test_workbooks_and_members_pages_are_not_compressed(client, demo, django_user_model):
    assert "Content-Encoding" not in client.get("/opendata/arobase.xlsx", **GZIP)
    member = django_user_model.objects.create_user("membre@example.fr", "membre@example.fr", "mot-de-passe-tres-long")
    client.force_login(member)
    assert "Content-Encoding" not in client.get("/espace/", **GZIP)
    assert "Content-Encoding" not in client.get("/palmares/2024/", **GZIP)  # carries the logout form's CSRF token
