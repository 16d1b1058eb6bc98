#!/usr/bin/env python
"""Load and fault tests (`make stress`): Arobase under gunicorn as in production, on a
fresh database, with concurrent visitors, API clients and correspondents.

1. Load: locust (scripts/stress/locustfile.py) for --duration seconds with --users
   concurrent users; zero errors allowed; p50/p95/p99 per request type and in total;
   then every edit the users were told succeeded is checked in the database, whole
   (action sheets, dossier answers and chosen actions, submissions), and nothing else
   is there.
2. PostgreSQL restarted during a load (a private cluster started here on its own port,
   never the machine's shared server): a restart (`pg_ctl restart -m fast`), then a
   crash (`pg_ctl stop -m immediate`) and start. Requests during the outages may fail,
   with the site's own error page (no traceback); afterwards the same gunicorn (same
   workers) answers again; the same checks of the users' writes.
3. A gunicorn worker killed (SIGKILL) in the middle of a dossier submission, and of a
   draft save: a lock held by this script from another connection stops the request
   inside its transaction (or just after its commit), the worker handling it is found
   and killed, the lock released. The submission happened whole or not at all, and a
   retry succeeds. Also: a draft save racing a submission never undoes it.

Usage: scripts/stress.py [--quick] [--database postgres|sqlite] [--users N]
[--duration S] [--keep]. Exit status 0 only if every check passed. The results go to
bench/results/stress-<date>.md (date, machine, commit, latencies, checks).
"""

import argparse
import collections
import contextlib
import datetime
import hashlib
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STRESS_DIR = ROOT / "scripts" / "stress"
LOCUSTFILE = STRESS_DIR / "locustfile.py"
sys.path[:0] = [str(ROOT), str(STRESS_DIR)]

import webforms  # noqa: E402  (scripts/stress/webforms.py)

from tests.support.servers import PrivatePostgres, free_port, postgres_binaries  # noqa: E402

PASSWORD = "charge-Arobase-2024!"  # the stress accounts' password (a throwaway database)
DATABASE_NAME = "arobase_stress"
LOCK_WAIT = 30  # seconds to see a request stopped by a lock
SERVER_ERRORS = ("Traceback", "[ERROR]", "[CRITICAL]", "WORKER TIMEOUT")


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# Options ----------------------------------------------------------------------------------

def options(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres",
                        help="a private PostgreSQL cluster (default) or an SQLite file")
    parser.add_argument("--quick", action="store_true", help="reduced run for CI: 20 users, 15 s of load, 20 s of faults")
    parser.add_argument("--users", type=int, help="concurrent users of the load phase (default 50, --quick 20)")
    parser.add_argument("--duration", type=int, help="seconds of the load phase (default 60, --quick 15)")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second (default 10)")
    parser.add_argument("--fault-users", type=int, help="concurrent users while PostgreSQL restarts (default: --users)")
    parser.add_argument("--fault-duration", type=int, help="seconds of load around the restarts (default 30, --quick 20)")
    parser.add_argument("--actions", type=int, default=2000, help="demo action sheets (default 2000)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--skip-faults", action="store_true", help="the load phase only")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results", help="folder of the results file")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs, journals, database) afterwards")
    args = parser.parse_args(argv)
    args.users = args.users or (20 if args.quick else 50)
    args.duration = args.duration or (15 if args.quick else 60)
    args.fault_users = args.fault_users or args.users
    args.fault_duration = args.fault_duration or (20 if args.quick else 30)
    return args


# Report -----------------------------------------------------------------------------------

class Report:
    """Checks (name, passed, detail) and tables, printed and written as Markdown."""

    def __init__(self):
        self.checks, self.sections, self.timings = [], [], {}

    def check(self, name, passed, detail=""):
        self.checks.append((name, bool(passed), detail))
        log(f"{'PASS' if passed else 'FAIL'} {name}{(': ' + detail) if detail else ''}")
        return passed

    def section(self, title, lines):
        self.sections.append((title, lines))
        print(f"\n## {title}\n" + "\n".join(lines) + "\n", flush=True)

    @property
    def passed(self):
        return all(passed for _, passed, _ in self.checks)


def percentile(sorted_values, fraction):
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return 0.0
    rank = max(1, int(-(-fraction * len(sorted_values) // 1)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def latency_table(requests, duration):
    """Markdown table: p50/p95/p99/max per request type, per group, and in total."""
    by_name, by_group = collections.defaultdict(list), collections.defaultdict(list)
    for request in requests:
        by_name[request["name"]].append(request)
        by_group[request["name"].split(" ")[0]].append(request)

    def row(label, items):
        times = sorted((r["end"] - r["start"]) * 1000 for r in items)
        failures = sum(1 for r in items if r["error"])
        return (f"| {label} | {len(items)} | {failures} | {len(items) / duration:.1f} | {percentile(times, .5):.0f} | "
                f"{percentile(times, .95):.0f} | {percentile(times, .99):.0f} | {times[-1] if times else 0:.0f} |")

    lines = ["| request | count | failures | req/s | p50 ms | p95 ms | p99 ms | max ms |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    lines += [row(name, by_name[name]) for name in sorted(by_name)]
    lines += [row(f"**{group} (all)**", by_group[group]) for group in sorted(by_group)]
    lines.append(row("**total**", requests))
    return lines


# Servers ------------------------------------------------------------------------------------

class Database:
    """The stress run's database: a private PostgreSQL cluster or an SQLite file."""

    def __init__(self, kind, folder):
        self.kind = kind
        self.postgres = None
        if kind == "postgres":
            if postgres_binaries() is None:
                raise SystemExit("No PostgreSQL binaries under /usr/lib/postgresql/*/bin: install postgresql, or use --database sqlite.")
            self.postgres = PrivatePostgres().start()
            self.postgres.create_database(DATABASE_NAME)
            self.url = self.postgres.url(DATABASE_NAME)
        else:
            self.path = folder / "arobase.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def describe(self):
        if self.postgres:
            with self.connect() as connection:
                return "PostgreSQL " + connection.execute("SHOW server_version").fetchone()[0].split(" ")[0] + " (private cluster)"
        return f"SQLite {sqlite3.sqlite_version}"

    def connect(self, autocommit=True):
        import psycopg

        return psycopg.connect(self.url, autocommit=autocommit)

    def pg_ctl(self, *args):
        self.postgres._run("pg_ctl", "-D", str(self.postgres.data), "-l", str(self.postgres.folder / "log"), *args)

    def crash_and_start(self, down_seconds):
        """Stop as a crash would (no shutdown checkpoint), stay down, start (crash recovery)."""
        self.pg_ctl("-m", "immediate", "-w", "stop")
        time.sleep(down_seconds)
        pg = self.postgres
        self.pg_ctl("-w", "-o", f"-p {pg.port} -k {pg.folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self):
        if self.postgres:
            self.postgres.stop()


class Server:
    """gunicorn as in production (README, Deployment): sync workers, --timeout 120."""

    def __init__(self, env, workers, folder):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.stdout_path, self.stderr_path = folder / "gunicorn.out", folder / "gunicorn.err"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "arobase.wsgi", "--workers", str(workers), "--timeout", "120",
             "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"],
            env=env, cwd=folder, stdout=open(self.stdout_path, "wb"), stderr=open(self.stderr_path, "wb"),
        )
        self.wait_ready(workers)

    def ping(self):
        try:
            with urllib.request.urlopen(self.base + "/ping", timeout=5) as response:
                return response.status == 200
        except OSError:
            return False

    def workers(self):
        import psutil

        return sorted(child.pid for child in psutil.Process(self.process.pid).children() if child.is_running())

    def wait_ready(self, workers, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.stderr_path.read_text()[-2000:]}")
            if len(self.workers()) == workers and self.ping():
                time.sleep(0.5)
                if self.ping():
                    return
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not get ready")

    def log_text(self):
        return self.stderr_path.read_text(errors="replace")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def worker_with_local_port(server, port):
    """The worker holding a TCP connection whose local port is `port`."""
    import psutil

    for pid in server.workers():
        with contextlib.suppress(psutil.Error):
            for connection in psutil.Process(pid).net_connections(kind="tcp"):
                if connection.laddr and connection.laddr.port == port:
                    return pid
    return None


def worker_serving_a_client(server):
    """The worker with an open HTTP connection from a client (only one request in flight)."""
    import psutil

    for pid in server.workers():
        with contextlib.suppress(psutil.Error):
            for connection in psutil.Process(pid).net_connections(kind="tcp"):
                if connection.status == psutil.CONN_ESTABLISHED and connection.laddr and connection.laddr.port == server.port:
                    return pid
    return None


# Preparation ------------------------------------------------------------------------------

def run_command(env, *args, timeout=900):
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "arobase", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if result.returncode:
        raise RuntimeError(f"arobase {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return time.monotonic() - started


def static_files(env, var_dir):
    """collectstatic, kept between runs in var/stress-static/<hash of the sources> (it
    compresses every file: a minute or two on a busy machine), linked into the var dir."""
    from importlib.metadata import version

    digest = hashlib.sha256(f"{version('django')}|{version('whitenoise')}".encode())
    for path in sorted(p for p in (ROOT / "arobase").rglob("*") if p.is_file() and "static" in p.relative_to(ROOT).parts):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    parent = ROOT / "var" / "stress-static"
    cache = parent / digest.hexdigest()[:16]
    if not (cache / "staticfiles.json").exists():
        parent.mkdir(parents=True, exist_ok=True)
        collect_dir = Path(tempfile.mkdtemp(prefix=".collect-", dir=parent))
        try:
            run_command({**env, "AROBASE_VAR_DIR": str(collect_dir)}, "collectstatic", "--noinput", "--verbosity", "0")
            for old in parent.iterdir():  # files of older sources
                if old != collect_dir and not old.name.startswith("."):
                    shutil.rmtree(old, ignore_errors=True)
            (collect_dir / "static").rename(cache)
        finally:
            shutil.rmtree(collect_dir, ignore_errors=True)
    (var_dir / "static").symlink_to(cache)


def prepare_accounts(phases):
    """For each phase, its correspondents: one account per virtual user, each the only
    correspondent of its own commune (none with demo actions), with a draft dossier in
    the edition taking candidatures. Made with the app's own functions."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.db import transaction

    from arobase.accounts import roles
    from arobase.accounts.models import Attachment
    from arobase.actions.models import Action
    from arobase.dossiers import filing
    from arobase.dossiers.models import Dossier
    from arobase.labels import season
    from arobase.labels.models import Edition
    from arobase.territories.models import Territory

    edition = Edition.objects.filter(phase=season.CANDIDATURES).order_by("-year").first()
    busy = (set(Action.objects.values_list("territory_id", flat=True).distinct())
            | set(Dossier.objects.filter(edition=edition).values_list("territory_id", flat=True))
            | set(Attachment.objects.values_list("territory_id", flat=True)))
    total = sum(count for _, count in phases)
    territories = list(Territory.objects.filter(kind="commune", population__gt=0).exclude(pk__in=busy).order_by("-population", "code")[:total])
    password = make_password(PASSWORD)  # one hash for all: Argon2 takes a while per account
    accounts, territories = {}, iter(territories)
    with transaction.atomic():
        for phase, count in phases:
            accounts[phase] = []
            for index in range(count):
                territory = next(territories)
                email = f"{phase}-{index:03d}@stress.arobase.test"
                user = User.objects.create(username=email, email=email, first_name="Charge", last_name=f"{phase} {index}", password=password)
                roles.attach_directly(user, territory, None, verb="rattachement (test de charge)")
                filing.dossier_for(edition, territory)
                accounts[phase].append({"email": email, "password": PASSWORD, "territory": territory.code,
                                        "territory_name": territory.name, "year": edition.year})
    return accounts


def catalog():
    """What the public users ask for: real codes, years, ids and words of this database."""
    import random

    from arobase.actions.models import Action, Actor
    from arobase.labels.models import Edition, Label
    from arobase.territories.models import Territory

    rng = random.Random(7)
    labelled = list(Label.objects.order_by().values_list("territory__code", flat=True).distinct())
    communes = list(Territory.objects.filter(kind="commune").values_list("code", flat=True))
    titles = list(Action.objects.published().values_list("title", flat=True)[:400])
    words = sorted({w.strip(",.:;«»()").lower() for t in titles for w in t.split() if len(w) > 5})
    names = list(Territory.objects.filter(kind="commune", population__gt=20000).values_list("name", flat=True))
    return {
        "territories": rng.sample(labelled, min(400, len(labelled))) + rng.sample(communes, 100),
        "labelled": rng.sample(labelled, min(200, len(labelled))),
        "years": list(Edition.objects.filter(phase="publie", labels__isnull=False).distinct().values_list("year", flat=True)),
        "regions": list(Territory.objects.filter(kind="region").values_list("code", flat=True)),
        "departements": list(Territory.objects.filter(kind="departement").values_list("code", flat=True)),
        "actions": list(Action.objects.published().order_by("?").values_list("pk", flat=True)[:500]),
        "actors": list(Actor.objects.order_by("?").values_list("slug", flat=True)[:200]),
        "searches": [n.split(" ")[0].split("-")[0] for n in rng.sample(names, min(60, len(names)))] + ["59368", "lunel", "saint", "34400"],
        "words": rng.sample(words, min(60, len(words))) or ["numerique"],
    }


# Load ---------------------------------------------------------------------------------------

class Load:
    """One locust run: config, journal of writes, log of requests."""

    def __init__(self, run, phase, users, duration, accounts, submit_after):
        self.phase, self.users, self.duration = phase, users, duration
        folder = run.folder / phase
        folder.mkdir()
        self.folder = folder
        self.journal_path, self.requests_path = folder / "journal.jsonl", folder / "requests.jsonl"
        config = {"phase": phase, "accounts": accounts, "catalog": run.catalog, "journal": str(self.journal_path),
                  "requests": str(self.requests_path), "submit_after": submit_after, "timeout": 90}
        (folder / "config.json").write_text(json.dumps(config, ensure_ascii=False))
        command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "-u", str(users), "-r", str(run.args.spawn_rate),
                   "-t", f"{duration}s", "--host", run.server.base, "--csv", str(folder / "locust"), "--only-summary",
                   "--stop-timeout", "60", "--exit-code-on-error", "0", "--loglevel", "WARNING"]
        self.started = time.time()
        self.process = subprocess.Popen(command, env={**run.env, "STRESS_CONFIG": str(folder / "config.json")}, cwd=STRESS_DIR,
                                        stdout=open(folder / "locust.log", "wb"), stderr=subprocess.STDOUT)

    def wait(self):
        try:
            code = self.process.wait(timeout=self.duration + 180)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise RuntimeError(f"locust did not stop: see {self.folder / 'locust.log'}") from None
        self.ended = time.time()
        if code:
            raise RuntimeError(f"locust failed ({code}): {(self.folder / 'locust.log').read_text()[-3000:]}")
        return self

    def requests(self):
        return [json.loads(line) for line in self.requests_path.read_text().splitlines() if line.strip()]

    def journal(self):
        if not self.journal_path.exists():
            return []
        return [json.loads(line) for line in self.journal_path.read_text().splitlines() if line.strip()]


# Consistency of the writes ------------------------------------------------------------------

def check_writes(entries, accounts, faults):
    """Compare the database with the journal of one phase. Returns (problems, counts).

    For each sheet and dossier, the stored state must be the last one the user was told
    was saved, or (only where a request failed, its outcome unknown to the user) one
    that was sent after it, whole. A dossier's chosen actions and its answers must come
    from the same save; a submission the user was told about must be there, whole."""
    from django.db import connections

    from arobase.actions.models import Action
    from arobase.dossiers import rules as dossier_rules
    from arobase.dossiers.models import Dossier
    from arobase.journal.models import Entry

    connections.close_all()  # a restarted server closed this process's connection too
    problems, counts = [], collections.Counter()
    by_territory = collections.defaultdict(list)
    for entry in sorted((e for e in entries if e["kind"] != "login"), key=lambda e: e["t"]):
        by_territory[entry["territory"]].append(entry)
    for account in accounts:
        code, year = account["territory"], account["year"]
        mine = by_territory.get(code, [])
        outcome = {}  # marker -> "ok" / "failed"
        sent = {}  # marker -> the attempt
        for entry in mine:
            if entry["kind"] == "dossier_submit":
                continue
            if entry["status"] == "attempt":
                sent[entry["marker"]] = entry
            else:
                outcome[entry["marker"]] = entry["status"]
                if entry["kind"] == "action_create" and entry["status"] == "ok":
                    sent[entry["marker"]]["id"] = entry["id"]
        for marker, status in outcome.items():
            counts[f"{sent[marker]['kind']} {status}"] += 1
        for marker in set(sent) - set(outcome):
            counts[f"{sent[marker]['kind']} unanswered"] += 1

        # Action sheets.
        history = collections.defaultdict(list)  # id -> markers sent, in order
        for marker, entry in sent.items():
            if entry["kind"] in ("action_create", "action_edit") and entry.get("id"):
                history[entry["id"]].append(marker)
        stored = {a.pk: a for a in Action.objects.filter(territory__code=code, territory__kind="commune").prefetch_related("services").select_related("territory")}
        unknown_creates = {f"Stress {m}": m for m, e in sent.items() if e["kind"] == "action_create" and outcome.get(m) != "ok"}
        for pk, action in stored.items():
            counts["sheets checked"] += 1
            if action.search_document != action.searchable_text():
                problems.append(f"{code} action {pk}: search document out of date")
            if pk not in history:
                if faults and action.title in unknown_creates:
                    counts["sheets created by a request that failed"] += 1
                    continue
                problems.append(f"{code} action {pk} « {action.title} »: not created by a successful request of the journal")
                continue
            markers = sorted(history[pk], key=lambda m: sent[m]["t"])
            oks = [i for i, m in enumerate(markers) if outcome.get(m) == "ok"]
            allowed = markers[oks[-1]:] if oks else markers
            state = {
                "title": action.title, "subtitle": action.subtitle, "summary": action.summary, "done": action.done,
                "status": action.status, "started": action.started.isoformat() if action.started else "", "ended": "",
                "services": sorted(s.pk for s in action.services.all()),
            }
            if not any(state == sent[m]["fields"] for m in allowed):
                problems.append(f"{code} action {pk}: stored « {action.title} » {state['services']} is not the last successful edit "
                                f"{markers[oks[-1]] if oks else '(none)'} (or a later failed one)")
            edits_ok = sum(1 for m in markers if sent[m]["kind"] == "action_edit" and outcome.get(m) == "ok")
            edits_sent = sum(1 for m in markers if sent[m]["kind"] == "action_edit")
            if not 1 + edits_ok <= action.version <= 1 + edits_sent:
                problems.append(f"{code} action {pk}: version {action.version}, expected {1 + edits_ok}…{1 + edits_sent}")
            created = Entry.objects.filter(territory__code=code, verb=f"action créée : {sent[markers[0]]['fields']['title']}").count()
            if created != 1:
                problems.append(f"{code} action {pk}: {created} journal events of its creation")
        for marker, entry in sent.items():
            if entry["kind"] == "action_create" and outcome.get(marker) == "ok" and entry["id"] not in stored:
                problems.append(f"{code}: sheet {entry['id']} « Stress {marker} » reported created, missing")

        # The dossier.
        dossier = Dossier.objects.get(edition_id=year, territory__code=code, territory__kind="commune")
        counts["dossiers checked"] += 1
        saves = [m for m, e in sorted(sent.items(), key=lambda item: item[1]["t"]) if e["kind"] == "dossier_save"]
        oks = [i for i, m in enumerate(saves) if outcome.get(m) == "ok"]
        initial = {"answers": {}, "actions": []}
        candidates = [{"answers": sent[m]["answers"], "actions": sent[m]["actions"]} for m in (saves[oks[-1]:] if oks else saves)]
        if not oks:
            candidates.append(initial)
        chosen = sorted(dossier.actions.values_list("pk", flat=True))
        state = {"answers": dossier.answers, "actions": chosen}
        if state not in candidates:
            everything = [initial] + [{"answers": sent[m]["answers"], "actions": sent[m]["actions"]} for m in saves]
            if any(c["answers"] == state["answers"] for c in everything) and any(c["actions"] == chosen for c in everything):
                problems.append(f"{code} dossier HALF-WRITTEN: its answers and its actions come from different saves")
            else:
                problems.append(f"{code} dossier: stored state is not the last successful save (or a later failed one)")
        submits = [e["status"] for e in mine if e["kind"] == "dossier_submit"]
        told = "ok" in submits or "seen" in submits
        counts["submissions confirmed"] += told
        events = Entry.objects.filter(territory__code=code, verb__startswith=f"dossier {year} déposé").values_list("verb", flat=True)
        if dossier.state == dossier_rules.SUBMITTED:
            counts["dossiers submitted"] += 1
            if not submits:
                problems.append(f"{code} dossier submitted without any submission sent")
            snapshot_ids = sorted(item["id"] for item in dossier.snapshot or [])
            if not (dossier.submitted_at and dossier.submitted_by_id and snapshot_ids == chosen and snapshot_ids):
                problems.append(f"{code} dossier submitted but not whole: date {dossier.submitted_at}, snapshot {snapshot_ids}, actions {chosen}")
            if list(events) != [f"dossier {year} déposé ({len(chosen)} actions)"]:
                problems.append(f"{code} dossier submitted, journal events: {list(events)}")
        else:
            if told:
                problems.append(f"{code} LOST SUBMISSION: the user was told the dossier was submitted, it is « {dossier.state} »")
            if dossier.submitted_at or dossier.snapshot is not None or events:
                problems.append(f"{code} dossier « {dossier.state} » with traces of a submission: {dossier.submitted_at}, {list(events)}")
    # Nothing written elsewhere: the phase's users wrote only in their own territories.
    users = [account["email"] for account in accounts]
    own = {account["territory"] for account in accounts}
    elsewhere = (Action.objects.filter(author__email__in=users).exclude(territory__code__in=own).count()
                 + Entry.objects.filter(actor__email__in=users).exclude(territory__code__in=own).exclude(territory=None).count())
    if elsewhere:
        problems.append(f"{elsewhere} sheets or journal events of these users outside their own territories")
    return problems, counts


def writes_lines(counts):
    return [f"- {name}: {counts[name]}" for name in sorted(counts)]


# The run --------------------------------------------------------------------------------------

class Run:
    def __init__(self, args):
        self.args = args
        self.report = Report()
        self.folder = Path(tempfile.mkdtemp(prefix="arobase-stress-"))
        self.var = self.folder / "var"
        self.var.mkdir()
        self.database = self.server = None
        self.database_name = args.database
        self.started = time.time()

    # Setup
    def setup(self):
        args = self.args
        t0 = time.monotonic()
        log(f"work folder {self.folder}")
        self.database = Database(args.database, self.var)
        self.database_name = self.database.describe()
        log(f"database: {self.database_name} ({self.database.url})")
        self.env = {**os.environ, "DATABASE_URL": self.database.url, "DJANGO_SETTINGS_MODULE": "arobase.settings",
                    "AROBASE_VAR_DIR": str(self.var), "SECRET_KEY": secrets.token_urlsafe(50), "DEBUG": "0", "HTTPS": "0",
                    "ALLOWED_HOSTS": "127.0.0.1", "PYTHONUNBUFFERED": "1"}
        self.env.pop("CACHE_URL", None)
        for step in (["migrate", "--noinput"], ["import_territories"], ["demo", "--actions", str(args.actions)]):
            seconds = run_command(self.env, *step)
            log(f"arobase {' '.join(step)}: {seconds:.0f} s")
        os.environ.update({k: self.env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "AROBASE_VAR_DIR", "SECRET_KEY", "DEBUG", "HTTPS", "ALLOWED_HOSTS")})
        import django

        django.setup()
        started = time.monotonic()
        static_files(self.env, self.var)
        log(f"static files: {time.monotonic() - started:.0f} s")
        phases = [("load", args.users)]
        if not args.skip_faults:
            phases += [("restart", args.fault_users)] if args.database == "postgres" else []
            phases += [("kill", 4)]
        self.accounts = prepare_accounts(phases)
        self.catalog = catalog()
        self.server = Server(self.env, args.workers, self.folder)
        log(f"gunicorn on {self.server.base}, workers {self.server.workers()}")
        self.report.timings["setup"] = time.monotonic() - t0

    def teardown(self):
        if self.server:
            self.server.stop()
        if self.database:
            self.database.stop()
        if self.args.keep or not self.report.passed:
            log(f"work folder kept: {self.folder}")
        else:
            shutil.rmtree(self.folder, ignore_errors=True)

    # 1. Load
    def load_phase(self):
        args, report = self.args, self.report
        started = time.monotonic()
        log(f"load: {args.users} users for {args.duration} s")
        load = Load(self, "load", args.users, args.duration, self.accounts["load"], submit_after=[1, 3]).wait()
        requests = load.requests()
        failures = [r for r in requests if r["error"]]
        report.section(f"Load: {args.users} users, {args.duration} s ({args.database})", latency_table(requests, load.ended - load.started))
        report.check("load: requests made", len(requests) > args.users, f"{len(requests)} requests")
        report.check("load: zero errors", not failures, f"{len(failures)} failed" + (": " + "; ".join(
            f"{r['name']}: {r['error']}" for r in failures[:10]) if failures else ""))
        journal = load.journal()
        logins = collections.Counter(e["status"] for e in journal if e["kind"] == "login")
        writers = len({e["user"] for e in journal if e["kind"] != "login" and e["status"] == "ok"})
        report.check("load: every correspondent logged in", logins["attempt"] and logins["ok"] == logins["attempt"],
                     f"{logins['ok']} of {logins['attempt']} logins, {writers} correspondents wrote")
        problems, counts = check_writes(journal, self.accounts["load"], faults=False)
        unanswered = [k for k in counts if not k.endswith(" ok") and k.split(" ")[-1] in ("failed", "unanswered")]
        report.section("Load: writes checked in the database", writes_lines(counts) + [f"- problem: {p}" for p in problems[:30]])
        report.check("load: every successful edit stored whole, nothing else", not problems and not unanswered, f"{len(problems)} problems")
        report.check("load: writes happened", counts["action_create ok"] and counts["dossier_save ok"],
                     f"{counts['action_create ok']} sheets created, {counts['action_edit ok']} edited, {counts['dossier_save ok']} dossier saves, "
                     f"{counts['dossiers submitted']} submitted")
        errors = [line for line in self.server.log_text().splitlines() if any(word in line for word in SERVER_ERRORS)]
        report.check("load: no error in the server's log", not errors, "; ".join(errors[:5]))
        report.timings["load"] = time.monotonic() - started

    # 2. PostgreSQL restarted under load
    def restart_phase(self):
        args, report, database = self.args, self.report, self.database
        started = time.monotonic()
        duration = args.fault_duration
        workers_before = self.server.workers()
        log_before = len(self.server.log_text())
        log(f"restart: {args.fault_users} users for {duration} s, PostgreSQL restarted then crashed under them")
        load = Load(self, "restart", args.fault_users, duration, self.accounts["restart"], submit_after=[1, 2])
        windows = []
        time.sleep(max(0, load.started + duration * 0.3 - time.time()))
        begin = time.time()
        database.postgres.restart()
        windows.append(("pg_ctl restart -m fast", begin, time.time()))
        time.sleep(max(0, load.started + duration * 0.55 - time.time()))
        begin = time.time()
        database.crash_and_start(down_seconds=2)
        windows.append(("pg_ctl stop -m immediate, 2 s down, start", begin, time.time()))
        load.wait()
        requests = load.requests()
        grace = 2.0  # a request that started before the server was back may end just after

        def during_outage(request):
            return any(request["start"] <= end + grace and request["end"] >= begin - 0.5 for _, begin, end in windows)

        failures = [r for r in requests if r["error"]]
        outside = [r for r in failures if not during_outage(r)]
        leaks = [r for r in failures if r.get("leak")]
        not_error_page = [r for r in failures if r["status"] and r["status"] >= 500 and not r.get("error_page")]
        other_status = [r for r in failures if r["status"] and r["status"] < 500]
        no_answer = [r for r in failures if not r["status"]]
        last_end = windows[-1][2] + grace
        after = [r for r in requests if r["start"] > last_end]
        lines = [f"- {name}: {begin - load.started:.1f} s → {end - load.started:.1f} s after the start ({end - begin:.1f} s)" for name, begin, end in windows]
        lines += [f"- requests: {len(requests)}, failed: {len(failures)} (all during the outages: {not outside}), "
                  f"answered 5xx with the error page: {sum(1 for r in failures if r.get('error_page'))}, without an answer: {len(no_answer)}",
                  f"- after the last outage (+{grace:.0f} s): {len(after)} requests, {sum(1 for r in after if r['error'])} failed", ""]
        report.section(f"PostgreSQL restarted under load: {args.fault_users} users, {duration} s", lines + latency_table(requests, load.ended - load.started))
        report.check("restart: errors only during the outages", not outside, "; ".join(f"{r['name']} {r['status']} {r['error']}" for r in outside[:5]))
        report.check("restart: failures are the site's error page, no traceback", not leaks and not not_error_page and not other_status,
                     f"{len(leaks)} leaks, {len(not_error_page)} 5xx without the error page, {len(other_status)} other statuses")
        report.check("restart: the application answers again without a restart",
                     len(after) >= 5 and not any(r["error"] for r in after) and self.server.workers() == workers_before,
                     f"{len(after)} requests after, workers {workers_before} → {self.server.workers()}")
        writes_after = [e for e in load.journal() if e["status"] == "ok" and e["t"] > last_end]
        report.check("restart: correspondents write again after the outages", writes_after, f"{len(writes_after)} successful writes after")
        problems, counts = check_writes(load.journal(), self.accounts["restart"], faults=True)
        report.section("PostgreSQL restarted: writes checked in the database", writes_lines(counts) + [f"- problem: {p}" for p in problems[:30]])
        report.check("restart: no lost or half-written edit, no lost submission", not problems, f"{len(problems)} problems")
        errors = logged_errors(self.server.log_text()[log_before:])
        others = {name: count for name, count in errors.items() if name not in DATABASE_DOWN}
        report.check("restart: the server logged only database-connection errors", not others,
                     ", ".join(f"{count} {name}" for name, count in (others or errors).items()))
        report.timings["restart"] = time.monotonic() - started

    # 3. Workers killed in the middle of a write
    def kill_phase(self):
        started = time.monotonic()
        log("kill: workers killed in the middle of dossier submissions and saves")
        scenarios = Kills(self)
        log_before = len(self.server.log_text())
        accounts = iter(self.accounts["kill"])
        scenarios.before_commit(next(accounts))
        scenarios.after_commit(next(accounts))
        scenarios.draft_save(next(accounts))
        if self.args.database == "postgres":
            scenarios.save_racing_submission(next(accounts))
        self.report.section("Workers killed in the middle of a write", scenarios.lines)
        server_log = self.server.log_text()[log_before:]
        unexpected = [line for line in server_log.splitlines() if any(word in line for word in SERVER_ERRORS)
                      and not any(f"Worker (pid:{pid}) was sent SIGKILL" in line for pid in scenarios.killed)]
        self.report.check("kill: nothing in the server's log but the workers killed", not unexpected, "; ".join(unexpected[:5]))
        self.report.timings["kill"] = time.monotonic() - started


DATABASE_DOWN = ("django.db.utils.OperationalError", "django.db.utils.InterfaceError", "psycopg.OperationalError",
                 "psycopg.InterfaceError", "psycopg.errors.AdminShutdown", "psycopg.errors.CannotConnectNow")


def logged_errors(server_log):
    """The final exception of every error the server logged (one per failed request)."""
    finals, current = [], None
    for line in server_log.splitlines():
        if line.startswith(("Internal Server Error:", "[")):  # a new record: Django's, or gunicorn's own
            if current:
                finals.append(current)
            current = None
        elif not line.startswith((" ", "\t")) and re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Shutdown|Now|Exit)\b.*?:", line):
            current = line.split(":", 1)[0]
    if current:
        finals.append(current)
    return collections.Counter(finals)


# Kills ------------------------------------------------------------------------------------------

class Browser:
    """A correspondent's browser, outside locust: the same forms."""

    def __init__(self, base, account=None, cookies=None):
        import requests

        self.base, self.account = base, account
        self.session = requests.Session()
        if cookies:
            self.session.cookies.update(cookies)

    def get(self, path):
        response = self.session.get(self.base + path, timeout=60, allow_redirects=False)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path}: {response.status_code}")
        return response

    def post(self, form, data, timeout=60):
        return self.session.post(form.action, data=data, timeout=timeout, allow_redirects=False)

    def login(self):
        page = self.get("/compte/connexion/")
        form = webforms.form_with(page.text, "username", page.url)
        answer = self.post(form, {**form.values(), "username": self.account["email"], "password": self.account["password"]})
        if answer.status_code != 302:
            raise RuntimeError(f"login failed: {answer.status_code}")
        return self

    def create_action(self, title):
        code = self.account["territory"]
        page = self.get(f"/espace/{code}/actions/nouvelle/")
        form = webforms.form_with(page.text, "title", page.url)
        data = {**form.values(), "title": title, "summary": f"Synthèse {title}", "status": "en-cours", "started": "2024-09-01",
                "services": form.choices["services"][:2]}
        answer = self.post(form, data)
        if answer.status_code != 302:
            raise RuntimeError(f"action not created: {answer.status_code}")
        return int(answer.headers["Location"].rstrip("/").rsplit("/", 1)[1])

    def dossier_url(self):
        return f"/espace/{self.account['territory']}/dossier/{self.account['year']}/"

    def save_form(self, actions, marker):
        """(form, data) of a draft save choosing `actions`, every answer marked."""
        page = self.get(self.dossier_url())
        form = webforms.form_with(page.text, "question-", page.url)
        data = {**form.values(), "actions": [str(a) for a in actions]}
        answers = {}
        for name in [n for n in data if n.startswith("question-")]:
            data[name] = answers[name.removeprefix("question-")] = f"Réponse {marker} ({name})"
        return form, data, answers

    def save(self, actions, marker):
        form, data, answers = self.save_form(actions, marker)
        answer = self.post(form, data)
        if answer.status_code != 302 or "Dossier enregistré." not in self.get(self.dossier_url()).text:
            raise RuntimeError("dossier not saved")
        return answers

    def submit_form(self):
        page = self.get(self.dossier_url())
        return webforms.form_with(page.text, "submit", page.url), page.text


class InFlight(threading.Thread):
    """A POST sent in the background; its answer or exception afterwards."""

    def __init__(self, browser, form, data):
        super().__init__(daemon=True)
        self.browser, self.form, self.data = browser, form, data
        self.answer = self.error = None
        self.start()

    def run(self):
        try:
            self.answer = self.browser.post(self.form, self.data, timeout=120)
        except Exception as error:  # noqa: BLE001 — the worker was killed: the connection drops
            self.error = error

    def outcome(self):
        self.join(120)
        return f"answer {self.answer.status_code}" if self.answer is not None else f"no answer ({type(self.error).__name__})"


class Kills:
    def __init__(self, run):
        self.run, self.report, self.server, self.database = run, run.report, run.server, run.database
        self.postgres = run.database.kind == "postgres"
        self.lines, self.killed = [], []

    # Locks held by this script, from another connection.
    @contextlib.contextmanager
    def lock(self, statement):
        if self.postgres:
            connection = self.database.connect(autocommit=False)
            connection.execute("SET lock_timeout = '20s'")
            connection.execute(statement)
        else:
            connection = sqlite3.connect(self.database.path, isolation_level=None, timeout=20)
            connection.execute("BEGIN IMMEDIATE")  # the only lock SQLite has: writers wait
        try:
            yield connection
        finally:
            connection.rollback() if self.postgres else connection.execute("ROLLBACK")
            connection.close()

    def blocked_backend(self, holder, count=1):
        """The backends of this database waiting for a lock (PostgreSQL), once `count` are."""
        deadline = time.monotonic() + LOCK_WAIT
        with self.database.connect() as connection:
            holder_pid = holder.info.backend_pid
            while time.monotonic() < deadline:
                rows = connection.execute(
                    "SELECT pid, client_port, query FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock' AND pid <> %s",
                    [DATABASE_NAME, holder_pid]).fetchall()
                if len(rows) >= count:
                    return rows
                time.sleep(0.05)
        raise RuntimeError("no request stopped by the lock")

    def wait_backend_gone(self, pid):
        deadline = time.monotonic() + LOCK_WAIT
        with self.database.connect() as connection:
            while time.monotonic() < deadline:
                if not connection.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
                    return True
                time.sleep(0.05)
        return False

    def kill_worker(self, backend=None):
        """SIGKILL the worker serving the request in flight; its pid."""
        pid = worker_with_local_port(self.server, backend[1]) if backend else None
        if pid is None:
            deadline = time.monotonic() + 5
            while pid is None and time.monotonic() < deadline:
                pid = worker_serving_a_client(self.server)
        if pid is None:
            raise RuntimeError("no worker found serving the request")
        os.kill(pid, signal.SIGKILL)
        self.killed.append(pid)
        return pid

    def dossier_state(self, account):
        from django.db import connections

        from arobase.dossiers.models import Dossier
        from arobase.journal.models import Entry

        connections.close_all()
        dossier = Dossier.objects.get(edition_id=account["year"], territory__code=account["territory"], territory__kind="commune")
        events = list(Entry.objects.filter(territory=dossier.territory, verb__startswith=f"dossier {account['year']} déposé").values_list("verb", flat=True))
        chosen = sorted(dossier.actions.values_list("pk", flat=True))
        snapshot = sorted(item["id"] for item in dossier.snapshot or [])
        return {"state": dossier.state, "answers": dossier.answers, "actions": chosen, "submitted": dossier.state == "depose",
                "whole": bool(dossier.submitted_at and snapshot == chosen and events == [f"dossier {account['year']} déposé ({len(chosen)} actions)"]),
                "untouched": not dossier.submitted_at and dossier.snapshot is None and not events}

    def prepared(self, account, actions=1):
        browser = Browser(self.server.base, account).login()
        ids = [browser.create_action(f"Stress kill {account['territory']} {i}") for i in range(actions)]
        answers = browser.save(ids[:1], "avant")
        return browser, ids, answers

    def recovered(self, workers_before):
        """gunicorn replaced the killed worker by itself."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if len(self.server.workers()) == len(workers_before) and self.server.ping():
                return True
            time.sleep(0.2)
        return False

    @staticmethod
    def retry_submission(browser, form):
        """The user sends the same form again (what a browser does on « retry »)."""
        answer = browser.post(form, form.values())
        shown = browser.get(browser.dossier_url()).text
        if answer.status_code == 302 and "Dossier déposé." in shown:
            return "retry: submitted"
        if answer.status_code == 302 and "Ce dossier est déposé" in shown and "Actions déposées" in shown:
            return "retry: told it is already submitted"
        return f"retry failed ({answer.status_code})"

    # The scenarios.
    def before_commit(self, account):
        """Killed after the dossier's UPDATE, before the journal event and the commit."""
        name = "kill: submission killed before its commit"
        browser, ids, answers = self.prepared(account)
        workers = self.server.workers()
        form, _ = browser.submit_form()
        lock = "LOCK TABLE journal_entry IN EXCLUSIVE MODE"  # the submission's INSERT waits, its UPDATE done
        with self.lock(lock) as holder:
            request = InFlight(browser, form, form.values())
            if self.postgres:
                backend = self.blocked_backend(holder)[0]
                seen = self.dossier_state(account)["state"]
            else:
                time.sleep(1.0)
                backend, seen = None, "(SQLite: waiting for the write lock)"
            pid = self.kill_worker(backend)
            outcome = request.outcome()
        if self.postgres:
            self.wait_backend_gone(backend[0])
        after = self.dossier_state(account)
        respawned = self.recovered(workers)
        retry = self.retry_submission(browser, form)
        final = self.dossier_state(account)
        self.lines.append(f"- {name}: worker {pid} killed while the submission waited ({seen} seen from outside), client got {outcome}; "
                          f"afterwards « {after['state']} », untouched: {after['untouched']}; worker replaced: {respawned}; {retry}: "
                          f"« {final['state']} », whole: {final['whole']}")
        self.report.check(name, not after["submitted"] and after["untouched"] and after["answers"] == answers and respawned
                          and final["submitted"] and final["whole"], f"not submitted at all, then {retry}")

    def after_commit(self, account):
        """Killed after the commit, while the receipt (PDF, e-mail) was being made."""
        name = "kill: submission killed after its commit (during the receipt)"
        browser, ids, answers = self.prepared(account)
        workers = self.server.workers()
        form, _ = browser.submit_form()
        if self.postgres:
            with self.lock("LOCK TABLE referential_axe IN ACCESS EXCLUSIVE MODE") as holder:  # read by the receipt only
                request = InFlight(browser, form, form.values())
                backend = self.blocked_backend(holder)[0]
                seen = self.dossier_state(account)
                pid = self.kill_worker(backend)
                outcome = request.outcome()
            self.wait_backend_gone(backend[0])
        else:
            request = InFlight(browser, form, form.values())
            deadline = time.monotonic() + LOCK_WAIT
            while not (seen := self.dossier_state(account))["submitted"] and time.monotonic() < deadline:
                time.sleep(0.01)
            pid = self.kill_worker() if request.is_alive() else None
            outcome = request.outcome() + ("" if pid else " before the kill")
        after = self.dossier_state(account)
        respawned = self.recovered(workers)
        retry = self.retry_submission(browser, form)
        final = self.dossier_state(account)
        self.lines.append(f"- {name}: worker {pid} killed with the submission committed (seen: « {seen['state']} »), client got {outcome}; "
                          f"afterwards « {after['state']} », whole: {after['whole']}; worker replaced: {respawned}; {retry}; "
                          f"still whole: {final['whole']}")
        self.report.check(name, seen["submitted"] and after["submitted"] and after["whole"] and respawned and final["whole"]
                          and final["actions"] == after["actions"] and "failed" not in retry, retry)
        self.owed_receipt(account, killed=pid is not None)

    def owed_receipt(self, account, killed):
        """The killed request's receipt is owed, and the scheduled `arobase season --url`
        sends it (run here as if the retry delay had passed)."""
        from django.db import connections
        from django.db.models import F

        from arobase.dossiers.models import Dossier
        from arobase.dossiers.receipts import RETRY_AFTER

        name = "kill: the receipt of the killed submission is sent by the next arobase season"
        connections.close_all()
        dossier = Dossier.objects.filter(edition_id=account["year"], territory__code=account["territory"], territory__kind="commune")
        owed = dossier.filter(receipt_sent_at__isnull=True).exists()
        dossier.update(submitted_at=F("submitted_at") - RETRY_AFTER)
        result = subprocess.run([sys.executable, "-m", "arobase", "season", "--url", self.server.base], env=self.run.env, cwd=ROOT,
                                capture_output=True, text=True, timeout=120)
        sent = dossier.filter(receipt_sent_at__isnull=False).exists()
        self.lines.append(f"- {name}: owed after the kill: {owed}; season: {result.stdout.strip().splitlines()[-1:]}, sent: {sent}")
        self.report.check(name, result.returncode == 0 and sent and (owed or not (killed and self.postgres)),
                          f"owed: {owed}, then sent: {sent}" + ("" if result.returncode == 0 else f" (season failed: {result.stderr[-300:]})"))

    def draft_save(self, account):
        """A draft save (new actions and answers) killed while it writes: all or nothing."""
        name = "kill: draft save killed in the middle"
        browser, ids, before = self.prepared(account, actions=2)
        workers = self.server.workers()
        form, data, answers = browser.save_form(ids[1:], "pendant")
        dossier_id = self.dossier_id(account)
        statement = f"SELECT 1 FROM dossiers_dossier WHERE id = {dossier_id} FOR NO KEY UPDATE"  # the dossier's UPDATE waits
        with self.lock(statement) as holder:
            request = InFlight(browser, form, data)
            if self.postgres:
                backend = self.blocked_backend(holder)[0]
            else:
                time.sleep(1.0)
                backend = None
            pid = self.kill_worker(backend)
            outcome = request.outcome()
        if self.postgres:
            self.wait_backend_gone(backend[0])
        after = self.dossier_state(account)
        old = after["answers"] == before and after["actions"] == ids[:1]
        new = after["answers"] == answers and after["actions"] == ids[1:]
        respawned = self.recovered(workers)
        retried = browser.save(ids[1:], "après")
        final = self.dossier_state(account)
        self.lines.append(f"- {name}: worker {pid} killed, client got {outcome}; afterwards: "
                          f"{'the previous save, whole' if old else 'the new save, whole' if new else 'HALF-WRITTEN (actions of one save, answers of another)'}; "
                          f"worker replaced: {respawned}; retry saved: {final['answers'] == retried and final['actions'] == ids[1:]}")
        self.report.check(name, (old or new) and respawned and final["answers"] == retried and final["actions"] == ids[1:],
                          "all or nothing" if old or new else "half-written")

    def save_racing_submission(self, account):
        """A draft save that read the dossier before a submission, and writes after it,
        must not undo the submission (PostgreSQL: a lock holds the save in between)."""
        name = "race: a draft save overlapping a submission does not undo it"
        browser, ids, before = self.prepared(account, actions=2)
        other = Browser(self.server.base, account, cookies=browser.session.cookies)
        form, data, answers = browser.save_form(ids, "course")
        submit_form, _ = other.submit_form()
        with self.lock("LOCK TABLE dossiers_dossier_actions IN EXCLUSIVE MODE") as holder:
            save = InFlight(browser, form, data)
            self.blocked_backend(holder)
            submission = InFlight(other, submit_form, submit_form.values())
            deadline = time.monotonic() + LOCK_WAIT
            while submission.is_alive() and time.monotonic() < deadline:  # done, or waiting behind the save
                with self.database.connect() as connection:
                    waiting = connection.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
                                                 [DATABASE_NAME]).fetchone()[0]
                if waiting >= 2:
                    break
                time.sleep(0.05)
        save.join(60)
        submission.join(60)
        told_submitted = submission.answer is not None and submission.answer.status_code == 302 and "Dossier déposé." in other.get(other.dossier_url()).text
        saved = save.answer is not None and save.answer.status_code == 302
        final = self.dossier_state(account)
        self.lines.append(f"- {name}: save {save.outcome()}, submission {submission.outcome()} (told « déposé »: {told_submitted}); "
                          f"afterwards « {final['state']} », whole: {final['whole']}, answers of the save: {final['answers'] == answers}")
        lost = told_submitted and not final["submitted"]
        self.report.check(name, saved and told_submitted and final["submitted"] and final["whole"],
                          "LOST SUBMISSION: the save wrote a draft over it" if lost else f"« {final['state']} »")

    def dossier_id(self, account):
        from django.db import connections

        from arobase.dossiers.models import Dossier

        connections.close_all()
        return Dossier.objects.get(edition_id=account["year"], territory__code=account["territory"], territory__kind="commune").pk


# Results file --------------------------------------------------------------------------------

def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), "0") if Path("/proc/meminfo").exists() else "0"
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    return (f"{socket.gethostname()}, {platform.system()} {platform.release()}, {os.cpu_count()} CPU ({cpu}), "
            f"{int(memory) // 1024} MiB, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at the end, Python {platform.python_version()}")


def commit():
    try:
        head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        return head + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write_results(run, total_seconds):
    args, report = run.args, run.report
    now = datetime.datetime.now()
    args.results.mkdir(parents=True, exist_ok=True)
    path = args.results / f"stress-{now:%Y-%m-%d-%H%M%S}{'-quick' if args.quick else ''}.md"
    lines = [
        f"# Stress run {now:%Y-%m-%d %H:%M}: {'PASSED' if report.passed else 'FAILED'}", "",
        f"- command: `{' '.join(['scripts/stress.py', *sys.argv[1:]])}`",
        f"- date: {now.isoformat(timespec='seconds')}",
        f"- machine: {machine()}",
        f"- commit: {commit()}",
        f"- database: {run.database_name}; {args.actions} demo actions; gunicorn {args.workers} sync workers",
        f"- load: {args.users} users for {args.duration} s (spawn {args.spawn_rate}/s); faults: "
        + ("skipped" if args.skip_faults else f"{args.fault_users} users for {args.fault_duration} s" if args.database == "postgres" else "worker kills only (SQLite)"),
        f"- wall time: {total_seconds:.0f} s (" + ", ".join(f"{k} {v:.0f} s" for k, v in report.timings.items()) + ")",
        "", "Latencies are measured by the load generator on the same machine (2 cores shared with other work): noisy.", "",
        "## Checks", "", "| check | result | detail |", "| --- | --- | --- |",
    ]
    lines += [f"| {name} | {'pass' if passed else '**FAIL**'} | {detail.replace('|', '/')[:300]} |" for name, passed, detail in report.checks]
    for title, section in report.sections:
        lines += ["", f"## {title}", "", *section]
    path.write_text("\n".join(lines) + "\n")
    return path


def main(argv=None):
    args = options(argv)
    run = Run(args)
    started = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        run.setup()
        run.load_phase()
        if not args.skip_faults:
            if args.database == "postgres":
                run.restart_phase()
            run.kill_phase()
    except Exception as error:  # noqa: BLE001 — reported as a failed check, then cleaned up
        import traceback

        traceback.print_exc()
        run.report.check("the run went to its end", False, f"{type(error).__name__}: {error}")
    finally:
        run.teardown()
    total = time.monotonic() - started
    path = write_results(run, total)
    print("\n## Summary\n")
    width = max(len(name) for name, _, _ in run.report.checks)
    for name, passed, detail in run.report.checks:
        print(f"{'PASS' if passed else 'FAIL'}  {name.ljust(width)}  {detail[:160]}")
    print(f"\n{'PASSED' if run.report.passed else 'FAILED'} in {total:.0f} s; results: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0 if run.report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
