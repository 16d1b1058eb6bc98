"""XSS and spreadsheet formulas: hostile text typed into every user-editable text field,
through the real forms (HTTP POSTs as the people who type them), then read back on every
page that shows it: public pages, the territory's space, the staff's, evaluators' and
jury's pages, the admin, the API's JSON, the CSV, GeoJSON and XLSX exports, e-mails.

On every HTML page: no script element or event-handler attribute of ours, no
javascript: link, and each field's marker is there (so the page does show the field),
followed by the literal "{{7*7}}" (no template evaluation). URL fields refuse
javascript: (and data:, whatever the case or spacing). Spreadsheet cells that start
with = + - @ stay text.

The scenario runs once for the module, in a savepoint rolled back at its end.
"""

import csv
import io
import json
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation

from tests.security.conftest import CANDIDATURES_YEAR, LUNEL, MADELEINE, PUBLISHED_YEAR, client_as, png_bytes
from tests.security.test_permission_matrix import action_data

TEMPLATE = "{{7*7}}"
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'


def payload(field):
    """The hostile text of one field; its marker says where it came from."""
    return f"xss-{field} {TEMPLATE} {SCRIPT} {IMG} javascript:alert(1)"


def marker(field):
    return f"xss-{field}"


FORMULAS = {  # formula action: what a spreadsheet would execute
    "title": '=HYPERLINK("https://evil.example","clic")',
    "subtitle": "+33 6 00 00 00 00",
    "summary": "-2+3 @SUM(A1)",
}
PAYMENT_REFERENCE = '=HYPERLINK("https://evil.example/?<script>alert(1)</script>")'
REOPEN_REASON = "=SUM(1+1) " + payload("reopen")
BAD_LINKS = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
             "https://ok.example/\njavascript:alert(1)", "vbscript:msgbox(1)", "//evil.example/x"]
GOOD_LINK = 'https://example.fr/"><script>alert(1)</script>'
PHONE = '"><svg/onload=alert(1)>'  # 30 characters at most: shown to members, with consent


def done(response, where, statuses=(302,)):
    assert response.status_code in statuses, f"{where}: {response.status_code} {response.content.decode()[:1500]}"
    return response


def build_scenario(w):
    """Every text field filled with its payload, through the forms; returns what the
    page checks need (ids, the new user)."""
    from arobase.actions.models import Action, Actor
    from arobase.dossiers.models import Dossier, Question
    from arobase.evaluation.models import Appeal, Criterion, Decision, JuryNote, Review
    from arobase.labels.models import Edition

    s = type("Scenario", (), {})()
    staff, correspondent = client_as(w, "staff"), client_as(w, "correspondent")

    # A person signs up with hostile names, verifies the address, becomes an evaluator.
    anonymous = Client()
    done(anonymous.post("/compte/inscription/", {
        "email": "xss@example.fr", "first_name": payload("first-name"), "last_name": payload("last-name"),
        "password1": "Zq8!vT3#pL0@wX9k", "password2": "Zq8!vT3#pL0@wX9k",
    }), "signup", (200,))
    link = re.search(r"https?://testserver(/compte/verification/[^\s\"<]+)", mail.outbox[-1].body).group(1)
    newcomer = Client()
    done(newcomer.get(link), "verification")
    from django.contrib.auth.models import User

    s.newcomer = User.objects.get(email="xss@example.fr")
    assert s.newcomer.is_active and s.newcomer.first_name == payload("first-name")
    s.newcomer_client = newcomer
    done(staff.post("/admin/accounts/role/add/", {"user": s.newcomer.pk, "kind": "evaluateur", "territory": "", "organisation": payload("organisation")}),
         "admin: role for the newcomer")

    # Staff refuse a pending request, with a reason sent to the requester.
    done(staff.post(f"/espace/rattachement/{w.attachment.pk}/decision/", {"decision": "refuse", "reason": payload("refusal-reason")}), "attachment refused")
    s.requester_client = Client()
    s.requester_client.force_login(w.requester)

    # The stranger asks to become a correspondent of Lunel.
    done(client_as(w, "stranger").post("/espace/rattachement/", {"territory": LUNEL, "function": payload("function"), "message": payload("message")}),
         "attachment request")

    # Staff and the Conseil d'Orientation, in the admin: a local actor, a question, a criterion.
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)"):
        refused = done(staff.post("/admin/actions/actor/add/", {
            "slug": "acteur-xss", "name": payload("actor-name"), "kind": "association", "territory": w.madeleine.pk,
            "description": payload("actor-description"), "website": bad, "email": "", "phone": "", "lat": "", "lon": "",
        }), f"admin: actor with the website {bad!r}", (200,))
        assert "Saisissez une URL valide" in refused.content.decode() and not Actor.objects.filter(slug="acteur-xss").exists(), bad
    done(staff.post("/admin/actions/actor/add/", {
        "slug": "acteur-xss", "name": payload("actor-name"), "kind": "association", "territory": w.madeleine.pk,
        "description": payload("actor-description"), "website": GOOD_LINK, "email": "", "phone": "", "lat": "", "lon": "",
    }), "admin: actor")
    s.actor = Actor.objects.get(slug="acteur-xss")
    done(staff.post("/admin/dossiers/question/add/", {"edition": CANDIDATURES_YEAR, "category": "", "text": payload("question"),
                                                      "help_text": payload("question-help"), "position": "1"}), "admin: question")
    s.question = Question.objects.get(edition_id=CANDIDATURES_YEAR, text=payload("question"))
    done(client_as(w, "conseil").post("/admin/evaluation/criterion/add/", {
        "edition": CANDIDATURES_YEAR, "name": payload("criterion"), "description": payload("criterion-description"),
        "weight": "1", "scale_max": "4", "position": "0",
    }), "admin: criterion")
    s.criterion = Criterion.objects.get(edition_id=CANDIDATURES_YEAR)

    # The correspondent writes an action with hostile text everywhere; bad links are refused.
    text_fields = ["title", "subtitle", "summary", "done", "tools", "providers", "results", "recommendations", "place_name", "address"]
    fields = {name: payload(name) for name in text_fields}
    fields["done"] = f"{marker('done')} [clic](javascript:alert(1)) {SCRIPT} <img src=x onerror=alert(1)> <a href=\"javascript:alert(1)\">a</a>"
    people = {"people-TOTAL_FORMS": "1", "people-0-name": payload("person-name"), "people-0-role": payload("person-role"),
              "people-0-email": "ana@example.fr", "people-0-phone": PHONE, "people-0-consent": "on"}
    for bad in BAD_LINKS:
        response = done(correspondent.post(f"/espace/{MADELEINE}/actions/nouvelle/", action_data(w, links=bad, **fields, **people)),
                        f"action with the link {bad!r}", (200,))
        assert "Adresse non valable" in response.content.decode(), f"the link {bad!r} is accepted"
    count = Action.objects.count()
    done(correspondent.post(f"/espace/{MADELEINE}/actions/nouvelle/", action_data(w, links=GOOD_LINK, **fields, **people)), "action")
    assert Action.objects.count() == count + 1
    s.action = Action.objects.latest("pk")
    s.action.actors.add(s.actor)  # actors are linked to actions in the admin's autocomplete widget
    done(correspondent.post(f"/espace/{MADELEINE}/actions/{s.action.pk}/images/",
                            {"file": io.BytesIO(png_bytes()), "alt": payload("image-alt")}), "image")
    assert s.action.images.get().alt == payload("image-alt")
    done(correspondent.post(f"/espace/{MADELEINE}/actions/{s.action.pk}/etat/", {"decision": "publish"}), "publish")
    done(correspondent.post(f"/espace/{MADELEINE}/actions/nouvelle/", action_data(w, **FORMULAS, place_name="@SUM(A1)")), "formula action")
    s.formula_action = Action.objects.latest("pk")
    done(correspondent.post(f"/espace/{MADELEINE}/actions/{s.formula_action.pk}/etat/", {"decision": "publish"}), "publish formulas")

    # A local actor proposes an action; the correspondent refuses it with a reason.
    done(client_as(w, "actor").post(f"/espace/{MADELEINE}/actions/nouvelle/", action_data(w, title=payload("proposal"))), "proposal")
    s.proposal = Action.objects.latest("pk")
    done(correspondent.post(f"/espace/{MADELEINE}/actions/{s.proposal.pk}/etat/", {"decision": "refuse", "reason": payload("refusal")}), "refusal")

    # Dossier 2027: both actions, the answers, submitted; staff record the payment.
    done(correspondent.post(f"/espace/{MADELEINE}/dossier/{CANDIDATURES_YEAR}/", {
        "actions": [s.action.pk, s.formula_action.pk], f"question-{s.question.pk}": payload("answer"), f"question-{w.question.pk}": payload("answer-2"),
    }), "dossier")
    s.before = {"draft dossier": (f"/espace/{MADELEINE}/dossier/{CANDIDATURES_YEAR}/", ["title", "question", "question-help", "answer", "answer-2"])}
    s.before["draft dossier"] += (correspondent.get(s.before["draft dossier"][0]).content.decode(),)
    done(correspondent.post(f"/espace/{MADELEINE}/dossier/{CANDIDATURES_YEAR}/", {"submit": "1"}), "submission")
    s.dossier = Dossier.objects.get(edition_id=CANDIDATURES_YEAR, territory=w.madeleine)
    assert s.dossier.state == "depose" and s.dossier.answers[str(s.question.pk)] == payload("answer")
    done(staff.post(f"/espace/{MADELEINE}/adhesion/{CANDIDATURES_YEAR}/paiement/", {
        "decision": "payment", "paid_on": timezone.localdate().isoformat(), "reference": PAYMENT_REFERENCE}), "payment")

    # Evaluation (the closing date is past): the newcomer reviews, an evaluator declares a conflict.
    Edition.objects.filter(pk=CANDIDATURES_YEAR).update(phase="evaluation", closing_date=timezone.localdate() - timedelta(days=1))
    done(staff.post(f"/gestion/{CANDIDATURES_YEAR}/evaluateurs/", {"operation": "assign", "evaluator": s.newcomer.pk, "dossiers": [s.dossier.pk]}), "assignment")
    assert Review.objects.filter(dossier=s.dossier, evaluator=s.newcomer).exists()
    review_url = f"/evaluation/{CANDIDATURES_YEAR}/dossiers/{s.dossier.pk}/"
    done(newcomer.post(review_url, {f"score-{s.criterion.pk}": "3", "proposed_arobases": "4", "comment": payload("review")}), "review draft")
    s.before["review draft"] = (review_url, ["criterion", "criterion-description", "review", "title"], newcomer.get(review_url).content.decode())
    done(newcomer.post(review_url, {f"score-{s.criterion.pk}": "3", "proposed_arobases": "4", "comment": payload("review"), "submit": "1"}), "review")
    done(client_as(w, "evaluator").post(f"/evaluation/{CANDIDATURES_YEAR}/conflit/", {"territory": w.madeleine.pk, "reason": payload("declaration")}), "declaration")
    done(staff.post(f"/gestion/{CANDIDATURES_YEAR}/conflits/", {"user": w.users["evaluator"].pk, "territory": w.madeleine.pk, "reason": payload("override")}),
         "conflict lifted")
    from arobase.evaluation.models import Override

    assert Override.objects.filter(reason=payload("override")).exists()

    # Deliberation: a jury note and a decision with its rationale.
    Edition.objects.filter(pk=CANDIDATURES_YEAR).update(phase="deliberation")
    jury = client_as(w, "jury")
    done(jury.post(f"/evaluation/{CANDIDATURES_YEAR}/deliberation/{s.dossier.pk}/", {"note": payload("jury-note")}), "jury note")
    assert JuryNote.objects.filter(dossier=s.dossier).exists()
    done(jury.post(f"/evaluation/{CANDIDATURES_YEAR}/deliberation/{s.dossier.pk}/", {"arobases": "5", "rationale": payload("rationale")}), "decision")
    assert Decision.objects.get(dossier=s.dossier).rationale == payload("rationale")

    # 2026, published: an appeal, then the staff reopen the dossier (reason in the CSV).
    Appeal.objects.filter(dossier=w.published_dossier).delete()
    done(correspondent.post(f"/espace/{MADELEINE}/dossier/{PUBLISHED_YEAR}/recours/", {"reason": payload("appeal")}), "appeal")
    assert Appeal.objects.get(dossier=w.published_dossier).reason == payload("appeal")
    done(staff.post(f"/espace/{MADELEINE}/dossier/{PUBLISHED_YEAR}/rouvrir/", {"reason": REOPEN_REASON}), "reopening")
    return s


@pytest.fixture(scope="module")
def scenario(sec, django_db_blocker):
    with django_db_blocker.unblock(), translation.override("fr"):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            mail.outbox = []
            built = build_scenario(sec)
            built.mails = list(mail.outbox)
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# -- What a page must (not) contain ---------------------------------------------------------

class Page(HTMLParser):
    """The decoded text and attribute values of a page, its script elements, and the
    attributes that would run code."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.scripts, self.dangers, self._in_script = [], [], [], False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            self.text.append(value)
            if name.startswith("on"):
                self.dangers.append(f"<{tag} {name}={value!r}>")
            squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
            if name in self.URL_ATTRIBUTES and squeezed.startswith(("javascript:", "vbscript:", "data:text/html")):
                self.dangers.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            self._in_script = True
            self.scripts.append(["", dict(attrs).get("type") or ""])
        if tag in ("iframe", "object", "embed", "base"):
            self.dangers.append(f"<{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1][0] += data
        else:
            self.text.append(data)


def check_html(html, where, expected=()):
    assert SCRIPT not in html and "<img src=x" not in html, f"{where}: raw payload in the HTML"
    page = Page()
    page.feed(html)
    assert not page.dangers, f"{where}: {page.dangers[:3]}"
    for content, kind in page.scripts:
        if kind == "application/json":  # json_script: data, with < > & escaped so that it cannot close the element
            assert "<" not in content and ">" not in content, f"{where}: unescaped JSON in a script element: {content[:200]}"
        else:
            assert "alert" not in content and "xss-" not in content, f"{where}: script element with user text: {content[:200]}"
    text = "\n".join(page.text)
    missing = [field for field in expected if marker(field) not in text]
    assert not missing, f"{where}: the page does not show {missing}"
    evaluated = re.search(r"xss-[a-z0-9-]+ 49", text)
    assert not evaluated, f"{where}: {evaluated.group()} (template evaluated)"
    literal = [field for field in expected if field != "done" and f"{marker(field)} {TEMPLATE}" not in text]
    assert not literal, f"{where}: {literal} not shown as typed"


# (label, role, url builder, fields that the page must show)
PAGES = [
    ("public action page", "anonymous", lambda s, w: f"/actions/{s.action.pk}/",
     ["title", "subtitle", "summary", "done", "tools", "providers", "results", "recommendations", "place_name", "address",
      "person-name", "person-role", "image-alt", "actor-name"]),
    ("public action page in English", "anonymous", lambda s, w: f"/en/actions/{s.action.pk}/", ["title", "summary"]),
    ("public action page for a member", "evaluator", lambda s, w: f"/actions/{s.action.pk}/", ["title", "person-name"]),
    ("territory profile", "anonymous", lambda s, w: f"/territoires/{MADELEINE}/", ["title", "subtitle"]),
    ("Atlaas", "anonymous", lambda s, w: f"/atlaas/?territory={MADELEINE}", ["title"]),
    ("Atlaas search", "anonymous", lambda s, w: "/atlaas/?q=" + marker("title"), []),
    ("actors directory", "anonymous", lambda s, w: "/acteurs/", ["actor-name"]),
    ("actor page", "anonymous", lambda s, w: f"/acteurs/{s.actor.slug}/", ["actor-name", "actor-description", "title"]),
    ("territory search", "anonymous", lambda s, w: "/territoires/?q=" + payload("q").replace(" ", "+"), []),
    ("home", "anonymous", lambda s, w: "/", []),
    ("my space", "newcomer", lambda s, w: "/espace/", ["first-name"]),
    ("my refused request", "requester", lambda s, w: "/espace/", ["refusal-reason"]),
    ("territory space", "correspondent", lambda s, w: f"/espace/{MADELEINE}/", []),
    ("action list", "correspondent", lambda s, w: f"/espace/{MADELEINE}/actions/", ["title", "proposal"]),
    ("action editor", "correspondent", lambda s, w: f"/espace/{MADELEINE}/actions/{s.action.pk}/",
     ["title", "subtitle", "summary", "done", "tools", "providers", "results", "recommendations", "place_name", "address",
      "person-name", "person-role", "image-alt"]),
    ("refused proposal, seen by its author", "actor", lambda s, w: f"/espace/{MADELEINE}/actions/{s.proposal.pk}/", ["proposal", "refusal"]),
    ("submitted dossier", "correspondent", lambda s, w: f"/espace/{MADELEINE}/dossier/{CANDIDATURES_YEAR}/", ["title"]),
    ("published dossier, reopened", "correspondent", lambda s, w: f"/espace/{MADELEINE}/dossier/{PUBLISHED_YEAR}/", ["reopen"]),
    ("membership", "staff", lambda s, w: f"/espace/{MADELEINE}/adhesion/{CANDIDATURES_YEAR}/", []),
    ("staff dashboard", "staff", lambda s, w: f"/gestion/{CANDIDATURES_YEAR}/", ["function", "message"]),
    ("assignments", "staff", lambda s, w: f"/gestion/{CANDIDATURES_YEAR}/evaluateurs/", ["first-name"]),
    ("conflicts", "staff", lambda s, w: f"/gestion/{CANDIDATURES_YEAR}/conflits/", []),
    ("audit log", "staff", lambda s, w: f"/gestion/{CANDIDATURES_YEAR}/journal/", ["declaration", "override", "rationale"]),
    ("publication and appeals", "staff", lambda s, w: f"/gestion/{PUBLISHED_YEAR}/publication/", ["appeal"]),
    ("evaluation space", "evaluator", lambda s, w: f"/evaluation/{CANDIDATURES_YEAR}/", ["declaration"]),
    ("review", "newcomer", lambda s, w: f"/evaluation/{CANDIDATURES_YEAR}/dossiers/{s.dossier.pk}/",
     ["criterion", "review", "title"]),
    ("deliberation", "jury", lambda s, w: f"/evaluation/{CANDIDATURES_YEAR}/deliberation/", []),
    ("deliberation on the dossier", "jury", lambda s, w: f"/evaluation/{CANDIDATURES_YEAR}/deliberation/{s.dossier.pk}/",
     ["review", "jury-note", "rationale", "first-name"]),
    ("deliberation with the appeal", "jury", lambda s, w: f"/evaluation/{PUBLISHED_YEAR}/deliberation/", ["appeal"]),
    ("preparation", "conseil", lambda s, w: f"/conseil/{CANDIDATURES_YEAR}/", []),
    ("admin: actions", "staff", lambda s, w: "/admin/actions/action/", ["title"]),
    ("admin: action", "staff", lambda s, w: f"/admin/actions/action/{s.action.pk}/change/", ["title", "summary", "person-name", "image-alt"]),
    ("admin: actors", "staff", lambda s, w: "/admin/actions/actor/", ["actor-name"]),
    ("admin: actor", "staff", lambda s, w: f"/admin/actions/actor/{s.actor.pk}/change/", ["actor-name", "actor-description"]),
    ("admin: attachments", "staff", lambda s, w: "/admin/accounts/attachment/", []),
    ("admin: journal", "staff", lambda s, w: "/admin/journal/entry/", ["title"]),
    ("admin: roles", "staff", lambda s, w: "/admin/accounts/role/", []),
    ("admin: questions", "conseil", lambda s, w: "/admin/dossiers/question/", ["question"]),
    ("admin: criteria", "conseil", lambda s, w: "/admin/evaluation/criterion/", ["criterion"]),
    ("admin: users", "superuser", lambda s, w: "/admin/auth/user/", ["first-name"]),
]


def get_as(sec, scenario, role, url):
    client = {"newcomer": scenario.newcomer_client, "requester": scenario.requester_client}.get(role) or client_as(sec, role)
    return client.get(url)


@pytest.mark.parametrize("label, role, url, expected", PAGES, ids=[p[0] for p in PAGES])
def test_pages_show_user_text_escaped(sec, scenario, isolated, label, role, url, expected):
    url = url(scenario, sec)
    response = get_as(sec, scenario, role, url)
    assert response.status_code == 200, f"{label} ({url}) as {role}: {response.status_code}"
    assert response["Content-Type"].startswith("text/html")
    check_html(response.content.decode(), f"{label} ({url}) as {role}", expected)


@pytest.mark.parametrize("label", ["draft dossier", "review draft"])
def test_pages_read_during_the_scenario_show_user_text_escaped(sec, scenario, isolated, label):
    """Pages whose editable state passed during the scenario (read at the time)."""
    url, expected, html = scenario.before[label]
    check_html(html, f"{label} ({url})", expected)


def test_links_are_rendered_as_inert_https_links(sec, scenario, isolated):
    page = Page()
    page.feed(client_as(sec, "anonymous").get(f"/actions/{scenario.action.pk}/").content.decode())
    member = Page()
    member.feed(client_as(sec, "evaluator").get(f"/actions/{scenario.action.pk}/").content.decode())
    assert PHONE in "\n".join(member.text) and PHONE not in "\n".join(page.text)  # a member sees the phone, as text
    assert GOOD_LINK in page.text  # shown, escaped, as an https:// link
    assert "javascript:" not in " ".join(scenario.action.links.splitlines())


def test_emails_escape_user_text(sec, scenario, isolated):
    htmls = [(m.subject, body) for m in scenario.mails for body, kind in getattr(m, "alternatives", []) if kind == "text/html"]
    assert htmls, "no HTML e-mail was sent during the scenario"
    for subject, html in htmls:
        check_html(html, f"e-mail « {subject} »")
    assert not any(marker("first-name") in html for _, html in htmls)  # no text a stranger chose goes into the verification e-mail


# -- JSON, CSV, GeoJSON, XLSX ----------------------------------------------------------------

def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


@pytest.mark.parametrize("path, fields", [
    ("/api/v1/actions/{action}", ["title", "subtitle", "summary", "actor-name"]),
    ("/api/v1/actions?territory=59368", ["title"]),
    ("/api/v1/actors/acteur-xss", ["actor-name", "actor-description", "title"]),
    ("/api/v1/actors?q=xss", ["actor-name"]),
    ("/opendata/actions.geojson", ["title", "summary"]),
])
def test_json_keeps_the_text_as_data(sec, scenario, isolated, path, fields):
    response = client_as(sec, "anonymous").get(path.format(action=scenario.action.pk))
    assert response.status_code == 200, path
    assert "json" in response["Content-Type"] and response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    values = list(strings(json.loads(body)))
    for field in fields:
        assert any(value.startswith(marker(field)) for value in values), f"{path}: {field} missing"
    for field in fields:  # the text as typed: JSON is data, escaping is the reader's job
        assert payload(field) in values, f"{path}: {field} altered"


def csv_rows(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def assert_no_formula(rows, where):
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), f"{where}: formula cell {cell!r}"
            assert not re.match(r"-[^\d]", cell) and not re.match(r"-\d.*[^\d.]", cell), f"{where}: formula cell {cell!r}"


@pytest.mark.parametrize("role, path, expected", [
    ("anonymous", "/actions/{formula}/fiche.csv", list(FORMULAS.values())),
    ("anonymous", "/opendata/actions.csv", list(FORMULAS.values())),
    ("staff", f"/gestion/{CANDIDATURES_YEAR}/adhesions.csv", [PAYMENT_REFERENCE]),
    ("staff", f"/gestion/{PUBLISHED_YEAR}/dossiers.csv", [REOPEN_REASON]),
])
def test_csv_cells_never_start_a_formula(sec, scenario, isolated, role, path, expected):
    path = path.format(formula=scenario.formula_action.pk)
    response = client_as(sec, role).get(path)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv"), path
    rows = csv_rows(response)
    assert_no_formula(rows, path)
    cells = {cell for row in rows for cell in row}
    for text in expected:
        assert "'" + text in cells, f"{path}: {text!r} is not written as text"


def test_xlsx_cells_are_never_formulas(sec, scenario, isolated):
    from openpyxl import load_workbook

    response = client_as(sec, "anonymous").get("/opendata/arobase.xlsx")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    book = load_workbook(io.BytesIO(body))
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}: formula {cell.value!r}"
                values.append(cell.value)
    assert "'" + FORMULAS["title"] in values


def test_stored_text_is_kept_as_typed(sec, scenario, isolated):
    """Escaping happens on output: what people typed is stored as they typed it."""
    scenario.action.refresh_from_db()
    assert scenario.action.title == payload("title") and scenario.action.links == GOOD_LINK
    assert scenario.newcomer.last_name == payload("last-name")
