"""Atlaas at national scale: 50 000 demo actions served by gunicorn as in production
(2 workers, DEBUG off, SQLite or DATABASE_URL), each figure against the floor (`/ping`)
requested alternately in the same run. Every request is cold: a different filter, query
or map view each time, so the page cache never answers.

Also counts the SQL queries of each request in-process at 5 000 and at 50 000 actions:
they must be the same.

Called by `scripts/benchmark.py --atlaas [--actions 50000] [--rounds 200]`.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from urllib.parse import quote

from benchmark_http import free_port, percentile, request

SMALL = 5_000
SERVICES = ["conseil-municipal-en-direct", "budget-participatif-en-ligne", "fablab", "espace-public-numerique",
            "deploiement-de-la-fibre-optique", "classes-numeriques", "application-mobile-de-la-ville", "etat-civil-en-ligne"]
ENJEUX = ["democratie-locale", "mediation", "education", "environnement", "services-publics"]
STATUSES = ["", "realisee", "en-cours", "prevue"]
WORDS = ["numérique", "conseil", "école", "tablettes", "données", "wifi", "médiathèque", "budget", "fibre", "mobile",
         "citoyens", "seniors", "transport", "énergie", "culture", "santé", "sport", "tourisme", "emploi", "démarches"]


def figures():
    """(name, list of paths to cycle through): each path different, so none is cached."""
    zoomed_in = [f"/api/v1/actions/aggregate?level=commune&bbox={2 + i * 0.01:.2f},{48.5 + i * 0.01:.2f},{3 + i * 0.01:.2f},{49.2 + i * 0.01:.2f}"
                 for i in range(200)]
    return [
        ("aggregate, zoomed out (régions)", [f"/api/v1/actions/aggregate?level=region&enjeu={e}&status={s}"
                                            for e in ENJEUX for s in ("", "realisee", "en-cours", "prevue")]
         + [f"/api/v1/actions/aggregate?level=region&service={s}" for s in SERVICES]),
        ("aggregate, départements", [f"/api/v1/actions/aggregate?level=departement&enjeu={e}&year={y}" for e in ENJEUX for y in range(2016, 2027)]),
        ("aggregate, zoomed in (communes, bbox)", zoomed_in),
        ("filtered list (API)", [f"/api/v1/actions?enjeu={e}&page={p}" for e in ENJEUX for p in range(1, 40)]),
        ("search (API)", [f"/api/v1/actions?q={quote(w)}&status={s}" for w in WORDS for s in STATUSES]),
        ("Atlaas page, filtered", [f"/atlaas/?enjeu={e}&page={p}" for e in ENJEUX for p in range(1, 40)]),
        ("Atlaas page, search", [f"/atlaas/?q={quote(w)}&status={s}" for w in WORDS for s in STATUSES]),
        ("actors directory, search", [f"/acteurs/?q={quote(w)}&kind={k}" for w in ("association", "espace", "médiathèque", "fablab", "lille", "paris", "lyon", "nantes")
                                      for k in ("", "association", "epn", "prestataire", "etablissement", "autre")]),
    ]


def load(env, folder, actions):
    subprocess.run([sys.executable, "-m", "arobase", "demo", "--actions", str(actions)], env=env, check=True,
                   stdout=subprocess.DEVNULL, cwd=folder)


def query_counts(env, folder):
    """{figure: sorted set of query counts over its first paths}, measured in-process."""
    code = (
        "import django, json, sys\n"
        "django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.cache import cache\n"
        "from django.db import connection\n"
        "from django.test import Client\n"
        "from django.test.utils import CaptureQueriesContext, setup_test_environment\n"
        "setup_test_environment()\n"
        "settings.ALLOWED_HOSTS = ['*']\n"
        "client = Client()\n"
        "counts = {}\n"
        "for name, paths in json.loads(sys.stdin.read()):\n"
        "    seen = set()\n"
        "    for path in paths[:5]:\n"
        "        cache.clear()\n"
        "        with CaptureQueriesContext(connection) as captured:\n"
        "            assert client.get(path).status_code == 200, path\n"
        "        seen.add(len(captured))\n"
        "    counts[name] = sorted(seen)\n"
        "print(json.dumps(counts))\n"
    )
    import json

    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=folder, input=json.dumps(figures()),
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def run(rounds, actions):
    folder = tempfile.mkdtemp(prefix="arobase-bench-atlaas-")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "arobase.settings", "AROBASE_VAR_DIR": folder, "DEBUG": "0", "HTTPS": "0",
           "ALLOWED_HOSTS": "localhost", "SECRET_KEY": "benchmark-" + "s" * 50}
    print(f"data folder: {folder}; database: {env.get('DATABASE_URL', 'SQLite')}")
    for command in (["migrate", "--noinput"], ["import_territories", "--verbosity", "0"], ["collectstatic", "--noinput"]):
        subprocess.run([sys.executable, "-m", "arobase", *command], env=env, check=True, stdout=subprocess.DEVNULL, cwd=folder)
    load(env, folder, SMALL)
    small_counts = query_counts(env, folder)
    started = time.perf_counter()
    load(env, folder, actions)
    print(f"arobase demo --actions {actions}: {time.perf_counter() - started:.1f} s (labels, accounts and season included)")
    large_counts = query_counts(env, folder)

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "arobase.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
                               "--log-level", "warning"], env=env, cwd=folder)
    rows = []
    try:
        for _ in range(100):
            try:
                request(port, "/ping")
                break
            except OSError:
                time.sleep(0.1)
        for name, paths in figures():
            for path in paths[:2]:
                request(port, path)  # both workers import and connect
            floor, page = [], []
            for i in range(rounds):
                floor.append(request(port, "/ping"))
                page.append(request(port, paths[i % len(paths)]))
            rows.append((name, paths[0], floor, page))
    finally:
        server.terminate()
        server.wait()

    print(f"\n| figure | first URL | p50 | p95 | floor p50 | ratio p50 | ratio p95 | queries at {SMALL} | at {actions} |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    same = True
    for name, path, floor, page in rows:
        floor_p50 = statistics.median(floor)
        small, large = small_counts[name], large_counts[name]
        same = same and max(small) == max(large)  # a search with no result at the small size skips its prefetch
        print(f"| {name} | `{path}` | {1000 * statistics.median(page):.1f} ms | {1000 * percentile(page, 0.95):.1f} ms "
              f"| {1000 * floor_p50:.2f} ms | {statistics.median(page) / floor_p50:.1f}× | {percentile(page, 0.95) / percentile(floor, 0.95):.1f}× "
              f"| {', '.join(map(str, small))} | {', '.join(map(str, large))} |")
    print("\nquery counts: " + ("the same at both sizes" if same else "**DIFFERENT** between the two sizes"))
