"""CSRF (CONTRACT §8: "Every form is protected against CSRF").

1. Every page of the permission matrix (and the public account pages, and a few admin
   pages) is opened as the roles that may see it; every <form method="post"> it renders
   carries a csrfmiddlewaretoken, and posts to a URL that the matrix knows accepts POST.
2. With CSRF checks enforced (as in production), a POST without the token to every URL
   that accepts POST is refused with a 403 from the CSRF check, while the same POST with
   a valid token gets past it (so the 403 does come from CSRF, not from the permissions).
3. No view of the site is exempt from CSRF, but the read-only API's (GET only).
"""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.middleware.csrf import _get_new_csrf_string
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from tests.security.conftest import MADELEINE, client_as
from tests.security.test_permission_matrix import ALL_RULES, ROUTES, RULES, url_of

PREFERRED = ["correspondent", "actor", "evaluator", "jury", "conseil", "staff", "stranger", "other", "superuser", "anonymous"]


class Forms(HTMLParser):
    """The page's forms: method, action, and the names of their inputs."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = {"method": (attrs.get("method") or "get").lower(), "action": attrs.get("action"), "inputs": {}}
            self.forms.append(self.current)
        elif tag in ("input", "button", "textarea", "select") and self.current is not None and attrs.get("name"):
            self.current["inputs"][attrs["name"]] = attrs.get("value") or ""

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def post_forms(html):
    parser = Forms()
    parser.feed(html)
    return [form for form in parser.forms if form["method"] == "post"]


def discovery_roles(rule):
    """Who opens the page: each role that may see it (their forms differ: the staff see
    "reopen", the correspondent "submit"), or a sample when every account may."""
    if rule.post_only or rule.ok != 200:
        return []
    allowed = [role for role in PREFERRED if role in rule.allow and role != "superuser"]
    if rule.anonymous == 200:
        allowed.append("anonymous")
    return allowed if len(allowed) <= 4 else ["correspondent", "staff", "anonymous" if rule.anonymous == 200 else "stranger"]


def extra_pages(w):
    """Pages outside the matrix's rules that show forms: (label, role, url)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = w.users["stranger"]
    reset = reverse("accounts:password_reset_confirm", args=[urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)])
    return [
        ("home", "correspondent", "/"),
        ("password reset form", "anonymous", reset),
        ("admin:login", "anonymous", reverse("admin:login")),
        ("admin:index", "staff", reverse("admin:index")),
        ("admin:labels_label_import", "staff", reverse("admin:labels_label_import")),
        ("admin:labels_mention_add", "conseil", reverse("admin:labels_mention_add")),
        ("admin:actions_action_change", "staff", reverse("admin:actions_action_change", args=[w.draft.pk])),
        ("admin:auth_user_change", "superuser", reverse("admin:auth_user_change", args=[user.pk])),
    ]


FILES = re.compile(r"\.(pdf|csv|xlsx|jpg)$")  # documents: no form to look for
PAGES = [(name, role) for name in sorted(ALL_RULES) for role in discovery_roles(ALL_RULES[name])]


@pytest.fixture(scope="module")
def discovered(sec, django_db_blocker):
    """{(page, role): (url, status, content type, post forms)}, each page read once."""
    found = {}
    with django_db_blocker.unblock(), transaction.atomic(), translation.override("fr"):
        pages = [(name, role, url_of(sec, name)) for name, role in PAGES] + extra_pages(sec)
        pages = [(name, role, url) for name, role, url in pages if not FILES.search(url)]
        for name, role, url in pages:
            response = client_as(sec, role).get(url, follow=name == "password reset form")
            content_type = response.get("Content-Type", "")
            forms = post_forms(response.content.decode()) if content_type.startswith("text/html") else []
            found[(name, role)] = (response.redirect_chain[-1][0] if getattr(response, "redirect_chain", None) else url,
                                   response.status_code, content_type, forms)
        transaction.set_rollback(True)
    return found


def test_the_pages_were_read(isolated, discovered):
    failed = {key: status for key, (_, status, _, _) in discovered.items() if status != 200}
    assert not failed, f"pages that did not open for the CSRF check: {failed}"
    assert sum(len(forms) for *_, forms in discovered.values()) >= 40


def test_every_post_form_carries_a_csrf_token(isolated, discovered):
    missing = [f"{url} as {role}: form to {form['action'] or '(same page)'}"
               for (name, role), (url, _, _, forms) in discovered.items() for form in forms
               if "csrfmiddlewaretoken" not in form["inputs"]]
    assert not missing, "POST form without csrfmiddlewaretoken: " + "; ".join(missing)


POST_NAMES = {name for name, rule in RULES.items() if rule.post or rule.post_only}


def test_every_post_form_targets_a_url_that_the_matrix_knows_accepts_post(isolated, discovered):
    """A new form on a view whose rule does not say `post=True` fails here: the POST
    side of that view would otherwise escape the matrix and the CSRF checks below."""
    unknown = set()
    for (name, role), (url, _, _, forms) in discovered.items():
        for form in forms:
            target = urlsplit(urljoin("http://testserver" + url, form["action"] or url)).path
            try:
                match = resolve(target)
            except Resolver404:
                unknown.add(f"{target} (from {url}): no such URL")
                continue
            if match.view_name.startswith("admin:"):
                continue
            if match.view_name not in POST_NAMES:
                unknown.add(f"{match.view_name} (form on {url})")
    assert not unknown, "POST forms to URLs without a POST rule in the matrix: " + ", ".join(sorted(unknown))


def post_targets():
    """(label, role, url builder, data builder) for every URL that accepts POST."""
    targets = []
    for name in sorted(POST_NAMES):
        rule = RULES[name]
        posters = [role for role in PREFERRED if role in rule.posters]
        if rule.anonymous == 200 and not posters:
            posters = ["anonymous"]
        targets.append((name, posters[0] if posters else "stranger", (lambda n: lambda w: url_of(w, n))(name), rule.data))
    targets += [
        ("admin:login", "anonymous", lambda w: reverse("admin:login"), lambda w: {"username": "equipe@example.fr", "password": "x"}),
        ("admin:logout", "staff", lambda w: reverse("admin:logout"), lambda w: {}),
        ("admin:labels_mention_add", "conseil", lambda w: reverse("admin:labels_mention_add"),
         lambda w: {"name": "Nouvelle", "slug": "nouvelle"}),
        ("admin:labels_label_import", "staff", lambda w: reverse("admin:labels_label_import"), lambda w: {}),
        ("admin:actions_action_delete", "staff", lambda w: reverse("admin:actions_action_delete", args=[w.draft.pk]), lambda w: {"post": "yes"}),
        ("admin:auth_user_change", "superuser", lambda w: reverse("admin:auth_user_change", args=[w.users["stranger"].pk]),
         lambda w: {"username": "x"}),
    ]
    return targets


TARGETS = post_targets()


def csrf_refusal(response):
    return response.status_code == 403 and b"CSRF" in response.content


@pytest.mark.parametrize("label, role, url, data", TARGETS, ids=[t[0] for t in TARGETS])
def test_post_without_the_token_is_refused(sec, isolated, label, role, url, data):
    url, data = url(sec), data(sec)
    client = client_as(sec, role, enforce_csrf_checks=True)
    response = client.post(url, data)
    assert csrf_refusal(response), f"POST {url} ({label}) as {role} without a CSRF token: {response.status_code}"
    # The same request with a token passes the CSRF check (whatever the view then says).
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    response = client.post(url, {**data, "csrfmiddlewaretoken": secret})
    assert not csrf_refusal(response), f"POST {url} ({label}) as {role} with a valid CSRF token was refused"


def test_a_token_from_another_session_is_refused(sec, isolated):
    """A forged request carrying the attacker's own cookie and token does not help:
    the token must match the victim's cookie."""
    client = client_as(sec, "correspondent", enforce_csrf_checks=True)
    client.cookies["csrftoken"] = _get_new_csrf_string()
    response = client.post(f"/espace/{MADELEINE}/inviter/", {"email": "pirate@example.fr", "csrfmiddlewaretoken": _get_new_csrf_string()})
    assert csrf_refusal(response)


def test_no_view_is_exempt_from_csrf_but_the_read_only_api():
    from arobase.api.urls import api

    exempt = sorted(name or route for name, route, pattern in ROUTES
                    if getattr(pattern.callback, "csrf_exempt", False) and not (name or "").startswith("api-1:"))
    assert exempt == [], f"views exempt from CSRF: {exempt}"
    methods = {method for operations in api.get_openapi_schema()["paths"].values() for method in operations}
    assert methods == {"get"}, "the API is exempt from CSRF (django-ninja): it must stay read-only"


@pytest.mark.parametrize("path", ["/api/v1/territories", "/api/v1/actions", f"/api/v1/territories/{MADELEINE}"])
def test_the_api_refuses_writes(sec, isolated, path):
    client = client_as(sec, "staff", enforce_csrf_checks=True)
    for method in (client.post, client.put, client.patch, client.delete):
        assert method(path, {}, content_type="application/json").status_code == 405, (method.__name__, path)
