#!/usr/bin/env python3
"""`make bench`: the site served as in production (gunicorn, 2 workers, DEBUG off) on
benchmark data at two scales (`arobase generate_benchmark_data --scale N`), on SQLite and
on PostgreSQL; every figure against the floor (`/ping`) requested alternately in the same
run, so that the machine's noise hits both.

For each figure: p50, p95, throughput (4 concurrent clients), ratio to the floor, ratio of
the largest scale to the smallest, and SQL queries per request (counted in-process on a
cold cache). Open-data files: time of a first and of a cached request, and the worker's
peak memory while it streams the file. Each figure is measured three ways (issue 19): warm,
under writes (a correspondent's process saving a draft and editing a published action),
and cold (the request right after a change). Targets: warm ≤ 2× the floor, under writes
≤ 3× (searches ≤ 5×), cold ≤ 10×, cold at N=10 ≤ 1.5× cold at N=1, the same query counts
at every scale, exports in constant memory. A miss is printed with its measured cause.

    .venv/bin/python scripts/bench.py                      # SQLite and PostgreSQL, N=1 and N=10
    .venv/bin/python scripts/bench.py --databases sqlite --scales 1
    .venv/bin/python scripts/bench.py --quick              # CI: tiny data, few rounds

The table goes to stdout and to bench/results/<date>-<time>.md with the machine and commit,
rewritten after each scale. The workbook is written ahead by `arobase build_opendata`, as a
deployment does after each change (README), and that command's time and memory reported.
Exit status 0 even with misses (they are findings, not failures); 1 if the run broke.
"""

import argparse
import datetime
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchmark_http import free_port, percentile  # noqa: E402
from stress import static_files  # noqa: E402  (collected once, kept in var/stress-static)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
# Issue 19's targets, each p50 against the floor: warm, under writes (searches looser),
# cold (the request right after a change); and cold at the largest scale against the smallest.
WARM_TARGET, WRITES_TARGET, SEARCH_WRITES_TARGET, COLD_TARGET, SCALE_TARGET = 2.0, 3.0, 5.0, 10.0, 1.5
PG_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")

# (figure, path, who): who is None (anonymous), "correspondent" or "jury".
# {code}, {year}, {dossier_year} are filled from the data (see `facts`).
FIGURES = [
    ("home", "/", None),
    ("territory search", "/territoires/?q=saint", None),
    ("profile of a commune", "/territoires/{commune}/", None),
    ("profile of an EPCI", "/territoires/{epci}/", None),
    ("profile of a département", "/territoires/{departement}/", None),
    ("région", "/regions/{region}/", None),
    ("palmarès of a year", "/palmares/{year}/", None),
    ("palmarès of a year, one région", "/palmares/{year}/?region={region}", None),
    ("statistics", "/statistiques/", None),
    ("sign", "/territoires/{commune}/panneau.svg", None),
    ("Atlaas data, zoomed out", "/api/v1/actions/aggregate?level=region", None),
    ("Atlaas data, zoomed in", "/api/v1/actions/aggregate?level=commune&bbox=2.9,50.5,3.3,50.8", None),
    ("action search (Atlaas page)", "/atlaas/?q=num%C3%A9rique", None),
    ("action search (API)", "/api/v1/actions?q=num%C3%A9rique", None),
    ("API territory", "/api/v1/territories/{commune}", None),
    ("API labels", "/api/v1/territories/{commune}/labels", None),
    ("API palmarès", "/api/v1/editions/{year}/palmares", None),
    ("API actions", "/api/v1/actions?enjeu=democratie-locale", None),
    ("correspondent's dossier page", "/espace/{dossier_code}/dossier/{dossier_year}/", "correspondent"),
    ("jury's deliberation", "/evaluation/{dossier_year}/deliberation/", "jury"),
]
# The benchmark data is flagged demo: the files include it on request only.
OPEN_DATA = [f"{name}?demo=1" for name in ("palmares.csv", "actions.csv", "actions.geojson", "referentiel.json",
                                           "datapackage.json", "arobase.xlsx")]
# Why a figure may miss, for the figures where the reason is structural, not measured.
KNOWN_CAUSES = {
    "correspondent's dossier page": "private page: never in the public page cache, rendered for each request",
    "jury's deliberation": "private page: never in the public page cache, ranks every dossier of the edition",
}

# Run inside the benchmark's environment: the data's facts, session cookies for the
# private figures, and in-process query counts with a cold cache.
INSPECT = r"""
import json, sys, time
import django
django.setup()
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from bench_facts import facts
from arobase.evaluation import reviewing

setup_test_environment()
settings.ALLOWED_HOSTS = ["*"]
found = facts()
figures = json.loads(sys.stdin.read())
clients, cookies = {None: Client()}, {}
for who in ("correspondent", "jury"):
    client = Client()
    if found.get(who):
        client.force_login(found[who])
        cookies[who] = settings.SESSION_COOKIE_NAME + "=" + client.cookies[settings.SESSION_COOKIE_NAME].value
    clients[who] = client
counts = {}
for name, path, who in figures:
    try:
        path = path.format(**found)
    except KeyError:
        continue
    clients[who].get(path)  # imports, templates and connections warm: only the cache is cold
    cache.clear()
    reviewing._recent_aggregates.clear()  # the worker's copy of the jury's aggregates too
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = clients[who].get(path)
        if getattr(response, "streaming", False):
            for _ in response.streaming_content:
                pass
        elapsed = time.perf_counter() - started
    sql = sum(float(q["time"]) for q in captured.captured_queries)
    counts[name] = {"path": path, "status": response.status_code, "queries": len(captured), "ms": 1000 * elapsed, "sql_ms": 1000 * sql}
print(json.dumps({"facts": {k: v for k, v in found.items() if isinstance(v, (str, int))}, "cookies": cookies, "counts": counts}))
"""


# A correspondent at work, in its own process: a draft action sheet saved twice a second,
# a published one edited every 5 s (issue 19's writer).
WRITER = r"""
import time
import django
django.setup()
from arobase.actions.models import Action
published = Action.objects.published().order_by("pk").first()
draft = Action.objects.create(territory=published.territory, title="Brouillon du banc d'essai", summary="En cours.")
print("ready", flush=True)
count, edited = 0, 0.0
while True:
    count += 1
    draft.summary = f"En cours, version {count}."
    draft.save()
    if time.monotonic() - edited >= 5:
        published.subtitle = f"Mise à jour {count}"
        published.save()
        edited = time.monotonic()
    time.sleep(0.5)
"""

# A change on demand: each line read moves every domain's data version (as an import or a
# publication would), and "ok" says it is committed; the next request is the cold one.
CHANGER = r"""
import sys
import django
django.setup()
from arobase.core import data_version
print("ready", flush=True)
for _ in sys.stdin:
    data_version.bump()
    print("ok", flush=True)
"""


class Helper:
    """A Python process running one of the scripts above in the benchmark's environment."""

    def __init__(self, env, folder, script):
        self.process = subprocess.Popen([sys.executable, "-c", script], env=env, cwd=folder, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("benchmark helper did not start")

    def change(self):
        self.process.stdin.write("change\n")
        self.process.stdin.flush()
        self.process.stdout.readline()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def environment(folder, database):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "arobase.settings", "AROBASE_VAR_DIR": str(folder), "DEBUG": "0",
           "HTTPS": "0", "ALLOWED_HOSTS": "localhost", "SECRET_KEY": "benchmark-" + "s" * 50, "PYTHONPATH": f"{ROOT}:{ROOT / 'scripts'}"}
    env.pop("DATABASE_URL", None)
    if database == "postgres":
        name = f"arobase_bench_{os.getpid()}"
        subprocess.run(["psql", PG_SERVER + "/postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {name}", "-c", f"CREATE DATABASE {name}"],
                       check=True, stdout=subprocess.DEVNULL)
        env["DATABASE_URL"] = f"{PG_SERVER}/{name}"
    return env


def arobase(env, folder, *args):
    subprocess.run([sys.executable, "-m", "arobase", *args], env=env, check=True, stdout=subprocess.DEVNULL, cwd=folder)


def prepare(env, folder):
    """A fresh database with the national reference, once per database."""
    arobase(env, folder, "migrate", "--noinput")
    arobase(env, folder, "import_territories", "--verbosity", "0")
    static_files(env, folder)


def generate(env, folder, scale, quick):
    """The data at this scale, in place of the previous scale's; returns its seconds."""
    started = time.perf_counter()
    arobase(env, folder, "generate_benchmark_data", "--scale", str(scale), *(["--tiny"] if quick else []))
    return time.perf_counter() - started


def build_workbook(env, folder):
    """`arobase build_opendata`, as a deployment runs it after a change: (seconds, peak MiB)."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "arobase", "build_opendata", "--url", "http://localhost"], env=env,
                               cwd=folder, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"build_opendata exited with {process.returncode}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def inspect(env, folder):
    result = subprocess.run([sys.executable, "-c", INSPECT], env=env, cwd=folder, input=json.dumps(FIGURES),
                            capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


class Server:
    """gunicorn as in production on a free port; `worker_pids` reads the master's children."""

    def __init__(self, env, folder, workers=2):
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "arobase.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
             "--timeout", "1800", "--log-level", "warning"], env=env, cwd=folder)
        self.wait_ready()

    def wait_ready(self):
        for _ in range(300):
            try:
                self.get("/ping")
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not answer")

    def get(self, path, cookie=None, stream=False):
        """(seconds, status, bytes) for one GET on a new connection."""
        import http.client

        headers = {"Host": "localhost"}
        if cookie:
            headers["Cookie"] = cookie
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=900)
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        size = 0
        while chunk := response.read(65536):
            size += len(chunk)
        connection.close()
        return time.perf_counter() - started, response.status, size

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def memory_kib(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def measure(server, path, cookie, rounds):
    """Latencies of the page and of the floor, interleaved, after a warm-up; then the
    throughput of 4 concurrent clients."""
    for _ in range(4):
        _, status, _ = server.get(path, cookie)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status}")
    floor, page = [], []
    for _ in range(rounds):
        floor.append(server.get("/ping")[0])
        page.append(server.get(path, cookie)[0])
    per_client = max(5, rounds // 4)
    started = time.perf_counter()
    threads = [threading.Thread(target=lambda: [server.get(path, cookie) for _ in range(per_client)]) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return floor, page, 4 * per_client / (time.perf_counter() - started)


def measure_cold(server, path, cookie, changer, rounds):
    """The request right after a change, `rounds` times, each beside a floor request."""
    floor, page = [], []
    for _ in range(rounds):
        changer.change()
        page.append(server.get(path, cookie)[0])
        floor.append(server.get("/ping")[0])
    return floor, page


def measure_under_writes(server, path, cookie, rounds):
    """Latencies while the writer runs (started by the caller), interleaved with the floor."""
    floor, page = [], []
    for _ in range(rounds):
        floor.append(server.get("/ping")[0])
        page.append(server.get(path, cookie)[0])
    return floor, page


def open_data(env, folder, rounds):
    """Each file through a one-worker server: first request (may build a stored copy),
    cached requests, and the worker's peak memory above its resting size."""
    server = Server(env, folder, workers=1)
    rows = []
    try:
        for name in OPEN_DATA:
            worker = server.worker_pids()[0]
            os.kill(worker, 15)  # a fresh worker per file: its peak memory is this file's
            for _ in range(100):
                time.sleep(0.1)
                pids = server.worker_pids()
                if pids and pids[0] != worker:
                    break
            server.wait_ready()
            worker = server.worker_pids()[0]
            resting = memory_kib(worker, "VmRSS")
            try:
                first, status, size = server.get(f"/opendata/{name}", stream=True)
                peak = memory_kib(worker, "VmHWM") - resting
            except (OSError, FileNotFoundError) as error:  # the worker timed out or died: a finding, not a crash
                rows.append({"file": name, "error": f"no answer ({error.__class__.__name__})"})
                server.wait_ready()
                continue
            if status != 200:
                rows.append({"file": name, "error": f"HTTP {status}"})
                continue
            repeats = 1 if first > 30 else max(1, rounds // 30)  # a file of minutes: once more is enough
            again = [server.get(f"/opendata/{name}", stream=True)[0] for _ in range(repeats)]
            floor = [server.get("/ping")[0] for _ in range(10)]
            rows.append({"file": name, "first_s": first, "cached_s": statistics.median(again), "bytes": size,
                         "peak_mib": peak / 1024, "floor_ms": 1000 * statistics.median(floor)})
    finally:
        server.stop()
    return rows


def run_database(database, scales, rounds, quick, done):
    """Each scale's run is appended to `done` as soon as it is measured."""
    folder = Path(tempfile.mkdtemp(prefix=f"arobase-bench-{database}-"))
    env = environment(folder, database)
    print(f"\n== {database}: data in {folder}", flush=True)
    try:
        prepare(env, folder)
        for scale in sorted(scales):
            done(run_scale(env, folder, database, scale, rounds, quick))
    finally:
        if database == "postgres":
            name = env["DATABASE_URL"].rsplit("/", 1)[1]
            subprocess.run(["psql", PG_SERVER + "/postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {name}"], stdout=subprocess.DEVNULL)


def run_scale(env, folder, database, scale, rounds, quick):
    load_seconds = generate(env, folder, scale, quick)
    print(f"   {database}, generate_benchmark_data --scale {scale}: {load_seconds:.1f} s", flush=True)
    workbook_s, workbook_mib = build_workbook(env, folder)
    print(f"   {database}, build_opendata: {workbook_s:.1f} s, {workbook_mib:.0f} MiB", flush=True)
    inspected = inspect(env, folder)
    server = Server(env, folder)
    figures = {}
    measured = []
    try:
        for name, _, who in FIGURES:
            counted = inspected["counts"].get(name)
            if counted is None or counted["status"] != 200:
                figures[name] = {"error": f"not measured: {counted and counted['status'] or 'no such object in the data'}"}
                continue
            floor, page, throughput = measure(server, counted["path"], inspected["cookies"].get(who), rounds)
            figures[name] = {"path": counted["path"], "p50": statistics.median(page), "p95": percentile(page, 0.95),
                             "floor": statistics.median(floor), "throughput": throughput, **counted}
            measured.append((name, counted["path"], inspected["cookies"].get(who)))
            print(f"   {name}: warm {1000 * figures[name]['p50']:.2f} ms", flush=True)
        changer = Helper(env, folder, CHANGER)
        try:
            for name, path, cookie in measured:
                floor, page = measure_cold(server, path, cookie, changer, max(5, rounds // 4))
                figures[name].update(cold_p50=statistics.median(page), cold_floor=statistics.median(floor))
                print(f"   {name}: cold {1000 * figures[name]['cold_p50']:.2f} ms", flush=True)
        finally:
            changer.stop()
        writer = Helper(env, folder, WRITER)
        try:
            for name, path, cookie in measured:
                floor, page = measure_under_writes(server, path, cookie, max(10, rounds // 2))
                figures[name].update(writes_p50=statistics.median(page), writes_floor=statistics.median(floor))
                print(f"   {name}: under writes {1000 * figures[name]['writes_p50']:.2f} ms", flush=True)
        finally:
            writer.stop()
    finally:
        server.stop()
    files = open_data(env, folder, rounds)
    return {"database": database, "scale": scale, "load_s": load_seconds, "figures": figures, "open_data": files,
            "workbook": {"seconds": workbook_s, "peak_mib": workbook_mib}}


def verdicts(run, smallest):
    """[(figure, row cells…, verdict)] for one run, compared with the smallest scale's run."""
    rows = []
    for name, figure in run["figures"].items():
        if "error" in figure:
            rows.append((name, "–", "–", "–", "–", "–", "–", "–", f"**MISS**: {figure['error']}"))
            continue
        warm = figure["p50"] / figure["floor"]
        writes = figure["writes_p50"] / figure["writes_floor"] if "writes_p50" in figure else None
        cold = figure["cold_p50"] / figure["cold_floor"] if "cold_p50" in figure else None
        base = smallest["figures"].get(name, {}) if smallest is not run else None
        # Each scale is served and measured in its own run: its cold ratio to its own floor
        # is compared, so that the machine's noise between runs cancels out.
        scale_ratio = cold / (base["cold_p50"] / base["cold_floor"]) if cold and base and "cold_p50" in base else None
        writes_target = SEARCH_WRITES_TARGET if "search" in name else WRITES_TARGET
        misses = []
        if warm > WARM_TARGET:
            cause = KNOWN_CAUSES.get(name) or "not served from the cache"
            misses.append(f"warm {warm:.1f}× ({cause})")
        if writes and writes > writes_target:
            misses.append(f"under writes {writes:.1f}× (> {writes_target:g}×)")
        if cold and cold > COLD_TARGET:
            misses.append(f"cold {cold:.1f}× ({figure['queries']} queries, {figure['sql_ms']:.0f} ms SQL of {figure['ms']:.0f} ms in-process)")
        if scale_ratio and scale_ratio > SCALE_TARGET:
            misses.append(f"cold {scale_ratio:.2f}× slower than at scale {smallest['scale']} (in-process {base['ms']:.0f} → {figure['ms']:.0f} ms, "
                          f"SQL {base['sql_ms']:.0f} → {figure['sql_ms']:.0f} ms)")
        if base and base.get("queries") != figure["queries"]:
            misses.append(f"queries {base.get('queries')} at scale {smallest['scale']} → {figure['queries']}")
        cell = lambda p50, ratio: f"{1000 * p50:.2f} ms ({ratio:.1f}×)" if ratio else "–"  # noqa: E731
        rows.append((name, cell(figure["p50"], warm), cell(figure.get("writes_p50", 0), writes), cell(figure.get("cold_p50", 0), cold),
                     f"{1000 * figure['p95']:.2f} ms", f"{figure['throughput']:.0f}/s", f"{scale_ratio:.2f}×" if scale_ratio else "–",
                     str(figure["queries"]), "**MISS**: " + "; ".join(misses) if misses else "ok"))
    return rows


def report(runs, machine):
    lines = [f"# Benchmark {machine['date']}", "", f"- machine: {machine['machine']}", f"- commit: {machine['commit']}",
             f"- command: `{machine['command']}`", "- served by gunicorn, 2 sync workers, DEBUG off; the floor is `/ping` on the same server, "
             "requested alternately with each page", "- warm: the page as most visitors meet it; under writes: while a correspondent "
             "saves a draft twice a second and edits a published action every 5 s (its own process); cold: the request right after a "
             "change of every data version",
             f"- targets: warm ≤ {WARM_TARGET:g}× the floor, under writes ≤ {WRITES_TARGET:g}× (searches ≤ {SEARCH_WRITES_TARGET:g}×), "
             f"cold ≤ {COLD_TARGET:g}×, cold at the largest scale ≤ {SCALE_TARGET:g}× the smallest's (each against its own floor), "
             "the same queries at every scale, exports in constant memory", ""]
    misses = 0
    for database in dict.fromkeys(r["database"] for r in runs):
        mine = [r for r in runs if r["database"] == database]
        smallest = min(mine, key=lambda r: r["scale"])
        for run in mine:
            lines += [f"## {database}, scale {run['scale']} (data generated in {run['load_s']:.0f} s)", "",
                      "| figure | warm p50 (× floor) | under writes | cold | warm p95 | throughput | cold vs smallest scale | queries | verdict |",
                      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
            for row in verdicts(run, smallest):
                misses += row[-1].startswith("**MISS")
                lines.append("| " + " | ".join(row) + " |")
            floor = statistics.median(f["floor"] for f in run["figures"].values() if "floor" in f)
            lines += ["", f"Floor p50: {1000 * floor:.2f} ms.", "",
                      "| open-data file | size | first request | cached request | worker peak memory | verdict |",
                      "| --- | ---: | ---: | ---: | ---: | --- |"]
            base = {f["file"]: f for f in smallest["open_data"]}
            for row in run["open_data"]:
                if "error" in row:
                    misses += 1
                    lines.append(f"| `{row['file']}` | – | – | – | – | **MISS**: {row['error']} |")
                    continue
                verdict = "ok"
                small = base.get(row["file"])
                if run is not smallest and small and "error" not in small and row["peak_mib"] > max(2 * small["peak_mib"], small["peak_mib"] + 20):
                    verdict = f"**MISS**: memory grows with the data ({small['peak_mib']:.0f} → {row['peak_mib']:.0f} MiB)"
                    misses += 1
                elif run is not smallest and small and "error" not in small and row["first_s"] > 1 and small["bytes"] and (
                        row["first_s"] / row["bytes"] > 2.5 * small["first_s"] / small["bytes"]):
                    verdict = (f"**MISS**: time grows faster than the file ({small['first_s'] * 1e6 / small['bytes']:.2f} → "
                               f"{row['first_s'] * 1e6 / row['bytes']:.2f} s per MB)")
                    misses += 1
                lines.append(f"| `{row['file']}` | {row['bytes'] / 1e6:.1f} MB | {row['first_s']:.2f} s | {row['cached_s']:.2f} s "
                             f"| {row['peak_mib']:.0f} MiB | {verdict} |")
            workbook, small = run.get("workbook"), smallest.get("workbook")
            if workbook:
                verdict = "within the target"
                if run is not smallest and small and workbook["peak_mib"] > max(2 * small["peak_mib"], small["peak_mib"] + 20):
                    verdict = f"**MISS**: memory grows with the data ({small['peak_mib']:.0f} → {workbook['peak_mib']:.0f} MiB)"
                    misses += 1
                lines += ["", f"`arobase build_opendata` (the workbook written ahead, as after a publication): "
                          f"{workbook['seconds']:.1f} s, peak memory of the command {workbook['peak_mib']:.0f} MiB ({verdict}). "
                          "The first request of `arobase.xlsx` above reads that file."]
            lines.append("")
    lines.append(f"{misses} target(s) missed.")
    return "\n".join(lines) + "\n", misses


def machine_facts(argv):
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    return {"date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), "commit": commit + (" (with local changes)" if dirty else ""),
            "machine": f"{os.cpu_count()} cores, {memory} GiB, {platform.platform()}, Python {platform.python_version()}",
            "command": " ".join(["scripts/bench.py", *argv])}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stopped: the finally clauses drop the database and servers
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--rounds", type=int, default=60, help="requests per figure, interleaved with the floor")
    parser.add_argument("--quick", action="store_true", help="CI: tiny data (scales 1 and 2), 10 rounds")
    args = parser.parse_args(argv)
    scales = [1, 2] if args.quick else [int(s) for s in args.scales.split(",")]
    rounds = 10 if args.quick else args.rounds
    machine = machine_facts(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = datetime.datetime.now().strftime("%Y-%m-%d-%H%M") + "-" + args.databases.replace(",", "-") + ("-quick" if args.quick else "")
    runs = []

    def write(run):
        """The table so far, rewritten after each scale: a run stopped halfway keeps what it measured."""
        runs.append(run)
        (RESULTS / f"{name}.md").write_text(report(runs, machine)[0])
        (RESULTS / f"{name}.json").write_text(json.dumps({"machine": machine, "runs": runs}, indent=1))

    for database in args.databases.split(","):
        run_database(database, scales, rounds, args.quick, write)
    text, _ = report(runs, machine)
    print("\n" + text)
    print(f"written to bench/results/{name}.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
