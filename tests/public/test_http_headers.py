"""What every response says about itself: security policy, HEAD, cookies and caching."""

import re

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

PUBLIC_URLS = ["/", "/territoires/?q=lunel", "/territoires/59368/", "/regions/32/", "/palmares/", "/palmares/2024/",
               "/statistiques/", "/territoires/59368/panneau.svg", "/mentions-legales/", "/en/palmares/2024/"]
API_URLS = ["/api/v1/territories/59368", "/api/v1/territories?q=lunel", "/api/v1/editions", "/api/v1/editions/2024/palmares"]


@pytest.mark.parametrize("url", PUBLIC_URLS + API_URLS + ["/admin/login/", "/api/v1/docs", "/territoires/nowhere/"])
def test_every_response_has_a_content_security_policy(client, demo, url):
    policy = client.get(url)["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_pages_have_no_inline_script_or_style(client, demo, url):
    page = client.get(url).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)  # only <script src=…>
    assert "<style" not in page and " style=" not in page


def test_violations_are_reported_in_development_only(settings):
    from arobase.middleware import content_security_policy

    settings.CSP_REPORT_URI = ""
    assert "report-uri" not in content_security_policy()
    settings.CSP_REPORT_URI = "/csp-report"
    assert content_security_policy().endswith("report-uri /csp-report")


@pytest.mark.parametrize("url", PUBLIC_URLS + API_URLS)
def test_head_is_answered_wherever_get_is(client, demo, url):
    get, head = client.get(url), client.head(url)
    assert head.status_code == get.status_code == 200
    assert head.content == b"" and head["Content-Type"] == get["Content-Type"]
    assert int(head["Content-Length"]) == len(get.content)


def test_head_of_a_missing_object_is_a_404(client):
    assert client.head("/api/v1/territories/00000").status_code == 404


@pytest.mark.parametrize("url", PUBLIC_URLS + API_URLS + ["/territoires/nowhere/"])
def test_anonymous_pages_set_no_cookie(client, demo, url):
    response = client.get(url)
    assert not response.cookies, response.cookies
    assert "Set-Cookie" not in response


@pytest.mark.parametrize("url", PUBLIC_URLS + API_URLS)
def test_public_answers_are_cacheable_and_revalidated(client, demo, url):
    response = client.get(url)
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT")
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_a_logged_in_visitor_gets_no_shared_copy(client, demo):
    client.force_login(User.objects.create_user("someone", password="x" * 16))
    response = client.get("/palmares/2024/")
    assert response.status_code == 200 and "public" not in response.get("Cache-Control", "")


def test_the_floor_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/ping")
    assert response.content == b"ok"
