#!/usr/bin/env python3
"""Benchmark: a historical palmarès imported, exported and shown; the public pages served
by gunicorn as in production, each against a trivial view of the same server.

Runs on a fresh SQLite database in a temporary folder (or on DATABASE_URL if given):

    .venv/bin/python scripts/benchmark.py [--years 26] [--per-year 300] [--runs 20]
    .venv/bin/python scripts/benchmark.py --http [--rounds 200]   # gunicorn, demo data
    .venv/bin/python scripts/benchmark.py --atlaas [--actions 50000] [--rounds 200]

Prints timings; results are recorded in docs/benchmarks.md. Never run by the tests.
"""

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path


def timed(function, runs=1):
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        durations.append(time.perf_counter() - started)
    return statistics.median(durations)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=26, help="label years, ending in 2025")
    parser.add_argument("--per-year", type=int, default=300)
    parser.add_argument("--runs", type=int, default=20, help="page renders per page (median)")
    parser.add_argument("--http", action="store_true", help="serve the demo data with gunicorn and compare each page to the floor")
    parser.add_argument("--rounds", type=int, default=200, help="with --http: requests per page, interleaved with the floor")
    parser.add_argument("--atlaas", action="store_true", help="Atlaas at national scale: map aggregates, lists and search")
    parser.add_argument("--actions", type=int, default=50_000, help="with --atlaas: demo actions")
    args = parser.parse_args()
    if args.atlaas:
        from benchmark_atlaas import run

        return run(args.rounds, args.actions)
    if args.http:
        from benchmark_http import run

        return run(args.rounds)

    folder = tempfile.mkdtemp(prefix="arobase-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ.update(DJANGO_SETTINGS_MODULE="arobase.settings", AROBASE_VAR_DIR=folder, HTTPS="0")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from arobase.labels.models import Label
    from arobase.territories.models import Territory

    setup_test_environment()
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    print(f"database: {os.environ['DATABASE_URL']}")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    print(f"import_territories (first run) {timed(lambda: call_command('import_territories', verbosity=0, **quiet)):8.2f} s")
    print(f"import_territories (re-run)    {timed(lambda: call_command('import_territories', verbosity=0, **quiet)):8.2f} s")

    rng = random.Random(7)
    codes = list(Territory.objects.filter(kind="commune", population__gte=2000).order_by("code").values_list("code", flat=True))
    lines = ["annee,code,arobases,mentions,prix"]
    for year in range(2026 - args.years, 2026):
        for code in rng.sample(codes, args.per_year):
            mention = rng.choice(["", "", "", "democratie-locale", "transition-ecologique"])
            lines.append(f"{year},{code},{rng.randint(1, 5)},{mention},")
    path = Path(folder) / "palmares.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    count = len(lines) - 1

    print(f"import_palmares {count} labels  {timed(lambda: call_command('import_palmares', str(path), **quiet)):8.2f} s")
    print(f"import_palmares (same file)    {timed(lambda: call_command('import_palmares', str(path), **quiet)):8.2f} s")
    print(f"export_palmares (all)          {timed(lambda: call_command('export_palmares', stdout=io.StringIO())):8.2f} s")
    assert Label.objects.count() == count

    client = Client(HTTP_HOST="localhost")
    busiest = Label.objects.values_list("territory__code", flat=True).order_by("-territory__population").first()
    for url in ["/", "/palmares/", "/palmares/2024/", "/palmares/2024/?region=32", f"/territoires/{busiest}/",
                "/statistiques/", "/api/v1/editions/2024/palmares", f"/api/v1/territories/{busiest}/labels",
                "/territoires/?q=saint", "/api/v1/territories?q=lunel"]:
        assert client.get(url).status_code == 200, url
        print(f"GET {url:40} {1000 * timed(lambda url=url: client.get(url), args.runs):8.1f} ms")


if __name__ == "__main__":
    main()
