#!/usr/bin/env bash
# Follows the README's "Deployment" section literally, in a fresh copy of the checkout
# and a fresh virtual environment with a regular (non-editable) install, then checks
# that gunicorn serves the home page, a profile and a static file. Run by .ci/run.
#
#   scripts/check_deployment.sh            # uses python3; PYTHON=… to change
set -euo pipefail
PYTHON=${PYTHON:-python3}
PORT=${PORT:-8765}
SOURCE=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/arobase-deploy.XXXXXX)
GUNICORN_PID=""
cleanup() {
    [ -n "$GUNICORN_PID" ] && kill "$GUNICORN_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "== Deployment check in $WORK"
mkdir "$WORK/checkout"
(cd "$SOURCE" && git ls-files -co --exclude-standard -z | tar -c --null -T - -f -) | tar -x -C "$WORK/checkout"
cd "$WORK/checkout"

# 1. A regular install in a fresh virtual environment.
"$PYTHON" -m venv venv
venv/bin/pip install --quiet --disable-pip-version-check ".[prod]" 2>&1 | { grep -v "^WARNING: Location" || true; }
. venv/bin/activate
installed=$(cd / && python -c "import arobase; print(arobase.__file__)")  # from /: not the checkout's copy
case "$installed" in
    */site-packages/*) ;;
    *) echo "arobase is not a regular install ($installed)" >&2; exit 1 ;;
esac

# 2. The production environment (SQLite in ./var: DATABASE_URL left unset on purpose).
unset DATABASE_URL DEBUG HTTPS AROBASE_VAR_DIR DJANGO_SETTINGS_MODULE
export SECRET_KEY="deployment-check-$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')"
export ALLOWED_HOSTS=label.example.org
export CSRF_TRUSTED_ORIGINS=https://label.example.org

# 3. Migrate, collect static files, load the reference.
arobase migrate --noinput >/dev/null && arobase collectstatic --noinput >/dev/null && arobase import_territories --verbosity 0
arobase check --deploy --fail-level WARNING

# 4. gunicorn from the checkout, behind an imaginary TLS proxy.
gunicorn arobase.wsgi --workers 2 --timeout 120 --bind "127.0.0.1:$PORT" --log-level warning &
GUNICORN_PID=$!
fetch() {  # fetch PATH → body on stdout; fails unless 200
    curl --silent --show-error --fail --max-time 20 -H "Host: label.example.org" -H "X-Forwarded-Proto: https" "http://127.0.0.1:$PORT$1"
}
for _ in $(seq 60); do fetch /ping >/dev/null 2>&1 && break; sleep 0.5; done

home=$(fetch /)
echo "$home" | grep -q "Le label national" || { echo "home page: unexpected content" >&2; exit 1; }
fetch /territoires/59368/ | grep -q "La Madeleine" || { echo "profile: unexpected content" >&2; exit 1; }
css=$(echo "$home" | grep -o '/static/arobase/site\.[0-9a-f]*\.css' | head -n 1)
[ -n "$css" ] || { echo "home page links no hashed stylesheet (manifest missing?)" >&2; exit 1; }
fetch "$css" | grep -q -- "--accent" || { echo "static file $css not served" >&2; exit 1; }
# 6. The commands for cron: the season's calendar, and the open-data workbook written ahead,
# which the site then serves as it is (no second workbook written by the request).
arobase season --url https://label.example.org >/dev/null
arobase build_opendata --url https://label.example.org >/dev/null
shopt -s nullglob
written=(var/opendata/arobase-*.xlsx)
[ "${#written[@]}" -ge 1 ] || { echo "build_opendata wrote no workbook" >&2; exit 1; }
fetch /opendata/arobase.xlsx > "$WORK/arobase.xlsx"
[ "$(head -c 2 "$WORK/arobase.xlsx")" = "PK" ] || { echo "/opendata/arobase.xlsx is not a workbook" >&2; exit 1; }
after=(var/opendata/arobase-*.xlsx)
[ "${#after[@]}" -eq "${#written[@]}" ] || { echo "the site wrote its own workbook: build_opendata's URL did not match" >&2; exit 1; }
echo "== Deployment check passed: /, /territoires/59368/, $css and the workbook written ahead, served by gunicorn"
