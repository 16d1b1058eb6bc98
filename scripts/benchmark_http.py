"""Public pages served as in production (gunicorn, 2 workers, DEBUG off, SQLite demo
data), each measured against the floor: `/ping`, a view with no database and no
template, requested alternately in the same run so that the machine's noise hits both.

Called by `scripts/benchmark.py --http`. A page's figure is its p50 divided by the
floor's p50; the targets (issue 6) are 3× for a warm page or API answer, 5× for a search.
"""

import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM_TARGET, SEARCH_TARGET = 3.0, 5.0
PAGES = [
    ("home", "/", WARM_TARGET),
    ("profile of a commune", "/territoires/59368/", WARM_TARGET),
    ("profile of an EPCI", "/territoires/200093201/", WARM_TARGET),
    ("profile of a département", "/territoires/59/", WARM_TARGET),
    ("région", "/regions/32/", WARM_TARGET),
    ("palmarès index", "/palmares/", WARM_TARGET),
    ("palmarès 2024", "/palmares/2024/", WARM_TARGET),
    ("palmarès 2024, one région", "/palmares/2024/?region=32", WARM_TARGET),
    ("statistics", "/statistiques/", WARM_TARGET),
    ("sign", "/territoires/59368/panneau.svg", WARM_TARGET),
    ("search (warm)", "/territoires/?q=saint", SEARCH_TARGET),
    ("API territory", "/api/v1/territories/59368", WARM_TARGET),
    ("API labels", "/api/v1/territories/59368/labels", WARM_TARGET),
    ("API palmarès 2024", "/api/v1/editions/2024/palmares", WARM_TARGET),
    ("API search (warm)", "/api/v1/territories?q=lunel", SEARCH_TARGET),
]
# A cold search: a different query at each request, so no cached copy helps.
COLD_QUERIES = ["saint", "lille", "lunel", "bourg", "mont", "ville", "sur", "la", "port", "val", "pont", "roche",
                "fontaine", "marseille", "nantes", "brest", "rennes", "dijon", "tours", "metz", "nancy", "caen", "lens"]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(port, path):
    """Seconds for one GET on a new connection (gunicorn's sync workers close each one)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Host": "localhost"})
    response = connection.getresponse()
    response.read()
    connection.close()
    elapsed = time.perf_counter() - started
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status}")
    return elapsed


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def prepare(folder, env):
    def arobase(*args):
        subprocess.run([sys.executable, "-m", "arobase", *args], env=env, check=True, stdout=subprocess.DEVNULL, cwd=folder)

    for command in (["migrate", "--noinput"], ["import_territories", "--verbosity", "0"], ["demo"], ["collectstatic", "--noinput"]):
        arobase(*command)


def measure(port, paths, rounds):
    """p50/p95 of each path and of the floor, interleaved: floor, page, floor, page…"""
    floor, page = [], []
    for i in range(rounds):
        floor.append(request(port, "/ping"))
        page.append(request(port, paths[i % len(paths)]))
    return floor, page


def run(rounds):
    folder = tempfile.mkdtemp(prefix="arobase-bench-http-")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "arobase.settings", "AROBASE_VAR_DIR": folder, "DEBUG": "0", "HTTPS": "0",
           "ALLOWED_HOSTS": "localhost", "SECRET_KEY": "benchmark-" + "s" * 50}
    env.pop("DATABASE_URL", None)
    print(f"data folder: {folder} (SQLite, demo data)")
    prepare(folder, env)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "arobase.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
                               "--log-level", "warning"], env=env, cwd=folder)
    try:
        for _ in range(100):
            try:
                request(port, "/ping")
                break
            except OSError:
                time.sleep(0.1)
        rows = []
        for name, path, target in PAGES:
            for _ in range(4):
                request(port, path)  # warm both workers' caches
            rows.append((name, path, target, *measure(port, [path], rounds)))
        cold = [f"/territoires/?q={q}&page={i}" for i in range(1, 10) for q in COLD_QUERIES]
        rows.append(("search (cold: new query each time)", "/territoires/?q=…", None, *measure(port, cold, min(rounds, len(cold)))))
    finally:
        server.terminate()
        server.wait()
    report(rows)


def report(rows):
    print(f"\n| page | URL | p50 | p95 | floor p50 | ratio | target |")
    print("| --- | --- | ---: | ---: | ---: | ---: | --- |")
    misses = 0
    for name, path, target, floor, page in rows:
        ratio = statistics.median(page) / statistics.median(floor)
        verdict = "–" if target is None else (f"≤ {target:g}× ok" if ratio <= target else f"≤ {target:g}× **MISS**")
        misses += target is not None and ratio > target
        print(f"| {name} | `{path}` | {1000 * statistics.median(page):.2f} ms | {1000 * percentile(page, 0.95):.2f} ms "
              f"| {1000 * statistics.median(floor):.2f} ms | {ratio:.2f}× | {verdict} |")
    print(f"\n{misses} target(s) missed.")
