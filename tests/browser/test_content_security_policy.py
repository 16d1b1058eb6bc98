"""The Content-Security-Policy breaks nothing: no page, the admin's and the API docs
included, triggers a violation in a real browser, and the API docs still render."""

import pytest
from playwright.sync_api import expect

PAGES = ["/", "/territoires/?q=lunel", "/territoires/59368/", "/regions/32/", "/palmares/2024/", "/statistiques/",
         "/en/", "/admin/login/", "/api/v1/docs", "/territoires/nowhere/"]


@pytest.mark.parametrize("path", PAGES)
def test_no_page_violates_the_policy(site_url, page, path):
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    assert violations == []


def test_the_api_documentation_renders_under_the_policy(site_url, page):
    page.goto(site_url + "/api/v1/docs")
    expect(page.get_by_text("/api/v1/territories/{code}", exact=True).first).to_be_visible()
