#!/usr/bin/env python3
"""Benchmark: `arobase import_palmares` on two 50 MB files, time and peak memory.

    .venv/bin/python scripts/benchmark_import.py [--megabytes 50]

1. 50 MB of the same line (every line after the first is a duplicate): refused, the
   first 100 errors printed with the total. 2. 50 MB of distinct valid labels (every
   commune and EPCI, year after year, an ignored comment column) with one bad last line:
   refused. 3. The same labels without the bad line: imported. 4. That file again:
   nothing changes. Fresh SQLite database in a temporary folder. Results: docs/benchmarks.md.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(env, *args):
    """(seconds, peak resident memory in KiB, result) of one `arobase` command."""
    started = time.perf_counter()
    script = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
              "sys.stderr.write(f'\\nPEAK {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\\n'); sys.exit(r.returncode)")
    result = subprocess.run([sys.executable, "-c", script, sys.executable, "-m", "arobase", *args], env=env, capture_output=True, text=True)
    peak = int(result.stderr.rsplit("PEAK ", 1)[1])
    result.stderr = result.stderr.rsplit("\nPEAK ", 1)[0]
    return time.perf_counter() - started, peak, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=50)
    size = parser.parse_args().megabytes * 1024 * 1024
    folder = Path(tempfile.mkdtemp(prefix="arobase-bench-import-"))
    try:
        measure(folder, size)
    finally:
        shutil.rmtree(folder)  # two 50 MB files and a database of 800 000 labels


def measure(folder, size):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "arobase.settings", "AROBASE_VAR_DIR": str(folder), "HTTPS": "0"}
    env.pop("DATABASE_URL", None)
    run(env, "migrate", "--noinput")
    run(env, "import_territories", "--verbosity", "0")

    duplicates = folder / "duplicates.csv"
    line = "2024,59368,5,,\n"
    duplicates.write_text("annee,code,arobases,mentions,prix\n" + line * (size // len(line)))

    import csv
    import gzip
    data = Path(__file__).resolve().parent.parent / "arobase/territories/data/territories.csv.gz"
    with gzip.open(data, "rt", encoding="utf-8") as rows:
        codes = [row["code"] for row in csv.DictReader(rows) if row["kind"] in ("commune", "epci")]
    accepted = folder / "valid.csv"
    with accepted.open("w") as out:
        out.write("annee,code,arobases,mentions,prix,commentaire\n")
        written, year_code = 0, ((year, code) for year in range(2000, 2026) for code in codes)
        comment = "x" * 45
        while written < size:
            year, code = next(year_code)
            mention = "numerique-educatif" if code.endswith("1") else ""  # one label in ten
            text = f"{year},{code},3,{mention},,{comment}\n"
            out.write(text)
            written += len(text)
    valid = folder / "valid-then-bad.csv"
    valid.write_bytes(accepted.read_bytes() + b"2025,99999,3,,,\n")

    print(f"| file | size | time | peak memory | outcome |\n| --- | ---: | ---: | ---: | --- |")
    for name, path in (
        (f"{size // 2**20} MB of duplicates", duplicates),
        (f"{size // 2**20} MB of valid labels, one bad last line", valid),
        (f"{size // 2**20} MB of valid labels", accepted),
        ("the same file again", accepted),
    ):
        seconds, peak, result = run(env, "import_palmares", str(path))
        output = (result.stderr if result.returncode else result.stdout).strip().splitlines()
        outcome = output[-1 if result.returncode else 0].removeprefix("CommandError: ")
        printed = f" ({len(output)} lines printed)" if result.returncode else ""
        print(f"| {name} | {path.stat().st_size / 1e6:.0f} MB | {seconds:.1f} s | {peak / 1024:.0f} MiB | {outcome}{printed} |")


if __name__ == "__main__":
    main()
