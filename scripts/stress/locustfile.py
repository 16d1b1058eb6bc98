"""Load of the stress test (`make stress`, run by scripts/stress.py): three kinds of users.

- Visitor: the public pages (home, palmarès, profiles, régions, statistics, Atlaas,
  search, actions, local actors, referential) and the open-data files.
- ApiClient: the read-only API under /api/v1/.
- Correspondent: logs in through the real login form (its own account, correspondent of
  its own territory, prepared by the runner), then writes action sheets (new ones and
  edits, each with a unique marker) and its dossier (chosen actions and every answer
  marked with the save's marker), and submits the dossier once after a few saves. Every
  form is read from the page (CSRF token, field names, choices), filled in, posted.

Every write is recorded in the journal file the runner reads afterwards, first as an
"attempt" (what was sent), then "ok" once the answer proves it was taken, or "failed"
(outcome unknown: the request failed). The runner checks the database against it: each
edit a user was told succeeded is stored whole, and nothing else is there. Every request
is also written to the request log (times, status), so that errors can be matched with
the faults the runner injects.

Configuration: the JSON file named by $STRESS_CONFIG (written by the runner).
"""

import itertools
import json
import os
import random
import re
import threading
import time
import uuid

from locust import HttpUser, between, events, task
from locust.exception import StopUser

import webforms

CONFIG_PATH = os.environ.get("STRESS_CONFIG")
if not CONFIG_PATH:
    raise SystemExit("STRESS_CONFIG is not set: run the load through scripts/stress.py (make stress).")
with open(CONFIG_PATH) as config_file:
    CONFIG = json.load(config_file)
CATALOG = CONFIG["catalog"]
TIMEOUT = CONFIG.get("timeout", 60)
_journal = open(CONFIG["journal"], "a", buffering=1)
_requests = open(CONFIG["requests"], "a", buffering=1)
_accounts = itertools.count()
_lock = threading.Lock()


def journal(**entry):
    entry["t"] = time.time()
    with _lock:
        _journal.write(json.dumps(entry, ensure_ascii=False) + "\n")


@events.request.add_listener
def log_request(request_type, name, response_time, response_length, response=None, exception=None, start_time=None, **_):
    status = getattr(response, "status_code", None)
    entry = {"start": start_time, "end": (start_time or 0) + response_time / 1000, "method": request_type, "name": name,
             "status": status, "error": str(exception)[:300] if exception else None}
    if exception and status:
        body = response.text or ""
        # A failure page must be the site's own, never a leaked traceback or debug page.
        entry["leak"] = "Traceback" in body or 'File "/' in body or "DisallowedHost" in body
        entry["error_page"] = "Une erreur est survenue" in body or "Something went wrong" in body  # French, or /en/
    with _lock:
        _requests.write(json.dumps(entry) + "\n")


class Site(HttpUser):
    abstract = True

    def fetch(self, url, name, expect=(200,), method="GET", contains=None, as_json=False, check=None, **kwargs):
        """A request judged as a user would: expected status, expected content, and
        `check(response)` returning what is wrong, if anything. The response, or None."""
        kwargs.setdefault("timeout", TIMEOUT)
        kwargs.setdefault("allow_redirects", False)
        with self.client.request(method, url, name=name, catch_response=True, **kwargs) as response:
            if response.status_code not in expect:
                response.failure(f"status {response.status_code}, expected {'/'.join(map(str, expect))}")
                return None
            if as_json:
                try:
                    response.json()
                except ValueError:
                    response.failure("not JSON")
                    return None
            if contains and contains not in response.text:
                response.failure(f"missing {contains!r}")
                return None
            if check and (problem := check(response)):
                response.failure(problem)
                return None
            response.success()
            return response


def redirects_to(path):
    return lambda response: None if response.headers.get("Location") == path else f"redirected to {response.headers.get('Location')}"


def pick(name):
    return random.choice(CATALOG[name])


class Visitor(Site):
    """Anonymous public pages and open-data files."""

    weight = 3
    wait_time = between(1, 4)

    @task(4)
    def home(self):
        self.fetch("/", "page /")

    @task(2)
    def palmares(self):
        self.fetch("/palmares/", "page /palmares/")
        self.fetch(f"/palmares/{pick('years')}/", "page /palmares/[year]/")

    @task(6)
    def profile(self):
        self.fetch(f"/territoires/{pick('territories')}/", "page /territoires/[code]/")

    @task(1)
    def profile_signs(self):
        code = pick("labelled")
        self.fetch(f"/territoires/{code}/badge.svg", "page /territoires/[code]/badge.svg")
        self.fetch(f"/territoires/{code}/panneau.svg", "page /territoires/[code]/panneau.svg")

    @task(1)
    def unknown_profile(self):
        self.fetch("/territoires/99999/", "page /territoires/[unknown]/ (404)", expect=(404,))

    @task(2)
    def region(self):
        self.fetch(f"/regions/{pick('regions')}/", "page /regions/[code]/")

    @task(2)
    def statistics(self):
        self.fetch("/statistiques/", "page /statistiques/")

    @task(3)
    def search(self):
        self.fetch(f"/territoires/?q={pick('searches')}", "page /territoires/?q=")

    @task(4)
    def atlaas(self):
        filters = random.choice([
            "", f"?q={pick('words')}", f"?region={pick('regions')}", f"?departement={pick('departements')}",
            f"?q={pick('words')}&status=en-cours",
        ])
        self.fetch(f"/atlaas/{filters}", "page /atlaas/?filters")

    @task(3)
    def action(self):
        self.fetch(f"/actions/{pick('actions')}/", "page /actions/[id]/")

    @task(1)
    def actors(self):
        self.fetch("/acteurs/", "page /acteurs/")
        if CATALOG["actors"]:
            self.fetch(f"/acteurs/{pick('actors')}/", "page /acteurs/[slug]/")

    @task(1)
    def static_pages(self):
        self.fetch(random.choice(["/le-label/", "/referentiel/", "/en/"]), "page /le-label/, /referentiel/, /en/")

    @task(2)
    def open_data(self):
        self.fetch("/opendata/", "opendata /opendata/")
        name = random.choice(["palmares.csv", "actions.csv", "actions.geojson", "referentiel.json", "datapackage.json"])
        self.fetch(f"/opendata/{name}", f"opendata /opendata/{name}")

    @task(1)
    def workbook(self):
        # Rewritten after every change of the published data (and the correspondents'
        # edits change it all the time): the heaviest public request.
        if random.random() < 0.25:
            self.fetch("/opendata/arobase.xlsx", "opendata /opendata/arobase.xlsx")


class ApiClient(Site):
    """The read-only JSON API."""

    weight = 1
    wait_time = between(0.5, 2)

    def api(self, path, name):
        self.fetch(f"/api/v1/{path}", f"api /api/v1/{name}", as_json=True)

    @task(3)
    def territories(self):
        self.api(f"territories?q={pick('searches')}", "territories?q=")

    @task(3)
    def territory(self):
        code = pick("territories")
        self.api(f"territories/{code}", "territories/[code]")
        self.api(f"territories/{code}/labels", "territories/[code]/labels")

    @task(1)
    def regions(self):
        self.api("regions", "regions")
        self.api(f"regions/{pick('regions')}", "regions/[code]")

    @task(2)
    def editions(self):
        year = pick("years")
        self.api("editions", "editions")
        self.api(f"editions/{year}", "editions/[year]")
        self.api(f"editions/{year}/palmares", "editions/[year]/palmares")

    @task(1)
    def referential(self):
        self.api("referential", "referential")

    @task(3)
    def actions(self):
        self.api(f"actions?page={random.randint(1, 5)}", "actions?page=")
        self.api(f"actions?q={pick('words')}", "actions?q=")
        self.api(f"actions/{pick('actions')}", "actions/[id]")

    @task(2)
    def aggregate(self):
        level = random.choice(["region", "departement", "commune"])
        self.api(f"actions/aggregate?level={level}", "actions/aggregate?level=")

    @task(1)
    def actors(self):
        self.api("actors", "actors")
        if CATALOG["actors"]:
            self.api(f"actors/{pick('actors')}", "actors/[slug]")


ACTION_URL = re.compile(r"^/espace/(?P<code>[^/]+)/actions/(?P<pk>\d+)/$")


class Correspondent(Site):
    """A correspondent of its own territory: action sheets and the dossier."""

    weight = 2
    wait_time = between(1, 3)

    def on_start(self):
        index = next(_accounts)
        if index >= len(CONFIG["accounts"]):
            raise StopUser()  # more correspondents than the runner prepared accounts for
        self.account = CONFIG["accounts"][index]
        self.code, self.year = self.account["territory"], self.account["year"]
        self.tag = f"{CONFIG['phase']}-u{index:03d}"
        self.actions = []  # ids of the sheets this user created (and knows of)
        self.saves, self.sequence = 0, 0
        self.submit_after = random.randint(*CONFIG["submit_after"]) if CONFIG.get("submit_after") else None
        self.submitted = False
        self.logged_in = False
        self.login()

    def marker(self):
        self.sequence += 1
        return f"{self.tag}-n{self.sequence:03d}-{uuid.uuid4().hex[:6]}"

    def login(self):
        page = self.fetch("/compte/connexion/", "login form", contains="csrfmiddlewaretoken")
        if page is None:
            return
        form = webforms.form_with(page.text, "username", page.url)
        data = form.values()
        data.update(username=self.account["email"], password=self.account["password"], next="/espace/")
        journal(kind="login", status="attempt", user=self.tag, territory=self.code)
        answer = self.fetch(form.action, "login (POST)", method="POST", data=data, expect=(302,), check=redirects_to("/espace/"))
        if answer is not None:
            self.logged_in = True
            journal(kind="login", status="ok", user=self.tag, territory=self.code)
        else:
            journal(kind="login", status="failed", user=self.tag, territory=self.code)

    def ensure_logged_in(self):
        if not self.logged_in:
            self.login()
        return self.logged_in

    # Reading one's space ----------------------------------------------------------------

    @task(2)
    def my_space(self):
        if not self.ensure_logged_in():
            return
        self.fetch("/espace/", "space /espace/", contains=self.account["territory_name"])
        self.fetch(f"/espace/{self.code}/actions/", "space /espace/[code]/actions/")

    # Action sheets ------------------------------------------------------------------

    def action_values(self, form, marker, keep_services=False):
        data = form.values()
        status = random.choice(["en-cours", "prevue"])
        fields = {
            "title": f"Stress {marker}",
            "subtitle": f"Sous-titre {marker}",
            "summary": f"Synthèse de l'action {marker} : ce qu'elle apporte aux habitants.",
            "done": f"- étape **{marker}**\n- et une autre",
            "status": status,
            "started": f"202{random.randint(3, 5)}-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}",
            "ended": "",
        }
        data.update(fields)
        services = data.get("services") if keep_services and data.get("services") else None
        if services is None:
            services = random.sample(form.choices["services"], random.randint(1, 3))
        data["services"] = services if isinstance(services, list) else [services]
        fields["services"] = sorted(int(s) for s in data["services"])
        return data, fields

    @task(2)
    def create_action(self):
        if not self.ensure_logged_in():
            return
        page = self.fetch(f"/espace/{self.code}/actions/nouvelle/", "action form (new)", contains="csrfmiddlewaretoken")
        if page is None:
            return
        form = webforms.form_with(page.text, "title", page.url)
        marker = self.marker()
        data, fields = self.action_values(form, marker)
        journal(kind="action_create", status="attempt", user=self.tag, territory=self.code, marker=marker, fields=fields)
        answer = self.fetch(form.action, "action create (POST)", method="POST", data=data, expect=(302,),
                            check=lambda r: None if ACTION_URL.match(r.headers.get("Location", "")) else f"not saved: {r.headers.get('Location')}")
        match = ACTION_URL.match(answer.headers["Location"]) if answer is not None else None
        if match is None:
            journal(kind="action_create", status="failed", user=self.tag, territory=self.code, marker=marker)
            return
        pk = int(match["pk"])
        journal(kind="action_create", status="ok", user=self.tag, territory=self.code, marker=marker, id=pk, fields=fields)
        self.actions.append(pk)
        self.fetch(answer.headers["Location"], "action form (edit)", contains=marker)

    @task(4)
    def edit_action(self):
        if not self.ensure_logged_in():
            return
        if not self.actions:
            return self.create_action()
        pk = random.choice(self.actions)
        url = f"/espace/{self.code}/actions/{pk}/"
        page = self.fetch(url, "action form (edit)", contains="csrfmiddlewaretoken")
        if page is None:
            return
        form = webforms.form_with(page.text, "title", page.url)
        marker = self.marker()
        data, fields = self.action_values(form, marker, keep_services=random.random() < 0.5)
        journal(kind="action_edit", status="attempt", user=self.tag, territory=self.code, marker=marker, id=pk, fields=fields,
                version=int(data["version"]))
        answer = self.fetch(form.action, "action edit (POST)", method="POST", data=data, expect=(302,), check=redirects_to(url))
        if answer is None:
            journal(kind="action_edit", status="failed", user=self.tag, territory=self.code, marker=marker, id=pk)
            return
        journal(kind="action_edit", status="ok", user=self.tag, territory=self.code, marker=marker, id=pk, fields=fields)

    # The dossier --------------------------------------------------------------------------

    @task(3)
    def dossier(self):
        if not self.ensure_logged_in() or self.submitted:
            return
        url = f"/espace/{self.code}/dossier/{self.year}/"
        page = self.fetch(url, "dossier page", contains="csrfmiddlewaretoken",
                          check=lambda r: None if 'name="question-' in r.text or "Actions déposées" in r.text else "no dossier form")
        if page is None:
            return
        form = webforms.form_with(page.text, "question-", page.url)
        if form is None:  # frozen: a submission whose answer was lost did happen
            journal(kind="dossier_submit", status="seen", user=self.tag, territory=self.code)
            self.submitted = True
            return
        if self.ready_to_submit(page):
            return self.submit(page)
        marker = self.marker()
        data = form.values()
        offered = form.choices.get("actions", [])
        chosen = random.sample(offered, random.randint(1, len(offered))) if offered else []
        data["actions"] = chosen
        answers = {}
        for name in [n for n in data if n.startswith("question-")]:
            data[name] = answers[name.removeprefix("question-")] = f"Réponse {marker} ({name})"
        entry = dict(kind="dossier_save", user=self.tag, territory=self.code, year=self.year, marker=marker)
        journal(status="attempt", actions=sorted(int(a) for a in chosen), answers=answers, **entry)
        answer = self.fetch(form.action, "dossier save (POST)", method="POST", data=data, expect=(302,), check=redirects_to(url))
        if answer is None:
            journal(status="failed", **entry)
            return
        shown = self.fetch(url, "dossier page", contains="Dossier enregistré.")
        if shown is None:
            journal(status="failed", **entry)
            return
        journal(status="ok", **entry)
        self.saves += 1
        if self.ready_to_submit(shown):
            self.submit(shown)

    def ready_to_submit(self, page):
        """After a few saves, once the page says nothing blocks the submission."""
        return self.submit_after is not None and self.saves >= self.submit_after and "Rien : le dossier peut être déposé" in page.text

    def submit(self, page):
        form = webforms.form_with(page.text, "submit", page.url)
        url = f"/espace/{self.code}/dossier/{self.year}/"
        entry = dict(kind="dossier_submit", user=self.tag, territory=self.code, year=self.year)
        journal(status="attempt", **entry)
        answer = self.fetch(form.action, "dossier submit (POST)", method="POST", data=form.values(), expect=(302,), check=redirects_to(url))
        shown = self.fetch(url, "dossier page", contains="Dossier déposé.") if answer is not None else None
        if shown is None:
            journal(status="failed", **entry)
            return
        journal(status="ok", **entry)
        self.submitted = True
